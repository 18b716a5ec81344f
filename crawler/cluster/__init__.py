"""The cluster: processes on several machines sharing one Redis frontier and delivered-store.

``profile`` is the add-on that one setting (``CRAWLER_REDIS_URL``) switches on; ``frontier`` the
shared scheduler and duplicate filter with leases; ``sources`` the claims that let one member
fetch each discovery source per cluster run; ``politeness`` one politeness budget per host for
all members; ``expiry`` how the frontier's keys and entries go when no longer needed.
"""
