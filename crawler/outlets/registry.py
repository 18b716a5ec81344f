"""The outlet registry: every spider that declares an :class:`~crawler.outlets.entry.Outlet`.

The spiders are the single source; everything users read about outlets is rendered from
here, so ``scrapy list``, ``scrapy outlets``, the README table and the per-outlet tests cannot
drift apart. ``python -m crawler.outlets.registry --markdown`` prints the README table and the list
of each outlet's facts with their confidence (``Outlet.facts``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence

from scrapy.settings import BaseSettings, Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings

from crawler.outlets.entry import CONFIDENCE_LEVELS, Outlet
from crawler.utils.urls import registrable_domain

#: Column titles of every rendering of the registry, in order.
COLUMNS = (
    "spider",
    "display name",
    "media type",
    "domains",
    "discovery",
    "status",
    "browser",
    "facts",
    "notes",
)
#: How each confidence level is shown in the facts column, and the order facts are listed in:
#: guessed first, since those are what an operator with internet checks first.
CONFIDENCE_SHORT = {"seen-in-code": "code", "seen-in-saved-page": "page", "guessed": "guessed"}
VERIFY_FIRST = tuple(reversed(CONFIDENCE_LEVELS))
#: Shown in the domains column of an outlet that is not tied to domains (the generic spider).
ANY_DOMAIN = "(any, per run)"
#: The README table sits between these two comment lines; a test compares it with the registry.
README_START = "<!-- outlets:start -->"
README_END = "<!-- outlets:end -->"
PROJECT_SETTINGS_MODULE = "crawler.settings"


def project_settings() -> Settings:
    """Project settings, also when run outside the project directory (no scrapy.cfg found)."""
    settings = get_project_settings()
    if not settings.getlist("SPIDER_MODULES"):
        settings.setmodule(PROJECT_SETTINGS_MODULE, priority="project")
    return settings


def registered_outlets(settings: BaseSettings | None = None) -> dict[str, Outlet]:
    """Spider name -> registry entry, for every spider of the project that declares one."""
    loader = get_spider_loader(settings or project_settings())
    outlets = {}
    for name in sorted(loader.list()):
        outlet = getattr(loader.load(name), "outlet", None)
        if isinstance(outlet, Outlet):
            outlets[name] = outlet
    return outlets


def publisher_names(settings: BaseSettings | None = None) -> tuple[str, ...]:
    """Every registered outlet's display name and site names ("tribunnews" of
    jateng.tribunnews.com): names that are never an article's author."""
    names: list[str] = []
    for outlet in registered_outlets(settings).values():
        names.append(outlet.name)
        names.extend(registrable_domain(domain).split(".")[0] for domain in outlet.domains)
    return tuple(dict.fromkeys(name for name in names if name))


def outlet_row(spider: str, outlet: Outlet) -> tuple[str, ...]:
    """One outlet as plain cell texts, in the order of :data:`COLUMNS`."""
    return (
        spider,
        outlet.name,
        outlet.media_type,
        ", ".join(outlet.domains) or ANY_DOMAIN,
        ", ".join(outlet.discovery),
        outlet.status,
        "yes" if outlet.needs_browser else "no",
        facts_summary(outlet),
        outlet.notes,
    )


def facts_summary(outlet: Outlet) -> str:
    """``4 code, 2 page, 5 guessed``: how many of the outlet's facts are known how."""
    counts = [
        f"{sum(fact.confidence == level for fact in outlet.facts)} {CONFIDENCE_SHORT[level]}"
        for level in CONFIDENCE_LEVELS
    ]
    return ", ".join(counts) if outlet.facts else "-"


def facts_by_confidence(outlet: Outlet) -> list[tuple[str, list[str]]]:
    """(confidence, facts as "what (source)") for each level the outlet has, guessed first."""
    grouped = []
    for level in VERIFY_FIRST:
        facts = [
            f"{fact.what} ({fact.source})" if fact.source else fact.what
            for fact in outlet.facts
            if fact.confidence == level
        ]
        if facts:
            grouped.append((level, facts))
    return grouped


def facts_text(outlets: Mapping[str, Outlet]) -> str:
    """Every outlet's facts, guessed first, for a terminal (``scrapy outlets --facts``)."""
    lines = []
    for name, outlet in outlets.items():
        if not outlet.facts:
            continue
        lines.append(f"{name} ({outlet.name})")
        for level, facts in facts_by_confidence(outlet):
            lines.extend(f"  {level:<18}  {fact}" for fact in facts)
    return "\n".join(lines)


def facts_markdown(outlets: Mapping[str, Outlet]) -> str:
    """The README's list of every outlet's facts, guessed first."""
    lines = []
    for name, outlet in outlets.items():
        if not outlet.facts:
            continue
        groups = "; ".join(
            f"*{level}*: " + "; ".join(_markdown_text(fact) for fact in facts)
            for level, facts in facts_by_confidence(outlet)
        )
        lines.append(f"- `{name}`: {groups}")
    return "\n".join(lines)


def text_table(outlets: Mapping[str, Outlet]) -> str:
    """Aligned plain-text table for a terminal (``scrapy outlets``)."""
    rows = [COLUMNS, *(outlet_row(name, outlet) for name, outlet in outlets.items())]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths) + "  " + "-" * len(COLUMNS[-1]))
    return "\n".join(lines)


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_text(text: str) -> str:
    """Selectors and URL shapes as literal text: no emphasis, no HTML tags."""
    for character, escaped in (("\\", "\\\\"), ("*", "\\*"), ("_", "\\_"), ("<", "&lt;")):
        text = text.replace(character, escaped)
    return _markdown_cell(text)


def markdown_table(outlets: Mapping[str, Outlet]) -> str:
    """The README's outlet table (GitHub-flavoured Markdown)."""
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for name, outlet in outlets.items():
        spider, *rest = outlet_row(name, outlet)
        cells = [f"`{spider}`", *(_markdown_cell(cell) for cell in rest)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def readme_section(outlets: Mapping[str, Outlet]) -> str:
    """What the README holds between its outlet markers: the table, then the facts."""
    return (
        markdown_table(outlets)
        + "\n\nWhat each spider relies on, and how it is known (verify *guessed* first):\n\n"
        + facts_markdown(outlets)
    )


def readme_table(readme_text: str) -> str:
    """The text between the README's outlet markers (stripped); ValueError if they are absent."""
    start = readme_text.find(README_START)
    end = readme_text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README has no {README_START} ... {README_END} section")
    return readme_text[start + len(README_START) : end].strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.outlets.registry", description="Print the outlet registry."
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help=f"print the README section (paste it between {README_START} and {README_END})",
    )
    arguments = parser.parse_args(argv)
    outlets = registered_outlets()
    print(readme_section(outlets) if arguments.markdown else text_table(outlets))
    return 0


if __name__ == "__main__":
    sys.exit(main())
