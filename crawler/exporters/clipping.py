"""The clipping text format: writer, Scrapy feed exporter and reader.

Users already receive clippings from a media-monitoring service in a fixed text
layout (specified in ``../shared/research/clipping-format.md``); writing the same
layout lets their existing readers and archives keep working.

Writer normalisation (why: the layout is line-based, so text must not break it,
and the reader must be able to give back exactly what was written):

* form feeds (U+000C) are removed, because a line holding one separates records;
  so are other control characters and lone surrogates, which UTF-8 cannot encode
  (``crawler.utils.control_characters``);
* every run of whitespace as :py:meth:`str.split` sees it (spaces, tabs, CR, LF,
  vertical tabs, no-break spaces and other Unicode spaces and line separators)
  inside a title, paragraph, label, party, outlet name or media type becomes one
  space, and the text is stripped;
* empty paragraphs, labels and parties are dropped; a label or party containing
  the list separator ``", "`` counts as several entries;
* the sentiment strength is rounded to one decimal first, and the header shows
  that rounded value floored, so header and footer never disagree; a neutral
  article always has strength 0;
* publication times are converted to WIB and cut to the minute; a naive datetime
  is taken to be WIB already.

The reader accepts the writer's layout exactly and, leniently, the variants the
service is known to produce (see :func:`parse_clipping`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from itemadapter import ItemAdapter, is_item
from scrapy.exporters import BaseItemExporter

from crawler.utils.control_characters import strip_control_characters
from crawler.utils.timezones import WIB, as_wib

#: Line that separates two records in a feed file (a form feed on its own line).
RECORD_SEPARATOR = "\n\f\n"
#: Blank-line separator between the blocks of one record.
BLOCK_SEPARATOR = "\n\n"
#: The line after the body: a single no-break space, as the service writes it.
BODY_END_MARKER = "\u00a0"
#: Separator inside the kab/kota and party lists.
LIST_SEPARATOR = ", "

#: Indonesian month abbreviations, January first, as the service writes them.
MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agu",
    "Sep",
    "Okt",
    "Nov",
    "Des",
)
#: Month spellings the reader also accepts (English forms seen in copied text).
READER_MONTH_ALIASES = {"May": 5, "Aug": 8, "Agt": 8, "Oct": 10, "Dec": 12}
MONTH_NUMBERS = {
    **{name: number for number, name in enumerate(MONTH_ABBREVIATIONS, start=1)},
    **READER_MONTH_ALIASES,
}

SENTIMENT_LABELS = ("positif", "negatif", "neutral")
NEUTRAL_LABEL = "neutral"
#: Header word per sentiment label; the service calls a neutral article "Undefined".
HEADER_WORDS = {"positif": "Positif", "negatif": "Negatif", "neutral": "Undefined"}

SENTIMENT_HEADING = "Sentimen"
INFO_HEADING = "Informasi Tambahan"
PARTIES_HEADING = "Partai Terkait"
PEOPLE_HEADING = "Tokoh Terkait"
KAB_KOTA_KEY = "Kab/Kota"
MEDIA_TYPE_KEY = "Jenis Media"
VIEWS_KEYWORD = "Views"
FOOTER_KEY = "Sentimen"

DEFAULT_VIEWS = 1

_DATE_PATTERN = (
    r"(?P<day>[0-9]{1,2}) (?P<month>[A-Za-z]{3}) (?P<year>[0-9]{4})"
    r" : (?P<hour>[0-9]{1,2})\.(?P<minute>[0-9]{2})"
)
DATE_LINE_RE = re.compile(_DATE_PATTERN)
VIEWS_LINE_RE = re.compile(rf"(?P<date>{_DATE_PATTERN}) {VIEWS_KEYWORD} (?P<views>[0-9]+)")
HEADER_RE = re.compile(
    r"(?P<word>Positif|Negatif|Undefined|Netral|Neutral)\s*\(\s*[0-9]+(?:[.,][0-9]+)?\s*%\s*\)",
    re.IGNORECASE,
)
FOOTER_RE = re.compile(
    rf"{FOOTER_KEY}\s*:\s*(?P<label>[A-Za-z]+)\s*"
    r"\(\s*(?P<strength>[0-9]+(?:[.,][0-9]+)?)\s*%\s*\)\s*$"
)
#: "Key: value" lines of the Informasi Tambahan section (Kab/Kota, Event, Kasus, ...).
KEY_VALUE_RE = re.compile(r"(?P<key>[A-Z][A-Za-z/ ]{0,40}?)\s*:\s*(?P<value>.*)")
MEDIA_TYPE_MARK = f" {MEDIA_TYPE_KEY}:"
MEDIA_TYPE_LOOSE_RE = re.compile(rf"\s*{MEDIA_TYPE_KEY}\s*:\s*")


class ClippingParseError(ValueError):
    """Raised by the reader when a text is not a clipping record.

    The reader raises this and nothing else, so callers can skip bad records
    with a single ``except``.
    """


@dataclass
class ClippingRecord:
    """One clipping as the reader finds it in the text."""

    title: str
    published: datetime  # WIB-aware, minute precision
    date_line: str  # e.g. "3 Jul 2025 : 16.04"
    views: int
    outlet_name: str
    media_type: str
    body: list[str]
    sentiment_label: str  # lowercase, as written: "positif", "negatif", "neutral"
    sentiment_strength: float
    header_sentiment: str | None = None  # e.g. "Positif (92%)"; None when the line is absent
    kab_kota: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    #: lines the layout does not define: "Event", "Kasus", "Tokoh Terkait", ...
    extra: dict[str, str] = field(default_factory=dict)

    def to_item(self) -> dict[str, Any]:
        """Return the fields as an item dict that :func:`render_clipping` accepts."""
        return {
            "title": self.title,
            "published": self.published,
            "kab_kota": [{"label": label} for label in self.kab_kota],
            "parties": list(self.parties),
            "views": self.views,
            "outlet_name": self.outlet_name,
            "media_type": self.media_type,
            "body": list(self.body),
            "sentiment": {"label": self.sentiment_label, "strength": self.sentiment_strength},
        }


# --- writer -----------------------------------------------------------------


def normalise_text(text: str | None) -> str:
    """Return *text* as one clean line: no form feeds or controls, single spaces, stripped."""
    if not text:
        return ""
    return " ".join(strip_control_characters(text).replace("\f", "").split())


def normalise_list(values: Iterable[str] | None) -> list[str]:
    """Return list entries as the writer writes and the reader gets them back."""
    entries: list[str] = []
    for value in values or ():
        for piece in normalise_text(value).split(LIST_SEPARATOR):
            piece = piece.strip()
            if piece:
                entries.append(piece)
    return entries


def normalise_strength(label: str, strength: float | None) -> float:
    """Return the strength the clipping shows: one decimal, 0 for neutral."""
    if label == NEUTRAL_LABEL:
        return 0.0
    value = float(strength or 0.0)
    if not 0.0 <= value <= 100.0:
        raise ValueError(f"sentiment strength must be within 0..100, got {strength!r}")
    return float(f"{value:.1f}") + 0.0


def format_date_line(published: datetime) -> str:
    """Return ``D Mon YYYY : HH.MM`` in WIB, e.g. ``3 Jul 2025 : 16.04``."""
    local = as_wib(published)
    month = MONTH_ABBREVIATIONS[local.month - 1]
    return f"{local.day} {month} {local.year:04d} : {local.hour:02d}.{local.minute:02d}"


def format_strength(strength: float) -> str:
    """Return a strength with at most one decimal and no trailing ``.0``."""
    return f"{strength:.1f}".removesuffix(".0")


def render_clipping(item: Any) -> str:
    """Return one clipping record for *item*, without a trailing newline.

    *item* is an ArticleItem, a ClippingRecord, or any item/dict with the
    ArticleItem field names. Raises ValueError when the item has no publication
    time, an unknown sentiment label, a strength outside 0..100 or negative views.
    """
    if isinstance(item, ClippingRecord):
        item = item.to_item()
    adapter = ItemAdapter(item) if is_item(item) else ItemAdapter(dict(item))
    published = adapter.get("published")
    if not isinstance(published, datetime):
        raise ValueError("a clipping needs a publication time (field 'published')")
    label, strength = _sentiment_of(adapter.get("sentiment"))
    date_line = format_date_line(published)
    title = normalise_text(adapter.get("title"))
    regions = normalise_list(_region_label(region) for region in adapter.get("kab_kota") or ())
    parties = normalise_list(adapter.get("parties"))
    views = adapter.get("views")
    views = DEFAULT_VIEWS if views is None else int(views)
    if views < 0:
        raise ValueError(f"views must not be negative, got {views}")
    outlet = normalise_text(adapter.get("outlet_name"))
    media_type = normalise_text(adapter.get("media_type"))
    paragraphs = [text for text in map(normalise_text, adapter.get("body") or ()) if text]

    header = f"{HEADER_WORDS[label]} ({math.floor(strength)}%)"
    blocks = ["\n".join((SENTIMENT_HEADING, header, date_line, INFO_HEADING))]
    if regions:
        blocks.append(f"{KAB_KOTA_KEY}: {LIST_SEPARATOR.join(regions)}")
    blocks.append(PARTIES_HEADING)
    if parties:
        blocks.append(LIST_SEPARATOR.join(parties))
    blocks += [
        title,
        f"{date_line} {VIEWS_KEYWORD} {views}",
        f"{outlet} {outlet}{MEDIA_TYPE_MARK} {media_type}",
        title,
        *paragraphs,
        BODY_END_MARKER,
        f"{FOOTER_KEY}: {label} ({format_strength(strength)}%)",
    ]
    return BLOCK_SEPARATOR.join(blocks)


def _sentiment_of(sentiment: Any) -> tuple[str, float]:
    if sentiment is None:
        return NEUTRAL_LABEL, 0.0
    if isinstance(sentiment, Mapping):
        label, strength = sentiment.get("label"), sentiment.get("strength")
    else:
        label, strength = sentiment.label, sentiment.strength
    label = (label or NEUTRAL_LABEL).strip().lower()
    if label not in SENTIMENT_LABELS:
        raise ValueError(f"unknown sentiment label {label!r}; expected one of {SENTIMENT_LABELS}")
    return label, normalise_strength(label, strength)


def _region_label(region: Any) -> str:
    if isinstance(region, str):
        return region
    if isinstance(region, Mapping):
        return region.get("label") or ""
    return region.label or ""


class ClippingItemExporter(BaseItemExporter):
    """Scrapy feed exporter for the ``clipping`` format.

    Records are separated by a form-feed line and the file has no trailing
    newline, so a one-record feed is byte-identical to a service clipping. The
    output is always UTF-8 (the format's encoding), whatever FEED_EXPORT_ENCODING
    says; field selection options do not apply to a fixed layout and are ignored.
    """

    def __init__(self, file: BinaryIO, **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.records_written = 0

    def start_exporting(self) -> None:
        self.records_written = 0

    def export_item(self, item: Any) -> None:
        record = render_clipping(item)
        prefix = RECORD_SEPARATOR if self.records_written else ""
        self.file.write((prefix + record).encode("utf-8"))
        self.records_written += 1


# --- reader -----------------------------------------------------------------


def read_clippings(text: str) -> list[ClippingRecord]:
    """Split a feed file's text into records and parse each one.

    Whitespace-only chunks (an empty file, a trailing newline) are skipped; any
    other chunk that is not a clipping raises :class:`ClippingParseError`.
    """
    text = _clean_line_ends(text)
    return [parse_clipping(chunk) for chunk in text.split(RECORD_SEPARATOR) if chunk.strip() != ""]


def parse_clipping(text: str) -> ClippingRecord:
    """Parse one clipping record.

    The writer's layout is parsed exactly, so ``render_clipping`` output comes
    back unchanged. Other text falls back to a lenient line-based reading that
    accepts the service's variants: ``Event:``/``Kasus:`` lines and a ``Tokoh
    Terkait`` section (both into ``extra``), a compact layout with single line
    breaks and the outlet written once, a missing header sentiment line, and the
    footer glued to the last body line. Text with no ``... Views N`` line
    followed by a ``Jenis Media:`` line, or with no ``Sentimen: label (N%)``
    footer, is not a clipping: :class:`ClippingParseError`.
    """
    if not isinstance(text, str):
        raise ClippingParseError(f"expected text, got {type(text).__name__}")
    text = _clean_line_ends(text)
    return _parse_exact(text) or _parse_lenient(text)


def _clean_line_ends(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _parse_exact(text: str) -> ClippingRecord | None:
    """Parse the writer's own layout, or return None when *text* departs from it."""
    blocks = text.split(BLOCK_SEPARATOR)
    if len(blocks) < 8 or blocks[-2] != BODY_END_MARKER:
        return None
    head = blocks[0].split("\n")
    footer = FOOTER_RE.fullmatch(blocks[-1])
    if (
        footer is None
        or len(head) != 4
        or head[0] != SENTIMENT_HEADING
        or head[3] != INFO_HEADING
        or HEADER_RE.fullmatch(head[1]) is None
    ):
        return None
    kab_block = blocks[1] if blocks[1].startswith(f"{KAB_KOTA_KEY}: ") else None
    parties_heading_at = 1 if kab_block is None else 2
    if blocks[parties_heading_at] != PARTIES_HEADING:
        return None
    rest = blocks[parties_heading_at + 1 : -2]
    views_at = next((at for at in (1, 2) if _is_exact_views_block(rest, at)), None)
    if views_at is None:
        return None
    views_match = VIEWS_LINE_RE.fullmatch(rest[views_at])
    outlet = _split_outlet_line(rest[views_at + 1])
    if views_match is None or outlet is None or views_match["date"] != head[2]:
        return None
    literal_blocks = [*rest[:views_at], *rest[views_at + 2 :]]
    if kab_block is not None:
        literal_blocks.append(kab_block)
    if any(normalise_text(block) != block for block in literal_blocks):
        return None
    return _build_record(
        title=rest[views_at - 1],
        views_match=views_match,
        outlet=outlet,
        body=[paragraph for paragraph in rest[views_at + 3 :] if paragraph],
        footer=footer,
        header=head[1],
        kab_kota=_split_list(kab_block.removeprefix(f"{KAB_KOTA_KEY}: ")) if kab_block else [],
        parties=_split_list(rest[0]) if views_at == 2 else [],
        extra={},
    )


def _is_exact_views_block(rest: list[str], views_at: int) -> bool:
    """Tell whether ``rest[views_at]`` starts the views/outlet/title run of the writer's layout.

    ``rest`` holds the blocks after ``Partai Terkait``: an optional party list,
    the title, the views line, the outlet line, the title again, the paragraphs.
    """
    if len(rest) < views_at + 3 or VIEWS_LINE_RE.fullmatch(rest[views_at]) is None:
        return False
    outlet = _split_outlet_line(rest[views_at + 1])
    return outlet is not None and outlet[2] and rest[views_at + 2] == rest[views_at - 1]


def _parse_lenient(text: str) -> ClippingRecord:
    """Parse the service's variants by keywords, ignoring blank lines."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    views_at, views_match, outlet = _find_views_line(lines)
    footer = FOOTER_RE.search(lines[-1])
    if footer is None or len(lines) - 1 <= views_at + 1:
        raise ClippingParseError("no 'Sentimen: label (N%)' footer after the body")

    body_lines = lines[views_at + 2 : -1]
    glued = lines[-1][: footer.start()]
    if glued.strip():
        body_lines.append(glued)
    body = [text for text in map(normalise_text, body_lines) if text]
    head = lines[:views_at]
    if head and not _is_head_structure(head[-1]):
        title = normalise_text(head.pop())
        if body and body[0] == title:
            body.pop(0)
    else:
        title = body.pop(0) if body else ""

    header, kab_kota, parties, extra = _read_head(head)
    return _build_record(
        title=title,
        views_match=views_match,
        outlet=outlet,
        body=body,
        footer=footer,
        header=header,
        kab_kota=kab_kota,
        parties=parties,
        extra=extra,
    )


def _find_views_line(
    lines: list[str],
) -> tuple[int, re.Match[str], tuple[str, str, bool]]:
    """Find the ``D Mon YYYY : HH.MM Views N`` line that precedes the outlet line."""
    for index, line in enumerate(lines[:-1]):
        views_match = VIEWS_LINE_RE.fullmatch(line)
        outlet = _split_outlet_line(lines[index + 1]) if views_match else None
        if views_match and outlet:
            return index, views_match, outlet
    raise ClippingParseError("no 'Views' line followed by a 'Jenis Media:' line")


def _is_head_structure(line: str) -> bool:
    """Tell whether a head line is layout (heading, header, date, key: value)."""
    return (
        line in (SENTIMENT_HEADING, INFO_HEADING, PARTIES_HEADING, PEOPLE_HEADING)
        or HEADER_RE.fullmatch(line) is not None
        or DATE_LINE_RE.fullmatch(line) is not None
        or line.startswith(f"{KAB_KOTA_KEY}:")
    )


def _read_head(head: list[str]) -> tuple[str | None, list[str], list[str], dict[str, str]]:
    """Read header sentiment, kab/kota, parties and unknown lines from the head."""
    header: str | None = None
    kab_kota: list[str] = []
    parties: list[str] = []
    extra: dict[str, str] = {}
    section = SENTIMENT_HEADING
    for line in head:
        if line in (SENTIMENT_HEADING, INFO_HEADING, PARTIES_HEADING, PEOPLE_HEADING):
            section = line
        elif section == SENTIMENT_HEADING and HEADER_RE.fullmatch(line):
            header = line
        elif section == SENTIMENT_HEADING and DATE_LINE_RE.fullmatch(line):
            continue
        elif line.startswith(f"{KAB_KOTA_KEY}:"):
            kab_kota += _split_list(line.removeprefix(f"{KAB_KOTA_KEY}:"))
        elif section == PARTIES_HEADING:
            parties += _split_list(line)
        elif section == PEOPLE_HEADING:
            _append_extra(extra, PEOPLE_HEADING, line, LIST_SEPARATOR)
        elif key_value := KEY_VALUE_RE.fullmatch(line):
            _append_extra(extra, key_value["key"], key_value["value"].strip(), "\n")
        else:
            _append_extra(extra, section, line, "\n")
    return header, kab_kota, parties, extra


def _append_extra(extra: dict[str, str], key: str, value: str, joiner: str) -> None:
    extra[key] = f"{extra[key]}{joiner}{value}" if key in extra else value


def _split_list(text: str) -> list[str]:
    return normalise_list([text])


def _split_outlet_line(line: str) -> tuple[str, str, bool] | None:
    """Return (outlet name, media type, outlet written twice), or None.

    The writer writes ``{outlet} {outlet} Jenis Media: {type}``; the compact
    variant writes the outlet once. The doubled form is tried at each
    ``Jenis Media:`` so that names containing those words usually split right
    (an outlet name that itself contains " Jenis Media: " can be ambiguous).
    """
    start = line.find(MEDIA_TYPE_MARK)
    while start != -1:
        outlets = line[:start]
        half = len(outlets) // 2
        if len(outlets) % 2 == 1 and outlets[half] == " " and outlets[:half] == outlets[half + 1 :]:
            media_type = line[start + len(MEDIA_TYPE_MARK) :]
            return normalise_text(outlets[:half]), normalise_text(media_type), True
        start = line.find(MEDIA_TYPE_MARK, start + 1)
    loose = MEDIA_TYPE_LOOSE_RE.search(line)
    if loose is None:
        return None
    return normalise_text(line[: loose.start()]), normalise_text(line[loose.end() :]), False


def _build_record(
    *,
    title: str,
    views_match: re.Match[str],
    outlet: tuple[str, str, bool],
    body: list[str],
    footer: re.Match[str],
    header: str | None,
    kab_kota: list[str],
    parties: list[str],
    extra: dict[str, str],
) -> ClippingRecord:
    try:
        views = int(views_match["views"])
        strength = float(footer["strength"].replace(",", "."))
    except ValueError as error:
        raise ClippingParseError(f"unreadable number: {error}") from error
    return ClippingRecord(
        title=title,
        published=_parse_date(views_match),
        date_line=views_match["date"],
        views=views,
        outlet_name=outlet[0],
        media_type=outlet[1],
        body=body,
        sentiment_label=footer["label"].lower(),
        sentiment_strength=strength,
        header_sentiment=header,
        kab_kota=kab_kota,
        parties=parties,
        extra=extra,
    )


def _parse_date(match: re.Match[str]) -> datetime:
    month = MONTH_NUMBERS.get(match["month"].capitalize())
    if month is None:
        raise ClippingParseError(f"unknown month {match['month']!r} in {match['date']!r}")
    try:
        return datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            tzinfo=WIB,
        )
    except ValueError as error:
        raise ClippingParseError(f"impossible date {match['date']!r}: {error}") from error
