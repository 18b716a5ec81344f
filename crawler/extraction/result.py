"""What ``extract_article`` returns: the article fields plus which layer produced each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: Names of the extraction layers, in the order they are consulted.
LAYERS = ("jsonld", "meta", "selectors", "generic")


@dataclass
class ExtractedArticle:
    """Fields read from one article page; empty/None where no layer found a value."""

    url: str | None = None  # canonical URL stated by the page itself, only if on the same site
    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    dateline: str | None = None
    views: int | None = None
    #: field name -> layer that produced it ("jsonld", "meta", "selectors" or "generic")
    layers: dict[str, str] = field(default_factory=dict)
    #: what extraction noticed about the page and the crawl counts (stats key tail -> detail):
    #: an outlet noise rule not applied, a shown day disagreeing with the structured one...
    warnings: dict[str, str] = field(default_factory=dict)
