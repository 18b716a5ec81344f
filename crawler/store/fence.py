"""The lease fence: a cluster member delivers only while it holds its lease.

Every delivery step asks the fence first (the feed storages, the Redis delivered-store, the
claim of each item), so a process stalled past its lease delivers nothing (see
``crawler.cluster.frontier``).
"""

from __future__ import annotations

from typing import Any

#: Crawler attribute holding the process's ``LeaseFence`` while it is a cluster member.
FENCE_ATTRIBUTE = "delivery_fence"


class FencedOut(RuntimeError):
    """This process's lease ran out and its articles may be another's now: it must not deliver."""


class LeaseFence:
    """The token a cluster member holds while its lease lives, checked before it delivers.

    A process stalled longer than its lease (a paused VM, an overloaded machine) loses the
    articles it had taken: other processes may fetch and export them. When it wakes up, its
    lease key is gone (renewal never recreates it), so every delivery step asks here first:
    the feed storages before storing (``crawler.store.feeds``), the Redis delivered-store in
    the same script that records (``crawler.store.redis``), and the claim of each item
    (``crawler.cluster.frontier``).
    """

    def __init__(self, server: Any, key: str, token: str) -> None:
        self.server = server
        self.key = key
        self.token = token

    def holds(self) -> bool:
        value = self.server.get(self.key)
        return (value.decode() if isinstance(value, bytes) else value) == self.token

    def check(self) -> None:
        if not self.holds():
            raise FencedOut(
                f"the cluster lease {self.key} ran out (process stalled?): another process may "
                "deliver this one's articles, so it delivers none"
            )


def check_fence(crawler: Any) -> None:
    """``FencedOut`` when ``crawler`` is a cluster member that lost its lease."""
    fence = getattr(crawler, FENCE_ATTRIBUTE, None)
    if fence is not None:
        fence.check()
