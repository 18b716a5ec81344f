"""Outlet health: how completely a small live crawl fills each field, and which layer filled it.

Outlets change templates without notice. A crawl that still "works" may be reading titles from
meta tags only, or dates from nowhere; the coverage per field, together with the extraction
layer each value came from, shows such decay before readers notice it. ``scrapy outlet_health``
(``crawler.commands.outlet_health``) runs a spider over a few recent articles and reports it.

A run ends in one of four verdicts, each with its exit status, so a monitor can tell a broken
parser from a network outage:

* ``healthy`` (0): every field reaches its minimum coverage;
* ``parsed-badly`` (8): article pages arrived and a field fell below its minimum, or none
  became an article, or discovery answered but listed no article link: the outlet's template
  or URLs changed, a parser needs work;
* ``unreachable`` (12): no article was parsed because discovery got no usable answer or the
  article requests failed (network errors, HTTP errors, block pages and bot challenges);
* ``nothing-to-judge`` (13): the outlet answered, but no article of the window was parsed (all
  outside the window, or out of the outlet's scope): widen ``--days``.

With several outlets (``--all``) the worst verdict in that order (8, 12, 13, 0) is the exit status.
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

#: Exit statuses, beyond the crawl outcome codes of ``crawler.run.outcome`` (3-7, 9-11).
EXIT_HEALTHY = 0
EXIT_UNHEALTHY = 8
EXIT_UNREACHABLE = 12
EXIT_NOTHING_TO_JUDGE = 13
HEALTHY, PARSED_BADLY, UNREACHABLE, NOTHING_TO_JUDGE = (
    "healthy",
    "parsed-badly",
    "unreachable",
    "nothing-to-judge",
)
VERDICT_EXIT_CODES = {
    HEALTHY: EXIT_HEALTHY,
    PARSED_BADLY: EXIT_UNHEALTHY,
    UNREACHABLE: EXIT_UNREACHABLE,
    NOTHING_TO_JUDGE: EXIT_NOTHING_TO_JUDGE,
}
#: Verdicts from worst to best: the exit status of a run over several outlets.
VERDICT_ORDER = (PARSED_BADLY, UNREACHABLE, NOTHING_TO_JUDGE, HEALTHY)

FAILED_PREFIX = "crawler/failed/"
DROPPED_PREFIX = "crawler/dropped/"
BLOCKED_KIND_PREFIX = "crawler/blocked_kind/"
SOURCES_PREFIX = "crawler/sources/"
#: Drops of parsed pages that leave nothing to judge (not parsing failures).
OUT_OF_REACH_DROPS = ("outside_window",)


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
    #: Discovery URL -> (kind of source, its answer): ``NewsSpider.discovery_answers``.
    discovery: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def count(self, key: str) -> int:
        value = self.stats.get(key) or 0
        return int(value) if isinstance(value, int | float) else 0

    def counts(self, prefix: str) -> dict[str, int]:
        """Counters under ``prefix``, by the rest of their key."""
        return {
            key[len(prefix) :]: int(value)
            for key, value in self.stats.items()
            if key.startswith(prefix) and isinstance(value, int | float) and value
        }

    @property
    def failures(self) -> dict[str, int]:
        return self.counts(FAILED_PREFIX)

    @property
    def dropped(self) -> dict[str, int]:
        """Article pages fetched and not judged, by reason (outside the window, out of scope)."""
        return self.counts(DROPPED_PREFIX)

    @property
    def blocked(self) -> int:
        return sum(self.counts(BLOCKED_KIND_PREFIX).values())

    @property
    def verdict(self) -> tuple[str, list[str]]:
        """The verdict and the reasons behind it (see the module docstring)."""
        if self.parsed:
            problems = [
                f"{f.name} {f.coverage:.0%} < {f.threshold:.0%}" for f in self.fields if not f.ok
            ]
            return (PARSED_BADLY, problems) if problems else (HEALTHY, [])
        found = self.count("crawler/discovered")
        requested = self.count("crawler/articles_requested")
        failures = self.failures
        article_failures = sum(n for k, n in failures.items() if k.startswith("article_"))
        discovery_failures = {
            k: n for k, n in failures.items() if not k.startswith(("article_", "page_"))
        }
        blocked = f", {self.blocked} block page(s)" if self.blocked else ""
        if requested and article_failures >= requested:
            return UNREACHABLE, [
                f"all {requested} article request(s) failed ({_format_counts(failures)}){blocked}"
            ]
        if not found and (discovery_failures or self.blocked):
            return UNREACHABLE, [
                f"discovery found nothing and failed ({_format_counts(discovery_failures)})"
                + blocked
            ]
        dropped = self.dropped
        if dropped:
            outside = sum(dropped.get(reason, 0) for reason in OUT_OF_REACH_DROPS)
            words = (
                "all published outside the window (widen --days)"
                if outside == sum(dropped.values())
                else f"all dropped ({_format_counts(dropped)})"
            )
            return NOTHING_TO_JUDGE, [f"{sum(dropped.values())} article page(s) parsed, {words}"]
        if found and not requested:
            return NOTHING_TO_JUDGE, [
                f"{found} article(s) discovered, none inside the window (widen --days)"
            ]
        if not found:
            return PARSED_BADLY, [
                "discovery answered but listed no article link (URL patterns or listing markup?)"
            ]
        return PARSED_BADLY, [f"{requested} article page(s) fetched, none became an article"]

    @property
    def problems(self) -> list[str]:
        return self.verdict[1]

    @property
    def ok(self) -> bool:
        return self.verdict[0] == HEALTHY

    @property
    def exit_code(self) -> int:
        return VERDICT_EXIT_CODES[self.verdict[0]]

    def as_json(self) -> dict[str, Any]:
        """The report as plain data (the JSON report an operator sends back)."""
        verdict, reasons = self.verdict
        return {
            "spider": self.spider,
            "outlet_name": self.outlet_name,
            "verdict": verdict,
            "exit_code": VERDICT_EXIT_CODES[verdict],
            "reasons": reasons,
            "discovery": {
                "candidates": self.count("crawler/discovered"),
                "by_source": self.counts(SOURCES_PREFIX),
                "answers": [
                    {"url": url, "kind": kind, "answer": answer}
                    for url, (kind, answer) in sorted(self.discovery.items())
                ],
            },
            "articles": {
                "requested": self.count("crawler/articles_requested"),
                "parsed": self.parsed,
                "dropped": self.dropped,
                "failed": self.failures,
            },
            "blocked": {
                "pages": self.blocked,
                "by_kind": self.counts(BLOCKED_KIND_PREFIX),
                "challenge_passed_in_browser": self.count("crawler/browser/challenge_passed"),
            },
            "fields": {
                health.name: {
                    "filled": health.filled,
                    "total": health.total,
                    "coverage": round(health.coverage, 3),
                    "minimum": health.threshold,
                    "layers": dict(health.layers.most_common()),
                }
                for health in self.fields
            },
        }


def _format_counts(counts: Mapping[str, int]) -> str:
    ordered = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return ", ".join(f"{name} {count}" for name, count in ordered) or "-"


def worst_exit_code(reports: Iterable[HealthReport]) -> int:
    """The exit status of a run over several outlets: its worst verdict's."""
    verdicts = {report.verdict[0] for report in reports}
    worst = next((verdict for verdict in VERDICT_ORDER if verdict in verdicts), HEALTHY)
    return VERDICT_EXIT_CODES[worst]


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
    discovery: Mapping[str, tuple[str, str]] | None = None,
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
    return HealthReport(
        spider, outlet_name, len(records), fields, dict(stats or {}), dict(discovery or {})
    )


