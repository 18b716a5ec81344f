"""The cluster: processes on several machines sharing one Redis frontier and delivered-store.

``profile`` is the add-on that one setting (``CRAWLER_REDIS_URL``) switches on; ``frontier`` the
shared scheduler and duplicate filter with leases.
"""
