"""Bad bytes never reach a delivered field: wrong charsets are decoded right and counted,
control characters are stripped from every text field at normalisation."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from crawler.extraction.block import decode_html, decode_page, parse_html, parse_page
from crawler.items import ArticleItem
from crawler.pipelines.normalize import NormalizePipeline
from crawler.utils.control_characters import _CONTROL_CHARACTERS, strip_control_characters
from crawler.utils.timezones import WIB

TITLE = "Bazar \u201cPasar Gede\u201d di Klaten \u2013 Hari Pertama, kata Ren\u00e9"


def page(title: str, charset: str = "utf-8") -> str:
    return f'<html><head><meta charset="{charset}"><title>{title}</title></head></html>'


def test_windows_1252_bytes_labelled_utf8_decode_as_windows_1252_and_say_so():
    decoded = decode_page(page(TITLE).encode("cp1252"))
    assert TITLE in decoded.text
    assert "\ufffd" not in decoded.text
    assert decoded.fallback == "cp1252"


def test_stray_windows_1252_bytes_in_a_utf8_page_keep_both_right():
    body = page(TITLE).encode("utf-8") + "<p>Caf\u00e9 \u2013 tutup</p>".encode("cp1252")
    decoded = decode_page(body)
    assert TITLE in decoded.text and "Caf\u00e9 \u2013 tutup" in decoded.text
    assert decoded.fallback == "cp1252"


def test_valid_utf8_and_declared_charsets_need_no_fallback():
    assert decode_page(page(TITLE).encode("utf-8")) == decode_page(page(TITLE))
    assert decode_page(page(TITLE).encode("utf-8")).fallback is None
    latin = decode_page(page("Ren\u00e9", "iso-8859-1").encode("latin-1"))
    assert "Ren\u00e9" in latin.text and latin.fallback is None
    assert (
        decode_html(page(TITLE).encode("cp1252")) == decode_page(page(TITLE).encode("cp1252")).text
    )


def same_tree(data: bytes) -> bool:
    """Parsing the decoded page's UTF-8 bytes gives the tree its text gives."""
    decoded = decode_page(data)
    from_text = etree.tostring(parse_html(decoded.text), encoding="unicode")
    return etree.tostring(parse_page(decoded), encoding="unicode") == from_text


@pytest.mark.parametrize(
    "data",
    [
        page(TITLE, "windows-1252").encode("utf-8"),
        b'<?xml version="1.0" encoding="iso-8859-1"?>' + page(TITLE).encode("utf-8"),
        b"\xef\xbb\xbf" + page(TITLE).encode("utf-8"),
        b"",
        b"   ",
        page(TITLE).encode("utf-8") + b"<p>a\x00b</p>",
    ],
    ids=["other-charset-declared", "xml-declaration", "bom", "empty", "blank", "nul"],
)
def test_a_utf8_page_parses_from_its_bytes_to_the_tree_of_its_text(data: bytes):
    decoded = decode_page(data)
    assert decoded.utf8 is None if b"\x00" in data else decoded.utf8 is not None
    assert same_tree(data)
    if data.strip():
        assert parse_page(decoded).findtext(".//title") == TITLE


def test_real_pages_parse_from_their_bytes_to_the_tree_of_their_text(shared_dir: Path):
    pages = sorted((shared_dir / "benchmarks/article-extraction-benchmark/html").glob("*.gz"))
    assert len(pages) > 100
    differing = [path.name for path in pages if not same_tree(gzip.decompress(path.read_bytes()))]
    assert differing == []


@given(st.binary(max_size=200))
def test_any_bytes_decode_to_text_without_replacement_characters(data: bytes):
    text = decode_page(data).text
    assert isinstance(text, str)
    assert "\ufffd" not in text or "\ufffd".encode() in data


HOSTILE = "\x1b[31mBanjir\x1b[0m\x00 Demak\x07\x7f \x9b1mmeluas\ud800\x0c"


def item(**fields: object) -> ArticleItem:
    defaults: dict[str, object] = {
        "url": "https://www.espos.id/banjir-demak-2201001",
        "published": datetime(2025, 7, 3, 9, 0, tzinfo=WIB),
    }
    return ArticleItem(**{**defaults, **fields})


def test_control_characters_are_stripped_from_every_text_field():
    normalised = NormalizePipeline().process_item(
        item(
            title=HOSTILE,
            section=HOSTILE,
            dateline=HOSTILE,
            outlet_name=HOSTILE,
            media_type=HOSTILE,
            authors=[HOSTILE],
            tags=[HOSTILE],
            body=[HOSTILE, "Baris satu\nbaris dua\tdengan tab", "\x00\x07"],
            extraction={"title": "jsonld\x00"},
        )
    )
    for text in (normalised.title, normalised.section, normalised.dateline):
        assert text == "Banjir Demak meluas"
    assert normalised.outlet_name == normalised.media_type == "Banjir Demak meluas"
    assert normalised.authors == normalised.tags == ["Banjir Demak meluas"]
    # A line break or tab inside a paragraph is a space; a paragraph of nothing is dropped.
    assert normalised.body == ["Banjir Demak meluas", "Baris satu baris dua dengan tab"]
    assert normalised.extraction == {"title": "jsonld"}


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("a\x00b", "ab"),
        ("a\x1b[1;31mb\x1b[0m", "ab"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\u0085b", "a\u0085b"),  # NEL is whitespace: collapse_whitespace makes it a space
        ("a\ud83db", "ab"),
        ("caf\u00e9 \U0001f600", "caf\u00e9 \U0001f600"),
    ],
)
def test_strip_control_characters(text: str, clean: str):
    assert strip_control_characters(text) == clean


@given(st.text(st.characters(exclude_categories=[])))
def test_no_control_character_survives_and_clean_text_is_kept(text: str):
    stripped = strip_control_characters(text)
    assert not _CONTROL_CHARACTERS.search(stripped)
    if not _CONTROL_CHARACTERS.search(text):
        assert stripped == text
