"""Waiting for something to become true, by polling with a growing pause (never a fixed sleep)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def poll_until(
    check: Callable[[], T],
    *,
    timeout: float,
    what: str,
    first_pause: float = 0.005,
    max_pause: float = 0.2,
) -> T:
    """Call `check` until it returns something true and return that.

    The pause between calls doubles from `first_pause` up to `max_pause`; after `timeout`
    seconds a TimeoutError names `what`. `check` may raise to give up early (a server process
    that died, say).
    """
    deadline = time.monotonic() + timeout
    pause = first_pause
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}")
        time.sleep(pause)
        pause = min(pause * 2, max_pause)
