"""The performance targets (issue 16) and their check against one run's figures.

Each target is judged on the median of its figure over the repeats; the spread is printed
beside it so a verdict near the line can be read as the noise it may be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler.bench.figures import Spread


@dataclass(frozen=True)
class Target:
    #: Name of the figure the target is about (``crawler.bench.figures``).
    figure: str
    description: str
    limit: float
    at_most: bool

    def met_by(self, value: float) -> bool:
        return value <= self.limit if self.at_most else value >= self.limit

    @property
    def wording(self) -> str:
        return ("<= " if self.at_most else ">= ") + f"{self.limit:g}"


TARGETS = (
    Target(
        "espos_vs_plain_articles_per_min",
        "end-to-end articles/min, espos crawl / plain Scrapy",
        0.70,
        at_most=False,
    ),
    Target("espos_cpu_ms_per_article", "CPU ms per article, espos crawl", 12.0, at_most=True),
    Target("generic_cpu_ms_per_article", "CPU ms per article, generic crawl", 20.0, at_most=True),
    Target(
        "espos_vs_trafilatura",
        "extraction + enrichment CPU / trafilatura's",
        0.5,
        at_most=True,
    ),
    Target(
        "espos_peak_rss_full_vs_small",
        "peak RSS, full site / a fifth of it",
        1.10,
        at_most=True,
    ),
    Target("store_lookups_per_s", "delivered-store lookups/s", 100_000, at_most=False),
    Target(
        "complete",
        "crawls and in-process readers with every article",
        1.0,
        at_most=False,
    ),
)


@dataclass(frozen=True)
class Check:
    target: Target
    spread: Spread

    @property
    def ok(self) -> bool:
        return self.target.met_by(self.spread.median)

    def as_dict(self) -> dict[str, Any]:
        return {
            "description": self.target.description,
            "value": round(self.spread.median, 3),
            "min": round(self.spread.low, 3),
            "max": round(self.spread.high, 3),
            "target": self.target.wording,
            "ok": self.ok,
        }


def check(figures: dict[str, Spread]) -> list[Check]:
    """Every target against its figure; a figure that was not measured fails its target."""
    missing = Spread.of([float("nan")])
    return [Check(target, figures.get(target.figure, missing)) for target in TARGETS]
