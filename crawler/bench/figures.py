"""The benchmark's figures: every measurement over the repeats, as median, min and max.

Ratios are paired: the crawls of one repeat ran next to each other (plain, espos, generic,
then the small site), so each repeat gives one ratio and the figure is the spread of those,
not a ratio of two medians taken at different moments.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crawler.bench.crawls import OUR_CRAWLS


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float
    values: tuple[float, ...]

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The spread of some values; NaN (not measured) anywhere makes every part NaN."""
        if any(math.isnan(value) for value in values):
            return cls(math.nan, math.nan, math.nan, tuple(values))
        return cls(statistics.median(values), min(values), max(values), tuple(values))

    def as_dict(self) -> dict[str, Any]:
        return {
            "median": round(self.median, 3),
            "min": round(self.low, 3),
            "max": round(self.high, 3),
            "values": [round(value, 3) for value in self.values],
        }


def ratio(numerator: float | None, denominator: float | None) -> float:
    """NaN when either side was not measured, so that no target is met by a missing figure."""
    return numerator / denominator if numerator and denominator else math.nan


def crawl_figures(runs: list[dict[str, dict[str, Any]]]) -> dict[str, Spread]:
    """Figures of the crawls; ``runs`` holds one dict of crawls (by kind) per repeat."""

    def each(kind: str, field: str) -> Spread:
        return Spread.of([run[kind][field] or math.nan for run in runs])

    def paired(value: Callable[[dict[str, dict[str, Any]]], float]) -> Spread:
        return Spread.of([value(run) for run in runs])

    figures = {
        f"{kind}_{field}": each(kind, field)
        for kind in ("plain", *OUR_CRAWLS)
        for field in ("articles_per_min", "cpu_ms_per_article", "peak_rss_mb")
    }
    for kind in OUR_CRAWLS:  # 0 is a count here, not a figure that was not measured
        figures[f"{kind}_read_in_workers"] = Spread.of(
            [run[kind]["read_in_workers"] for run in runs]
        )
    for kind in ("plain_small", "espos_small"):
        figures[f"{kind}_peak_rss_mb"] = each(kind, "peak_rss_mb")
    for kind in OUR_CRAWLS:
        figures[f"{kind}_vs_plain_articles_per_min"] = paired(
            lambda run, kind=kind: ratio(
                run[kind]["articles_per_min"], run["plain"]["articles_per_min"]
            )
        )
    for kind in ("plain", "espos"):
        figures[f"{kind}_peak_rss_full_vs_small"] = paired(
            lambda run, kind=kind: ratio(
                run[kind]["peak_rss_mb"], run[f"{kind}_small"]["peak_rss_mb"]
            )
        )
    figures["server_cpu_ms_per_response"] = Spread.of(
        [
            crawl["server_cpu_ms_per_response"]
            for run in runs
            for crawl in run.values()
            if crawl["server_cpu_ms_per_response"] is not None
        ]
        or [0.0]
    )
    return figures


def page_cpu_figures(rounds: list[dict[str, float]]) -> dict[str, Spread]:
    """Figures of the in-process CPU rounds (``crawler.bench.page_cpu``)."""
    figures = {name: Spread.of([r[name] for r in rounds]) for name in rounds[0]}
    for reader in ("espos", "generic"):

        def ours(r: dict[str, float], reader: str = reader) -> float:
            return r[f"{reader}_extraction_ms"] + r[f"{reader}_enrichment_ms"]

        figures[f"{reader}_ours_ms"] = Spread.of([ours(r) for r in rounds])
        figures[f"{reader}_vs_trafilatura"] = Spread.of(
            [ratio(ours(r), r["trafilatura_ms"]) for r in rounds]
        )
    return figures
