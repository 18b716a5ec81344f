"""What we know about an outlet, declared once, beside its spider.

Every outlet spider carries an :class:`Outlet` as its ``outlet`` class attribute; the
registry (:mod:`crawler.outlets.registry`) reads them from the spiders, so ``scrapy list``, the
``scrapy outlets`` command, the README table and the per-outlet tests cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: Discovery methods an outlet may offer, in the order spiders try them.
DISCOVERY_METHODS = (
    "robots-sitemaps",
    "news-sitemap",
    "sitemap-index",
    "wp-rest",
    "rss",
    "listing",
)

#: How a fact about an outlet is known, strongest first (the labels of
#: ``research/outlet-evidence-2026-12.md``): an operator with internet checks ``guessed`` first.
Confidence = Literal["seen-in-code", "seen-in-saved-page", "guessed"]
CONFIDENCE_LEVELS: tuple[Confidence, ...] = ("seen-in-code", "seen-in-saved-page", "guessed")


@dataclass(frozen=True)
class Fact:
    """One fact a spider relies on (a discovery URL, an article URL shape, a template...).

    ``source`` names where it was seen ("outlet-evidence-2026-12.md §2", "outlets.md §1").
    """

    what: str
    confidence: Confidence
    source: str = ""


@dataclass(frozen=True)
class Outlet:
    """Registry entry of one outlet."""

    name: str  # display name, as the clipping shows it ("Espos.id")
    media_type: str = "Jateng"  # "Jateng" for Central Java outlets, "Nasional" for national ones
    domains: tuple[str, ...] = ()
    discovery: tuple[str, ...] = ()
    status: Literal["stable", "experimental"] = "experimental"
    needs_browser: bool = False
    #: Kemendagri code of the region the outlet is based in (a weak tie-breaker for tagging).
    home_region: str | None = None
    notes: str = ""
    #: The facts the spider relies on, each with how it is known (``scrapy outlets`` shows them).
    facts: tuple[Fact, ...] = ()
