"""Extraction quality on real saved pages, against the hand-checked gold in ../shared.

The overall numbers of ``crawler.evaluation.conformance`` must stay at or above the floor pinned in
``tests/quality_floor.json``; a few known traps of these pages are also checked one by one so
a regression names its cause.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.evaluation import conformance
from crawler.extraction import ExtractedArticle, extract_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "fixtures" / "real"
FLOOR_FILE = Path(__file__).resolve().parent / "quality_floor.json"

pytestmark = pytest.mark.skipif(
    not (REAL / "gold.jsonl").is_file(),
    reason=f"shared real-page fixtures not found at {REAL} (../shared is absent)",
)


@pytest.fixture(scope="module")
def scores() -> list[conformance.PageScore]:
    return conformance.run(SHARED)


def extract(file: str) -> ExtractedArticle:
    gold = {g["file"]: g for g in conformance.load_gold(SHARED)}[file]
    return extract_article((REAL / file).read_bytes(), gold["url"], now=conformance.CRAWL_TIME)


def test_every_gold_page_is_scored(scores: list[conformance.PageScore]) -> None:
    assert len(scores) == len(conformance.load_gold(SHARED)) >= 17


def test_overall_numbers_stay_above_the_floor(scores: list[conformance.PageScore]) -> None:
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))["floor"]
    assert set(floor) == set(conformance.METRICS)
    achieved = conformance.overall(scores)
    below = {name: round(achieved[name], 3) for name in floor if achieved[name] < floor[name]}
    assert not below, f"below the floor {below}\n{conformance.format_report(scores)}"


@pytest.mark.parametrize(
    ("file", "published"),
    [
        # detik's "2022-12-10T13-19-56Z" and "2015-11-05 T10:08:58Z" are WIB behind a fake Z
        ("detik/news-detik-d6453785-2022-12-10.html", "2022-12-10T13:19:56+07:00"),
        ("detik/inet-detik-2015-11-05.html", "2015-11-05T10:08:58+07:00"),
        # liputan6's JSON-LD Z is real UTC
        ("other/liputan6-article-2016-02-16.html", "2016-02-16T09:10:56+07:00"),
        # okezone's JSON-LD has no zone: WIB
        ("other/okezone-article-2017-02-17.html", "2017-02-17T13:30:08+07:00"),
        # no structured date: visible date element under the headline
        ("kompas/regional-kompas-article-2015-11-04.html", "2015-11-04T21:04:00+07:00"),
        ("tribun/tribunnews-article-2015-06-19-domsnapshot.html", "2015-06-19T12:58:00+07:00"),
        # the shown 18:30 wins over the JSON-LD save time 18:33:13 of the same day
        ("mediaindonesia/mediaindonesia-article-2026-01-20.html", "2026-01-20T18:30:00+07:00"),
    ],
)
def test_publication_time_traps(file: str, published: str) -> None:
    assert extract(file).published == datetime.fromisoformat(published)


def test_title_keeps_the_h1_punctuation_structured_titles_drop() -> None:
    article = extract("mediaindonesia/mediaindonesia-article-2025-10-22.html")
    assert (
        article.title
        == "KPK tak Temukan Surat Pencabutan IUP Nikel Raja Ampat: Apa Iya Betul Dicabut?"
    )


def test_site_suffix_is_stripped_when_the_headline_confirms_it() -> None:
    article = extract("prmn/zonajakarta-pikiran-rakyat-article-2020-10-07-page2.html")
    assert not article.title.endswith("Zona Jakarta")
    assert article.url.endswith("pemicu-kiamat-dunia")  # og:url, since there is no canonical


def test_editor_named_as_jsonld_author_is_not_an_author() -> None:
    assert extract("antara/antaranews-article-2017-05-15.html").authors == ["Desca Lidya Natalia"]
    assert extract("tribun/solo-tribunnews-article-2020-10-09.html").authors == []
    assert extract("mediaindonesia/mediaindonesia-article-2026-01-08.html").authors == []


def test_antara_url_comes_from_jsonld_when_canonical_is_empty() -> None:
    article = extract("antara/antaranews-article-2017-05-15.html")
    assert article.layers["url"] == "jsonld"
    assert article.url.startswith("http://www.antaranews.com/berita/629369/")


def test_detached_detik_dateline_is_joined_to_the_first_paragraph() -> None:
    article = extract("detik/sport-detik-d6454487-2022-12-10.html")
    assert article.body[0].startswith("Doha - Maroko vs Portugal")
    assert article.dateline == "Doha"


def test_conformance_script_prints_table_and_refuses_a_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert conformance.main(["--shared", str(SHARED)]) == 0
    output = capsys.readouterr().out
    assert "paragraph_f1" in output and "antara/antaranews-article-2017-05-15.html" in output
    assert conformance.main(["--shared", str(tmp_path)]) == 2
