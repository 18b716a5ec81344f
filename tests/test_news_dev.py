"""The enrichers on real news: the dev set in ../shared/eval, through the item pipeline.

The floors sit just under what the taggers reach now (tuned on this very set, see the
README); a drop below one means a change made real-news tagging worse.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crawler.evaluation.__main__ import main
from crawler.evaluation.news_dev import (
    DEV_SET,
    DevRecord,
    DevReport,
    evaluate_dev,
    find_title,
    item_from_text,
    load_dev_set,
    normalise_party,
)

REGION_FLOOR = {"precision": 0.97, "recall": 0.97}
PARTY_FLOOR = {"precision": 0.98, "recall": 0.97}
SENTIMENT_MACRO_F1_FLOOR = 0.73
MS_PER_ARTICLE_CEILING = 2.0


@pytest.fixture(scope="module")
def dev_path() -> Path:
    from conftest import SHARED

    path = SHARED / DEV_SET
    if not path.is_file():
        pytest.skip(f"{path} is absent (a fresh clone without ../shared): no real news to score")
    return path


@pytest.fixture(scope="module")
def report(dev_path: Path) -> DevReport:
    return evaluate_dev(load_dev_set(dev_path), timing_rounds=3)


def test_region_tagger_on_real_news(report: DevReport):
    assert report.regions.precision >= REGION_FLOOR["precision"], report.errors
    assert report.regions.recall >= REGION_FLOOR["recall"], report.errors


def test_party_tagger_on_real_news(report: DevReport):
    assert report.parties.precision >= PARTY_FLOOR["precision"], report.errors
    assert report.parties.recall >= PARTY_FLOOR["recall"], report.errors


def test_sentiment_on_real_news(report: DevReport):
    assert report.sentiment_macro_f1 >= SENTIMENT_MACRO_F1_FLOOR


def test_every_enricher_ran_without_failing_and_fast(report: DevReport):
    assert report.enricher_failures == {}
    assert set(report.enricher_ms) == {"RegionEnricher", "PartyEnricher", "SentimentEnricher"}
    assert min(report.enricher_ms["SentimentEnricher"]) <= MS_PER_ARTICLE_CEILING


def test_command_prints_the_dev_figures_first(dev_path: Path):
    out = io.StringIO()
    main(["--dev-set", str(dev_path)], out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("dev set") and "tuned-on" in lines[0]
    assert lines[1].startswith("  regions") and "recall=" in lines[1]
    assert lines[2].startswith("  parties")
    assert lines[3].startswith("  sentiment") and "macro_f1=" in lines[3]


def record(text: str, url: str = "https://example.id/berita/banjir-rob-rendam-kota-pekalongan"):
    return DevRecord.from_json(
        {
            "id": "x",
            "url": url,
            "outlet": "Contoh",
            "text": text,
            "gold_kabkota": [],
            "gold_kabkota_passing": [],
            "gold_parties": ["Partai Gelora", "PDI Perjuangan"],
            "sentiment": "netral",
        }
    )


def test_the_item_is_built_as_extraction_would_build_it():
    text = (
        "Menu Utama\nBerita Pekalongan\nBanjir Rob Rendam Kota Pekalongan\n"
        "PEKALONGAN – Banjir rob merendam permukiman warga.\nBaca juga: Harga cabai naik\n"
        "Warga mengungsi ke balai desa."
    )
    item = item_from_text(record(text))
    assert item.title == "Banjir Rob Rendam Kota Pekalongan"
    assert item.dateline == "PEKALONGAN"
    assert item.body == [
        "PEKALONGAN – Banjir rob merendam permukiman warga.",
        "Warga mengungsi ke balai desa.",
    ]


def test_a_lead_that_repeats_the_headline_is_not_taken_for_it():
    lines = ["Banjir rob rendam Kota Pekalongan, ratusan warga mengungsi ke balai desa."]
    assert find_title(lines, "https://example.id/banjir-rob-rendam-kota-pekalongan") is None


def test_party_names_are_normalised_as_the_set_says():
    assert record("x").gold_parties == {"Gelora", "PDIP"}
    assert normalise_party("PDI-P") == normalise_party("Partai PDI-P") == "PDIP"
    assert normalise_party("PDI Perjuangan") == "PDIP"


def test_dev_records_are_well_formed(dev_path: Path):
    rows = [json.loads(line) for line in dev_path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(load_dev_set(dev_path)) >= 80
