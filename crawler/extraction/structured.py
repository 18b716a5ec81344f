"""The page's structured layers (JSON-LD and meta tags), read once per page.

Choosing a layout needs the publication day, which structured data states, and extraction
needs every structured field: both read them from one ``StructuredData``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html

from crawler.extraction.jsonld import JsonLdArticle, read_jsonld
from crawler.extraction.meta import MetaFields, read_meta


@dataclass(frozen=True)
class StructuredData:
    """JSON-LD article fields and meta-tag fields of one page (dates still text)."""

    jsonld: JsonLdArticle
    meta: MetaFields


def read_structured(root: lxml_html.HtmlElement) -> StructuredData:
    return StructuredData(read_jsonld(root), read_meta(root))
