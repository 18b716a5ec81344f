"""Outlet health: how completely a small live crawl fills each field, and which layer filled it.

Outlets change templates without notice. A crawl that still "works" may be reading titles from
meta tags only, or dates from nowhere; the coverage per field, together with the extraction
layer each value came from, shows such decay before readers notice it. ``scrapy outlet_health``
(``crawler.commands.outlet_health``) runs a spider over a few recent articles and reports it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from itemadapter import ItemAdapter

#: Fields whose coverage is measured, in report order.
HEALTH_FIELDS = ("title", "published", "authors", "body", "dateline", "kab_kota")
#: Minimum share of parsed articles that must have each field (``CRAWLER_HEALTH_THRESHOLDS``
#: overrides any of them). Not every story names its writer or opens with a dateline, hence
#: the lower bars for those and for the region derived from the dateline.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "title": 1.0,
    "published": 1.0,
    "authors": 0.5,
    "body": 1.0,
    "dateline": 0.5,
    "kab_kota": 0.5,
}
#: A body shorter than this (characters over all paragraphs) is a menu, a teaser or a script
#: shell's leftovers, not a story: it does not count as covered.
MIN_BODY_CHARACTERS = 200
#: Layer shown for the dateline, which is read from the first body paragraph.
DATELINE_SOURCE = "first paragraph"
NO_LAYER = "-"

EXIT_HEALTHY = 0
#: Beyond the crawl outcome codes of ``crawler.outcome`` (3-7), so a monitor can tell them apart.
EXIT_UNHEALTHY = 8


@dataclass
class FieldHealth:
    """Coverage of one field over the parsed articles, with the layers that produced it."""

    name: str
    filled: int
    total: int
    threshold: float
    layers: Counter[str] = field(default_factory=Counter)

    @property
    def coverage(self) -> float:
        return self.filled / self.total if self.total else 0.0

    @property
    def ok(self) -> bool:
        return self.total > 0 and self.coverage >= self.threshold


@dataclass
class HealthReport:
    """What a health run found for one outlet."""

    spider: str
    outlet_name: str
    parsed: int
    fields: list[FieldHealth]
    stats: Mapping[str, Any] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        if not self.parsed:
            return ["no article page was parsed"]
        return [f"{f.name} {f.coverage:.0%} < {f.threshold:.0%}" for f in self.fields if not f.ok]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        return EXIT_HEALTHY if self.ok else EXIT_UNHEALTHY


def thresholds_from(overrides: Mapping[str, Any] | None) -> dict[str, float]:
    """The default thresholds with a setting's overrides; unknown field names are refused."""
    overrides = dict(overrides or {})
    unknown = set(overrides) - set(HEALTH_FIELDS)
    if unknown:
        raise ValueError(f"unknown health fields {sorted(unknown)}; known: {HEALTH_FIELDS}")
    return {**DEFAULT_THRESHOLDS, **{name: float(value) for name, value in overrides.items()}}


def _layer(record: Mapping[str, Any], name: str) -> str:
    extraction = record.get("extraction") or {}
    if name == "dateline":
        return extraction.get("dateline", DATELINE_SOURCE)
    return extraction.get(name, NO_LAYER)


def _has(record: Mapping[str, Any], name: str) -> bool:
    value = record.get(name)
    if name == "body":
        return sum(len(paragraph) for paragraph in value or ()) >= MIN_BODY_CHARACTERS
    return value not in (None, "", [], ())


def build_report(
    spider: str,
    outlet_name: str,
    items: Iterable[Any],
    thresholds: Mapping[str, float],
    stats: Mapping[str, Any] | None = None,
) -> HealthReport:
    """Coverage of every health field over the parsed articles (delivered or refused alike)."""
    records = [ItemAdapter(item).asdict() for item in items]
    fields = []
    for name in HEALTH_FIELDS:
        present = [r for r in records if _has(r, name)]
        fields.append(
            FieldHealth(
                name,
                filled=len(present),
                total=len(records),
                threshold=thresholds[name],
                layers=Counter(_layer(r, name) for r in present),
            )
        )
    return HealthReport(spider, outlet_name, len(records), fields, dict(stats or {}))


def format_report(report: HealthReport) -> str:
    """The report as a user reads it in a terminal."""
    stats = report.stats
    failed = sum(
        value for key, value in stats.items() if key.startswith("crawler/failed/") and value
    )
    lines = [
        f"outlet-health {report.spider} ({report.outlet_name})",
        f"discovery: {stats.get('crawler/discovered', 0)} candidate(s), "
        f"{stats.get('crawler/articles_requested', 0)} article page(s) requested, "
        f"{failed} failure(s); {report.parsed} article(s) parsed",
        "",
        f"{'field':<10} {'coverage':>14} {'minimum':>8}  layers",
    ]
    for health in report.fields:
        share = f"{health.filled}/{health.total} {health.coverage:>4.0%}"
        layers = ", ".join(f"{layer} {count}" for layer, count in health.layers.most_common())
        mark = "" if health.ok else "  << below minimum"
        lines.append(
            f"{health.name:<10} {share:>14} {health.threshold:>8.0%}  {layers or NO_LAYER}{mark}"
        )
    lines.append("")
    lines.append("healthy" if report.ok else "UNHEALTHY: " + "; ".join(report.problems))
    return "\n".join(lines)
