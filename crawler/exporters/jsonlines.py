"""JSON and JSON Lines feed exporters that keep the time zone of datetimes.

Scrapy's own JSON encoder writes a datetime as it is, so the same instant shows
up with whatever offset the extractor happened to produce, or none at all for a
naive value. Our users read times in WIB, so these exporters write every
datetime as ISO 8601 with its offset after converting it to WIB
(``2025-07-03T16:04:00+07:00``); a naive datetime is taken to be WIB already.
Nested dataclasses (RegionRecord, Sentiment) are written as JSON objects, and
text is written as UTF-8 rather than ``\\u`` escapes, as RFC 8259 asks for
JSON exchanged between systems.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any, BinaryIO

from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter
from scrapy.utils.serialize import ScrapyJSONEncoder

from crawler.utils.timezones import as_wib

#: JSON text is always UTF-8, whatever FEED_EXPORT_ENCODING says.
JSON_ENCODING = "utf-8"


class WibJsonEncoder(ScrapyJSONEncoder):
    """Scrapy's JSON encoder, with datetimes written in WIB with their offset."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            return as_wib(o).isoformat()
        if is_dataclass(o) and not isinstance(o, type):
            # The item's records (RegionRecord, Sentiment): one level at a time, as the encoder
            # walks what it is given; Scrapy's ItemAdapter(o).asdict() was half the export.
            return {entry.name: getattr(o, entry.name) for entry in fields(o)}
        return super().default(o)


def _utf8_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Return exporter options that write unescaped UTF-8 unless told otherwise."""
    return {**kwargs, "encoding": JSON_ENCODING, "ensure_ascii": kwargs.get("ensure_ascii", False)}


class IsoJsonLinesItemExporter(JsonLinesItemExporter):
    """JSON Lines exporter (formats ``jsonlines``/``jsonl``) with WIB ISO 8601 datetimes."""

    def __init__(self, file: BinaryIO, **kwargs: Any) -> None:
        super().__init__(file, **_utf8_options(kwargs))
        self.encoder = WibJsonEncoder(**self._kwargs)


class IsoJsonItemExporter(JsonItemExporter):
    """JSON array exporter (format ``json``) with WIB ISO 8601 datetimes."""

    def __init__(self, file: BinaryIO, **kwargs: Any) -> None:
        super().__init__(file, **_utf8_options(kwargs))
        self.encoder = WibJsonEncoder(**self._kwargs)
