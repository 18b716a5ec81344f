"""The benchmark's printed table: every figure as ``median [min .. max]``, then the targets."""

from __future__ import annotations

from typing import Any

from crawler.bench.crawls import OUR_CRAWLS
from crawler.bench.figures import Spread
from crawler.bench.targets import Check

#: The crawls' columns, the ceiling first, with their headings.
HEADINGS = {
    "plain": "plain Scrapy (<title>)",
    "espos": "espos (as users run it)",
    "espos_in_process": "espos, read in process",
    "generic": "generic",
}
KINDS = ("plain", *OUR_CRAWLS)


def spread_text(spread: Spread, digits: int = 1) -> str:
    if spread.low == spread.high:
        return f"{spread.median:,.{digits}f}"
    return f"{spread.median:,.{digits}f} [{spread.low:,.{digits}f} .. {spread.high:,.{digits}f}]"


def row(label: str, cells: list[str]) -> str:
    return f"{label:<30}" + "".join(f"{cell:<26}" for cell in cells).rstrip()


def crawl_table(report: dict[str, Any], figures: dict[str, Spread]) -> list[str]:
    full, small = report["articles"], report["small_articles"]

    def cells(field: str, digits: int = 1, kinds: tuple[str, ...] = KINDS) -> list[str]:
        return [
            spread_text(figures[f"{kind}_{field}"], digits) if kind in kinds else "-"
            for kind in KINDS
        ]

    return [
        f"Crawls of {full:,} articles, {report['repeats']} repeats interleaved "
        f"({', '.join(report['order'])}); median [min .. max]",
        row("", [HEADINGS[kind] for kind in KINDS]),
        row("articles/min", cells("articles_per_min", 0)),
        row("  / plain Scrapy", cells("vs_plain_articles_per_min", 3, tuple(OUR_CRAWLS))),
        row("CPU ms per article", cells("cpu_ms_per_article", 2)),
        row("pages read in workers", cells("read_in_workers", 0, tuple(OUR_CRAWLS))),
        row(f"peak RSS MB, {full:,} articles", cells("peak_rss_mb", 0)),
        row(f"peak RSS MB, {small:,} articles", cells("small_peak_rss_mb", 0, ("plain", "espos"))),
        row(
            f"  {full:,} / {small:,}",
            cells("peak_rss_full_vs_small", 3, ("plain", "espos")),
        ),
        f"page server: {spread_text(figures['server_cpu_ms_per_response'], 3)} CPU ms per "
        "response (its own process)",
    ]


def page_cpu_table(report: dict[str, Any], figures: dict[str, Spread]) -> list[str]:
    cpu = report["page_cpu"]
    lines = [
        f"In process: CPU ms per page, {cpu['sample_pages']} pages of "
        f"~{cpu['mean_page_bytes'] // 1000} KB, {len(cpu['rounds'])} rounds taking turns",
        row("", ["extraction", "enrichment", "together", "/ trafilatura"]),
    ]
    for reader in ("espos", "generic"):
        lines.append(
            row(
                reader,
                [
                    spread_text(figures[f"{reader}_extraction_ms"], 2),
                    spread_text(figures[f"{reader}_enrichment_ms"], 2),
                    spread_text(figures[f"{reader}_ours_ms"], 2),
                    spread_text(figures[f"{reader}_vs_trafilatura"], 3),
                ],
            )
        )
    lines.append(row("trafilatura", [spread_text(figures["trafilatura_ms"], 2)]))
    return lines


def secondary_lines(report: dict[str, Any], figures: dict[str, Spread]) -> list[str]:
    bench, store = report["scrapy_bench"], report["store"]
    espos = figures["espos_articles_per_min"].median
    versus = espos / bench["pages_per_min"] if bench["pages_per_min"] else 0.0
    return [
        f"scrapy bench (secondary: Scrapy's own small link pages and server): "
        f"{bench['pages_per_min']:,.0f} pages/min in {bench['elapsed_s']} s; "
        f"espos crawl / scrapy bench {versus:.3f}",
        f"delivered-store: {store['lookups_per_s']:,} lookups/s with {store['hashes']:,} hashes "
        f"({store['lookups_per_cpu_s']:,} per CPU second)",
    ]


def check_lines(checks: list[Check]) -> list[str]:
    lines = ["Targets (median of the repeats):"]
    for check in checks:
        verdict = "ok" if check.ok else "MISSED"
        lines.append(
            f"  {check.target.description:<52} {spread_text(check.spread, 3):<28} "
            f"target {check.target.wording:<10} {verdict}"
        )
    return lines


def table(report: dict[str, Any], figures: dict[str, Spread], checks: list[Check]) -> str:
    sections = [
        crawl_table(report, figures),
        page_cpu_table(report, figures),
        secondary_lines(report, figures),
        check_lines(checks),
    ]
    return "\n\n".join("\n".join(section) for section in sections)
