"""Feed exporters: the clipping text format and JSON with WIB datetimes.

The lead registers these in FEED_EXPORTERS as ``clipping``, ``json``,
``jsonlines`` and ``jsonl``.
"""

from crawler.exporters.clipping import (
    RECORD_SEPARATOR,
    ClippingItemExporter,
    ClippingParseError,
    ClippingRecord,
    normalise_list,
    normalise_text,
    parse_clipping,
    read_clippings,
    render_clipping,
)
from crawler.exporters.jsonlines import IsoJsonItemExporter, IsoJsonLinesItemExporter

__all__ = [
    "RECORD_SEPARATOR",
    "ClippingItemExporter",
    "ClippingParseError",
    "ClippingRecord",
    "IsoJsonItemExporter",
    "IsoJsonLinesItemExporter",
    "normalise_list",
    "normalise_text",
    "parse_clipping",
    "read_clippings",
    "render_clipping",
]
