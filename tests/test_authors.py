"""Authors: people credited as writers, never an outlet, company, desk or place.

Constructed pages; their structure imitates the traps issue 12 reports from real pages (a
meta author naming the outlet's company where the page credits "Penulis : ...", a company as
JSON-LD author, a place in parentheses closing the story). The text and people are invented.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import html as lxml_html

from crawler.extraction import extract_article
from crawler.extraction.authors import CREDIT_MAX_CHARS, _credit_text, inline_reporters, not_people
from crawler.outlets.registry import publisher_names
from crawler.utils.timezones import WIB

URL = "https://regional.contoh.id/read/2025/07/03/123/pasar-gede"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=WIB)
STORY = "".join(
    f"<p>Pedagang pasar tradisional di Solo menata lapak baru, kalimat nomor {n}.</p>"
    for n in range(4)
)


def page(head: str = "", credit: str = "", last: str = "") -> str:
    tail = f"<p>{last}</p>" if last else ""
    return (
        f"<html><head>{head}</head><body><h1>Pasar</h1>{credit}"
        f"<div class='isi'>{STORY}{tail}</div></body></html>"
    )


def ld_author(name: str, kind: str = "Person") -> str:
    block = {"@type": "NewsArticle", "headline": "Pasar", "author": {"@type": kind, "name": name}}
    return f'<script type="application/ld+json">{json.dumps(block)}</script>'


def test_a_visible_penulis_credit_beats_a_meta_author_naming_the_outlets_company() -> None:
    head = '<meta name="author" content="Kompas Cyber Media">'
    credit = "<div class='credit'>Penulis : Kontributor Solo, Sri Lestari</div>"
    article = extract_article(page(head, credit), URL, now=NOW)
    assert (article.authors, article.layers["authors"]) == (["Sri Lestari"], "generic")


@pytest.mark.parametrize(
    "name",
    ["PT. VIVA MEDIA BARU", "Kompas Cyber Media Tbk", "Tim Redaksi", "Desk Jateng", "Reuters"],
)
def test_companies_desks_and_outlets_are_never_authors(name: str) -> None:
    assert extract_article(page(ld_author(name)), URL, now=NOW).authors == []


def test_a_registered_outlet_is_never_an_author() -> None:
    head = ld_author("Metro Jateng")
    assert extract_article(page(head), URL, now=NOW).authors == ["Metro Jateng"]
    registry = publisher_names()
    assert "Metro Jateng" in registry and "tribunnews" in registry
    assert extract_article(page(head), URL, now=NOW, publishers=registry).authors == []


def test_a_place_in_parentheses_closing_the_story_is_not_a_reporter() -> None:
    place = "Pedagang kembali berjualan sejak pagi (Pasar Gede Hardjonagoro)"
    assert extract_article(page(last=place), URL, now=NOW).authors == []
    reporter = "Pedagang kembali berjualan sejak pagi. (Luh Wayanti)"
    assert extract_article(page(last=reporter), URL, now=NOW).authors == ["Luh Wayanti"]
    assert inline_reporters([place, reporter]) == ["Luh Wayanti"]


def test_a_structured_author_credited_as_editor_is_checked_without_a_page_scan() -> None:
    credit = "<div class='byline'>Sri Lestari</div><p class='ed'>Editor: Budi Santoso</p>"
    article = extract_article(page(ld_author("Budi Santoso"), credit), URL, now=NOW)
    assert (article.authors, article.layers["authors"]) == (["Sri Lestari"], "generic")
    kept = extract_article(page(ld_author("Sri Lestari"), credit), URL, now=NOW)
    assert (kept.authors, kept.layers["authors"]) == (["Sri Lestari"], "jsonld")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Kompas Cyber Media", "outlet"),
        ("detikJateng", "outlet"),
        ("PT. VIVA MEDIA BARU", "outlet"),
        ("PT Sinar Pagi Persada", "company"),
        ("Tim Redaksi", "desk"),
        ("Pasar Gede Hardjonagoro", "place"),
        ("Jalan Slamet Riyadi", "place"),
        ("Dwi Santara", None),
        ("Sri Lestari", None),
    ],
)
def test_not_people_reasons(name: str, reason: str | None) -> None:
    assert not_people().reason(name) == reason


@given(
    st.lists(
        st.one_of(st.text(alphabet="abc", max_size=30), st.sampled_from([" ", "\n" * 40, "\xa0"])),
        max_size=120,
    )
)
@example(["ab " * 35, "\n" * 900])  # short once collapsed, long as written
@example(["ab " * 41, "\n" * 900])  # too long by its start alone
@example(["\n" * 900, "ab " * 30])  # its words after the part read first
def test_a_credit_line_is_read_whole_and_only_when_short(parts: list[str]):
    """Reading only a long text's start to rule it out gives what collapsing all of it gives."""
    element = lxml_html.fragment_fromstring("<div></div>")
    element.text = "".join(parts)
    collapsed = " ".join(element.text.split())
    expected = collapsed if collapsed and len(collapsed) <= CREDIT_MAX_CHARS else None
    assert (_credit_text(element) or None) == expected