def format_report(report: HealthReport) -> str:
    """The report as a user reads it in a terminal."""
    failed = sum(report.failures.values())
    sources = report.counts(SOURCES_PREFIX)
    lines = [
        f"outlet-health {report.spider} ({report.outlet_name})",
        f"discovery: {report.count('crawler/discovered')} candidate(s)"
        + (f" ({_format_counts(sources)})" if sources else "")
        + f", {report.count('crawler/articles_requested')} article page(s) requested, "
        f"{failed} failure(s); {report.parsed} article(s) parsed",
    ]
    for url, (kind, answer) in sorted(report.discovery.items()):
        lines.append(f"  {kind:<10} {answer:<10} {url}")
    if report.blocked:
        by_kind = _format_counts(report.counts(BLOCKED_KIND_PREFIX))
        lines.append(f"block pages: {report.blocked} ({by_kind})")
    lines += ["", f"{'field':<10} {'coverage':>14} {'minimum':>8}  layers"]
    for health in report.fields:
        share = f"{health.filled}/{health.total} {health.coverage:>4.0%}"
        layers = ", ".join(f"{layer} {count}" for layer, count in health.layers.most_common())
        mark = "" if health.ok else "  << below minimum"
        lines.append(
            f"{health.name:<10} {share:>14} {health.threshold:>8.0%}  {layers or NO_LAYER}{mark}"
        )
    lines.append("")
    verdict, reasons = report.verdict
    if verdict == HEALTHY:
        lines.append("healthy")
    else:
        label = "UNHEALTHY" if verdict == PARSED_BADLY else verdict.upper()
        lines.append(f"{label} (exit {report.exit_code}): " + "; ".join(reasons))
    return "\n".join(lines)


#: Columns of the overview table of a run over several outlets.
OVERVIEW_FIELDS = ("title", "published", "body")


def format_overview(reports: Iterable[HealthReport]) -> str:
    """One line per outlet: verdict, exit status, candidates, parsed, key coverage, blocks."""
    reports = list(reports)
    header = ["outlet", "verdict", "exit", "found", "parsed", *OVERVIEW_FIELDS, "blocked"]
    rows = [header]
    for report in reports:
        coverage = {f.name: f"{f.coverage:.0%}" if f.total else "-" for f in report.fields}
        rows.append(
            [
                report.spider,
                report.verdict[0],
                str(report.exit_code),
                str(report.count("crawler/discovered")),
                str(report.parsed),
                *(coverage[name] for name in OVERVIEW_FIELDS),
                str(report.blocked),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def format_reports(reports: Iterable[HealthReport]) -> str:
    """The text report of a run over several outlets: the overview, then each outlet's report."""
    reports = list(reports)
    parts = [format_overview(reports), *(format_report(report) for report in reports)]
    return "\n\n".join(parts)
