"""What we know about an outlet, declared once, beside its spider.

Every outlet spider carries an :class:`Outlet` as its ``outlet`` class attribute; the
registry (:mod:`crawler.registry`) reads them from the spiders, so ``scrapy list``, the
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
