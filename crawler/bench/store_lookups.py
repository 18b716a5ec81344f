"""Delivered-store lookups/s: ``SqliteDeliveredStore.seen`` with a million hashes stored.

Half the lookups are hits. The wall-clock rate of the fastest of ``ROUNDS`` rounds counts
(as ``timeit`` does: on a shared machine the slower rounds measure the other processes); the
CPU-time rate is beside it.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HASHES = 1_000_000
LOOKUPS = 200_000
ROUNDS = 3
OUTLET = "espos"


def fake_hashes(start: int, count: int) -> Iterable[str]:
    for number in range(start, start + count):
        yield hashlib.sha1(f"https://bench.invalid/{number}".encode()).hexdigest()


def measure(workdir: Path, hashes: int, lookups: int) -> dict[str, Any]:
    from crawler.store.sqlite import UPSERT_DELIVERED, SqliteDeliveredStore

    workdir.mkdir(parents=True, exist_ok=True)
    store = SqliteDeliveredStore(workdir / "delivered.sqlite3")
    started = time.perf_counter()
    moment = "2025-07-20T00:00:00.000000+00:00"
    with store.connection:
        store.connection.executemany(
            UPSERT_DELIVERED, ((h, OUTLET, moment, moment) for h in fake_hashes(0, hashes))
        )
    build_s = time.perf_counter() - started
    chooser = random.Random(9)
    present = [chooser.randrange(hashes) for _ in range(lookups // 2)]
    probes = [next(iter(fake_hashes(n, 1))) for n in present]
    probes += list(fake_hashes(hashes, lookups - len(probes)))
    chooser.shuffle(probes)
    store.seen(probes[0])
    best_wall = best_cpu = float("inf")
    for _ in range(ROUNDS):
        wall_started, cpu_started = time.perf_counter(), time.process_time()
        hits = sum(1 for probe in probes if store.seen(probe))
        best_wall = min(best_wall, time.perf_counter() - wall_started)
        best_cpu = min(best_cpu, time.process_time() - cpu_started)
    stored = store.delivered_count()
    store.close()
    return {
        "hashes": stored,
        "lookups": len(probes),
        "hits": hits,
        "build_s": round(build_s, 2),
        "rounds": ROUNDS,
        "lookups_per_s": round(len(probes) / best_wall),
        "lookups_per_cpu_s": round(len(probes) / best_cpu),
    }
