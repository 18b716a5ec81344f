"""The article record every spider yields and every exporter writes.

Plain dataclasses, so that itemadapter serves them to Scrapy's pipelines and
feed exporters without a Scrapy-specific item class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class RegionRecord:
    """A Central Java kabupaten/kota the article is about."""

    code: str  # Kemendagri code, e.g. "33.74"
    name: str  # official name, e.g. "Kota Semarang"
    label: str  # clipping label, e.g. "Semarang" (Kab. Semarang is "Kab. Semarang")
    #: why the region tagger tagged it, strongest first, e.g. ["dateline: SEMARANG"]
    evidence: list[str] = field(default_factory=list)


@dataclass
class Sentiment:
    """Sentiment label and polarity strength as the clipping format shows them."""

    label: str = "neutral"  # "positif", "negatif" or "neutral"
    strength: float = 0.0  # 0..100; always 0 for neutral


@dataclass
class ArticleItem:
    """One news article, as delivered to users."""

    url: str
    url_hash: str = ""
    outlet: str = ""
    outlet_name: str = ""
    media_type: str = "Jateng"
    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    dateline: str | None = None
    body: list[str] = field(default_factory=list)
    kab_kota: list[RegionRecord] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    sentiment: Sentiment = field(default_factory=Sentiment)
    views: int | None = None
    crawled_at: datetime | None = None
    #: which extraction layer produced each field: "jsonld", "meta", "selectors", "generic", ...
    extraction: dict[str, str] = field(default_factory=dict)
