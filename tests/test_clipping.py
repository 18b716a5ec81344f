"""Tests for the clipping writer, its Scrapy exporter and its reader.

All article text below and in tests/golden/clipping-constructed.txt is constructed
for these tests (not real articles); its layout follows
../shared/research/clipping-format.md and the seed clipping in ../shared/seed.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import pickle
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.exporters import (
    RECORD_SEPARATOR,
    ClippingItemExporter,
    ClippingParseError,
    parse_clipping,
    read_clippings,
    render_clipping,
)
from crawler.items import ArticleItem, RegionRecord, Sentiment
from crawler.utils.control_characters import strip_control_characters
from crawler.utils.timezones import WIB

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SEED = SHARED / "seed" / "clipping-espos-2025-07-03.txt"
GOLDEN = Path(__file__).with_name("golden") / "clipping-constructed.txt"
NBSP = "\u00a0"

SEED_TITLE = "Pemkot Semarang Belum Terapkan WFA untuk ASN, Ini Pertimbangannya"
SEED_PUBLISHED_WIB = datetime(2025, 7, 3, 16, 4, tzinfo=WIB)


@pytest.fixture
def seed_bytes() -> bytes:
    if not SEED.is_file():
        pytest.skip(f"shared seed clipping not found at {SEED} (../shared is absent)")
    return SEED.read_bytes()


def golden_bytes() -> bytes:
    """Return the golden clippings without the file's leading '#' comment lines."""
    lines = GOLDEN.read_bytes().split(b"\n")
    while lines and lines[0].startswith(b"#"):
        lines.pop(0)
    return b"\n".join(lines)


def seed_paragraphs(seed: str) -> list[str]:
    """Read the body straight from the seed's lines: after the second title, up to the NBSP."""
    lines = seed.split("\n")
    body_start = len(lines) - lines[::-1].index(SEED_TITLE)
    return [line for line in lines[body_start : lines.index(NBSP)] if line]


def constructed_items() -> list[Any]:
    """The two constructed articles behind tests/golden/clipping-constructed.txt.

    The second is a plain dict with messy whitespace, so the golden file also
    pins down the writer's normalisation.
    """
    bridge = ArticleItem(
        url="https://example.invalid/jembatan-gantung",
        outlet="wartacontoh",
        outlet_name="Warta Contoh",
        media_type="Jateng",
        title="Jembatan Gantung Baru Hubungkan Dua Desa di Lereng Ungaran",
        published=datetime(2025, 10, 5, 8, 30, tzinfo=UTC),
        body=[
            "Warta Contoh, UNGARAN – Warga dua desa di lereng Gunung Ungaran kini tidak perlu "
            "memutar sejauh tujuh kilometer untuk menyeberangi sungai setelah jembatan gantung "
            "baru selesai dibangun.",
            "Jembatan sepanjang 48 meter itu dibangun bergotong royong dengan dana desa dan "
            "bantuan pemerintah kabupaten.",
            "“Anak-anak sekarang bisa berangkat sekolah tanpa menunggu air surut,” kata seorang "
            "kepala desa.",
            "Anggota DPRD dari PDI Perjuangan dan Gerindra yang hadir berjanji ikut mengawal "
            "perawatan jembatan.",
        ],
        kab_kota=[
            RegionRecord(code="33.22", name="Kabupaten Semarang", label="Kab. Semarang"),
            RegionRecord(code="33.74", name="Kota Semarang", label="Semarang"),
        ],
        parties=["PDI Perjuangan", "Gerindra"],
        sentiment=Sentiment(label="positif", strength=92.8),
        views=1234,
    )
    chilli = {
        "url": "https://example.invalid/harga-cabai",
        "outlet_name": "Berita Contoh\u00a0Nasional",
        "media_type": " Nasional\n",
        "title": "Harga Cabai Rawit  Melonjak\tMenjelang Akhir Tahun ",
        "published": datetime(2025, 12, 9, 7, 5, tzinfo=WIB),
        "body": [
            "JAKARTA – Harga cabai rawit di sejumlah pasar tradisional naik hampir dua kali lipat"
            "\r\ndalam sepekan terakhir.",
            "",
            " \f ",
            "Pedagang menyebut pasokan dari sentra produksi\tberkurang karena curah"
            " hujan\f tinggi. ",
        ],
        "kab_kota": [],
        "parties": [],
        "sentiment": {"label": "negatif", "strength": 72.66},
        "views": None,
    }
    return [bridge, chilli]


def seed_item(seed: str, published: datetime = SEED_PUBLISHED_WIB) -> ArticleItem:
    """The seed article, built by hand from its known values."""
    return ArticleItem(
        url="https://example.invalid/seed",
        outlet="espos",
        outlet_name="Espos.id",
        media_type="Jateng",
        title=SEED_TITLE,
        published=published,
        body=seed_paragraphs(seed),
        kab_kota=[RegionRecord(code="33.74", name="Kota Semarang", label="Semarang")],
    )


# --- the seed ------------------------------------------------------------------


def test_seed_parses_into_its_known_fields(seed_bytes: bytes) -> None:
    record = parse_clipping(seed_bytes.decode("utf-8"))
    assert record.title == SEED_TITLE
    assert record.published == SEED_PUBLISHED_WIB
    assert record.date_line == "3 Jul 2025 : 16.04"
    assert record.header_sentiment == "Undefined (0%)"
    assert record.kab_kota == ["Semarang"]
    assert record.parties == []
    assert record.views == 1
    assert (record.outlet_name, record.media_type) == ("Espos.id", "Jateng")
    assert (record.sentiment_label, record.sentiment_strength) == ("neutral", 0.0)
    assert len(record.body) == 10
    assert record.body[-1].startswith("Kebijakan WFA merupakan bagian")
    assert record.body[0].startswith("Esposin, SEMARANG – Pemerintah Kota (Pemkot) Semarang")
    assert record.extra == {}


def test_seed_fields_render_back_to_the_seed(seed_bytes: bytes) -> None:
    record = parse_clipping(seed_bytes.decode("utf-8"))
    assert render_clipping(record.to_item()).encode("utf-8") == seed_bytes


@pytest.mark.parametrize(
    "published",
    [SEED_PUBLISHED_WIB, datetime(2025, 7, 3, 9, 4, 59, tzinfo=UTC)],
    ids=["wib", "utc"],
)
def test_hand_built_seed_item_renders_the_seed(seed_bytes: bytes, published: datetime) -> None:
    item = seed_item(seed_bytes.decode("utf-8"), published)
    assert render_clipping(item).encode("utf-8") == seed_bytes


def test_exporter_with_one_record_writes_the_seed(seed_bytes: bytes) -> None:
    output = io.BytesIO()
    exporter = ClippingItemExporter(output)
    exporter.start_exporting()
    exporter.export_item(seed_item(seed_bytes.decode("utf-8")))
    exporter.finish_exporting()
    assert output.getvalue() == seed_bytes


# --- the constructed golden file ---------------------------------------------------


def test_constructed_items_render_the_golden_file() -> None:
    rendered = RECORD_SEPARATOR.join(render_clipping(item) for item in constructed_items())
    assert rendered.encode("utf-8") == golden_bytes()


def test_exporter_writes_the_golden_file() -> None:
    output = io.BytesIO()
    exporter = ClippingItemExporter(output, encoding="latin-1")
    exporter.start_exporting()
    for item in constructed_items():
        exporter.export_item(item)
    exporter.finish_exporting()
    written = output.getvalue()
    assert written == golden_bytes()
    assert written.count(b"\f") == 1
    assert written.count(b"\n\f\n") == 1
    assert written.startswith(b"Sentimen\nPositif (92%)\n")
    assert written.endswith(b"Sentimen: negatif (72.7%)")


def test_exporter_without_items_writes_nothing() -> None:
    output = io.BytesIO()
    exporter = ClippingItemExporter(output)
    exporter.start_exporting()
    exporter.finish_exporting()
    assert output.getvalue() == b""


def test_exporter_skips_an_unrenderable_item_without_leaving_a_separator() -> None:
    output = io.BytesIO()
    exporter = ClippingItemExporter(output)
    exporter.start_exporting()
    with pytest.raises(ValueError, match="publication time"):
        exporter.export_item({"title": "Tanpa tanggal"})
    exporter.export_item(constructed_items()[0])
    exporter.finish_exporting()
    assert output.getvalue().startswith(b"Sentimen\n")
    assert b"\f" not in output.getvalue()


def test_golden_file_reads_back_into_its_fields() -> None:
    bridge, chilli = read_clippings(golden_bytes().decode("utf-8"))
    assert bridge.kab_kota == ["Kab. Semarang", "Semarang"]
    assert bridge.parties == ["PDI Perjuangan", "Gerindra"]
    assert bridge.views == 1234
    assert bridge.published == datetime(2025, 10, 5, 15, 30, tzinfo=WIB)
    assert (bridge.sentiment_label, bridge.sentiment_strength) == ("positif", 92.8)
    assert bridge.header_sentiment == "Positif (92%)"
    assert len(bridge.body) == 4
    assert chilli.title == "Harga Cabai Rawit Melonjak Menjelang Akhir Tahun"
    assert chilli.kab_kota == [] and chilli.parties == []
    assert (chilli.outlet_name, chilli.media_type) == ("Berita Contoh Nasional", "Nasional")
    assert chilli.body[0].endswith("dua kali lipat dalam sepekan terakhir.")
    assert len(chilli.body) == 2
    assert chilli.date_line == "9 Des 2025 : 07.05"


REPLAY_SPIDER = '''\
"""Constructed one-off spider for the feed-export test: replays pickled items, fetches nothing."""

import pickle
from pathlib import Path

import scrapy

HERE = Path(__file__).resolve().parent


class ReplaySpider(scrapy.Spider):
    name = "replay"
    custom_settings = {
        "FEED_EXPORTERS": {"clipping": "crawler.exporters.ClippingItemExporter"},
        "FEEDS": {str(HERE / "feed.txt"): {"format": "clipping"}},
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }

    async def start(self):
        for item in pickle.loads((HERE / "items.pickle").read_bytes()):
            yield item
'''


def test_scrapy_feed_export_in_clipping_format(tmp_path: Path) -> None:
    (tmp_path / "items.pickle").write_bytes(pickle.dumps(constructed_items()))
    (tmp_path / "replay_spider.py").write_text(REPLAY_SPIDER, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "runspider", "replay_spider.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "feed.txt").read_bytes() == golden_bytes()


# --- writer details ------------------------------------------------------------


def minimal_item(**fields: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "title": "Judul Contoh",
        "published": datetime(2025, 7, 3, 16, 4, tzinfo=WIB),
        "outlet_name": "Warta Contoh",
        "media_type": "Jateng",
        "body": ["Paragraf contoh."],
    }
    return item | fields


@pytest.mark.parametrize(
    ("sentiment", "header", "footer"),
    [
        (Sentiment("positif", 92.8), "Positif (92%)", "positif (92.8%)"),
        (Sentiment("negatif", 72.66), "Negatif (72%)", "negatif (72.7%)"),
        (Sentiment("positif", 100.0), "Positif (100%)", "positif (100%)"),
        (Sentiment("positif", 99.96), "Positif (100%)", "positif (100%)"),
        (Sentiment("negatif", 0.04), "Negatif (0%)", "negatif (0%)"),
        (Sentiment("negatif", 60.0), "Negatif (60%)", "negatif (60%)"),
        (Sentiment("neutral", 0.0), "Undefined (0%)", "neutral (0%)"),
        (Sentiment("neutral", 41.0), "Undefined (0%)", "neutral (0%)"),
        ({"label": "Positif", "strength": 55.55}, "Positif (55%)", "positif (55.5%)"),
        (None, "Undefined (0%)", "neutral (0%)"),
    ],
)
def test_sentiment_header_and_footer(sentiment: Any, header: str, footer: str) -> None:
    lines = render_clipping(minimal_item(sentiment=sentiment)).split("\n")
    assert lines[1] == header
    assert lines[-1] == f"Sentimen: {footer}"


@pytest.mark.parametrize(
    ("month", "abbreviation"),
    list(
        zip(
            range(1, 13),
            ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
            strict=True,
        )
    ),
)
def test_date_line_uses_indonesian_month_abbreviations(month: int, abbreviation: str) -> None:
    published = datetime(2024, month, 9, 7, 5, tzinfo=WIB)
    lines = render_clipping(minimal_item(published=published)).split("\n")
    assert lines[2] == f"9 {abbreviation} 2024 : 07.05"
    assert parse_clipping("\n".join(lines)).published == published


def test_date_line_is_converted_to_wib_across_midnight() -> None:
    published = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)
    text = render_clipping(minimal_item(published=published))
    assert text.split("\n")[2] == "1 Jan 2026 : 03.00"
    assert "1 Jan 2026 : 03.00 Views 1" in text


def test_naive_published_is_taken_as_wib() -> None:
    text = render_clipping(minimal_item(published=datetime(2025, 7, 3, 16, 4)))
    assert text.split("\n")[2] == "3 Jul 2025 : 16.04"


def test_without_regions_the_kab_kota_line_and_its_blank_line_are_left_out() -> None:
    text = render_clipping(minimal_item(kab_kota=[]))
    assert "Kab/Kota" not in text
    assert "Informasi Tambahan\n\nPartai Terkait\n\nJudul Contoh\n\n3 Jul" in text


def test_regions_accept_records_dicts_and_strings() -> None:
    regions = [
        RegionRecord("33.24", "Kabupaten Kendal", "Kendal"),
        {"label": "Karanganyar"},
        "Tegal",
    ]
    text = render_clipping(minimal_item(kab_kota=regions, parties=["PKB"]))
    assert "\n\nKab/Kota: Kendal, Karanganyar, Tegal\n\nPartai Terkait\n\nPKB\n\nJudul" in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"published": None}, "publication time"),
        ({"published": "2025-07-03"}, "publication time"),
        ({"sentiment": Sentiment("senang", 50.0)}, "unknown sentiment label"),
        ({"sentiment": Sentiment("positif", 100.5)}, "within 0..100"),
        ({"sentiment": Sentiment("negatif", -1.0)}, "within 0..100"),
        ({"views": -3}, "negative"),
    ],
)
def test_writer_rejects_items_it_cannot_represent(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_clipping(minimal_item(**fields))


# --- reader variants (constructed texts in the service's variant layouts) ----------

VARIANT_EVENT_AND_CASE = """\
Sentimen
Negatif (65%)
12 Jan 2025 : 09.15
Informasi Tambahan

Kab/Kota: Kendal, Karanganyar

Event: Banjir Pantura

Kasus: Tanggul jebol

Partai Terkait

PKB

Tanggul Sungai Jebol, Ratusan Rumah Terendam

12 Jan 2025 : 09.15 Views 87

Warta Contoh Warta Contoh Jenis Media: Jateng

Tanggul Sungai Jebol, Ratusan Rumah Terendam

KENDAL – Ratusan rumah terendam setelah tanggul sungai jebol semalam.

\u00a0

Sentimen: negatif (65.4%)"""

VARIANT_PEOPLE = """\
Sentimen
Positif (71%)
4 Apr 2025 : 13.45
Informasi Tambahan

Kab/Kota: Magelang

Partai Terkait

Gerindra

Tokoh Terkait

Budi Contoh, Sari Contoh

Pasar Rakyat Dibuka Lagi

4 Apr 2025 : 13.45 Views 12

Warta Contoh Warta Contoh Jenis Media: Jateng

Pasar Rakyat Dibuka Lagi

MAGELANG – Pasar rakyat kembali dibuka setelah direnovasi.

\u00a0

Sentimen: positif (71.2%)"""

VARIANT_COMPACT = """\
Sentimen
Positif (80%)
2 Feb 2025 : 10.00
Informasi Tambahan
Kab/Kota: Surakarta
Partai Terkait
Festival Payung Digelar di Solo
2 Feb 2025 : 10.00 Views 5
Warta Contoh Jenis Media: Jateng
Festival Payung Digelar di Solo
SOLO – Ratusan payung hias memenuhi halaman pura.
Pengunjung datang dari berbagai kota.
\u00a0
Sentimen: positif (80.5%)"""

VARIANT_NO_HEADER_SENTIMENT = """\
Sentimen
3 Mar 2025 : 11.20
Informasi Tambahan

Partai Terkait

Jalan Desa Diperbaiki

3 Mar 2025 : 11.20 Views 1

Warta Contoh Warta Contoh Jenis Media: Jateng

Jalan Desa Diperbaiki

BLORA – Perbaikan jalan desa dimulai pekan ini.

\u00a0

Sentimen: positif (64%)"""

VARIANT_GLUED_FOOTER = """\
Sentimen
Positif (99%)
7 Mei 2025 : 08.00
Informasi Tambahan

Kab/Kota: Kab. Tegal

Partai Terkait

Panen Raya Bawang Merah

7 Mei 2025 : 08.00 Views 3

Warta Contoh Warta Contoh Jenis Media: Jateng

Panen Raya Bawang Merah

TEGAL – Petani memulai panen raya bawang merah.

Harga di tingkat petani dinilai cukup baik, kata dia.Sentimen: positif (99.7%)"""


def test_reader_puts_event_and_case_lines_into_extra() -> None:
    record = parse_clipping(VARIANT_EVENT_AND_CASE)
    assert record.extra == {"Event": "Banjir Pantura", "Kasus": "Tanggul jebol"}
    assert record.kab_kota == ["Kendal", "Karanganyar"]
    assert record.parties == ["PKB"]
    assert record.title == "Tanggul Sungai Jebol, Ratusan Rumah Terendam"
    assert record.views == 87
    assert record.body == ["KENDAL – Ratusan rumah terendam setelah tanggul sungai jebol semalam."]
    assert (record.sentiment_label, record.sentiment_strength) == ("negatif", 65.4)


def test_reader_puts_the_people_section_into_extra() -> None:
    record = parse_clipping(VARIANT_PEOPLE)
    assert record.parties == ["Gerindra"]
    assert record.extra == {"Tokoh Terkait": "Budi Contoh, Sari Contoh"}
    assert record.title == "Pasar Rakyat Dibuka Lagi"
    assert record.kab_kota == ["Magelang"]


def test_reader_accepts_the_compact_layout_with_the_outlet_once() -> None:
    record = parse_clipping(VARIANT_COMPACT)
    assert (record.outlet_name, record.media_type) == ("Warta Contoh", "Jateng")
    assert record.title == "Festival Payung Digelar di Solo"
    assert record.body == [
        "SOLO – Ratusan payung hias memenuhi halaman pura.",
        "Pengunjung datang dari berbagai kota.",
    ]
    assert record.kab_kota == ["Surakarta"]
    assert record.parties == []
    assert record.header_sentiment == "Positif (80%)"


def test_reader_accepts_a_header_without_sentiment_line() -> None:
    record = parse_clipping(VARIANT_NO_HEADER_SENTIMENT)
    assert record.header_sentiment is None
    assert (record.sentiment_label, record.sentiment_strength) == ("positif", 64.0)
    assert record.published == datetime(2025, 3, 3, 11, 20, tzinfo=WIB)
    assert record.title == "Jalan Desa Diperbaiki"


def test_reader_splits_a_footer_glued_to_the_last_body_line() -> None:
    record = parse_clipping(VARIANT_GLUED_FOOTER)
    assert record.body[-1] == "Harga di tingkat petani dinilai cukup baik, kata dia."
    assert len(record.body) == 2
    assert (record.sentiment_label, record.sentiment_strength) == ("positif", 99.7)
    assert record.kab_kota == ["Kab. Tegal"]


def test_variants_render_in_the_writer_layout() -> None:
    record = parse_clipping(VARIANT_COMPACT)
    rendered = render_clipping(record)
    assert rendered == render_clipping(record.to_item())
    assert "\n\nWarta Contoh Warta Contoh Jenis Media: Jateng\n\n" in rendered
    assert parse_clipping(rendered) == record


def test_read_clippings_accepts_crlf_a_bom_and_a_trailing_newline() -> None:
    text = "\ufeff" + golden_bytes().decode("utf-8").replace("\n", "\r\n") + "\r\n"
    records = read_clippings(text)
    assert [record.views for record in records] == [1234, 1]
    assert records == read_clippings(golden_bytes().decode("utf-8"))


def test_read_clippings_of_an_empty_file_is_empty() -> None:
    assert read_clippings("") == []
    assert read_clippings(" \n") == []


def test_read_clippings_raises_on_a_chunk_that_is_not_a_clipping() -> None:
    with pytest.raises(ClippingParseError):
        read_clippings(golden_bytes().decode("utf-8") + "\n\f\nbukan kliping")


def golden_first_record() -> str:
    return golden_bytes().decode("utf-8").split(RECORD_SEPARATOR)[0]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "bukan kliping sama sekali",
        "<html><body><h1>Berita</h1></body></html>",
        '{"title": "x", "views": 1}',
        "\f",
        golden_first_record().rsplit("\n", 1)[0],
        golden_first_record().replace("5 Okt 2025 : 15.30 Views", "31 Feb 2025 : 15.30 Views"),
        golden_first_record().replace("5 Okt 2025 : 15.30 Views", "5 Xyz 2025 : 15.30 Views"),
        golden_first_record().replace("5 Okt 2025 : 15.30 Views", "5 Okt 2025 : 25.30 Views"),
        golden_first_record().replace("Views 1234", "Views " + "9" * 5000),
        golden_first_record().replace("Jenis Media", "Media"),
    ],
    ids=[
        "empty",
        "blank",
        "prose",
        "html",
        "json",
        "form-feed",
        "no-footer",
        "impossible-day",
        "unknown-month",
        "impossible-hour",
        "huge-views",
        "no-outlet-line",
    ],
)
def test_reader_raises_clipping_parse_error_on_non_clippings(text: str) -> None:
    with pytest.raises(ClippingParseError):
        parse_clipping(text)


def test_clipping_parse_error_is_a_value_error() -> None:
    assert issubclass(ClippingParseError, ValueError)


# --- property tests ------------------------------------------------------------

AWKWARD_PIECES = st.sampled_from(
    ["\f", NBSP, "\r\n", "\n", "\r", "\t", " ", ", ", ",", "\x0b", "\u2028", "Sentimen: ", "Views"]
)
MESSY_TEXT = st.lists(st.one_of(st.text(max_size=6), AWKWARD_PIECES), max_size=8).map("".join)
OFFSETS = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
PUBLISHED = st.one_of(
    st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1), timezones=OFFSETS),
    st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)),
)
LABELS = st.sampled_from(["positif", "negatif", "neutral"])
STRENGTHS = st.floats(min_value=0.0, max_value=100.0)
SENTIMENTS = st.one_of(
    st.none(),
    st.builds(Sentiment, label=LABELS, strength=STRENGTHS),
    st.fixed_dictionaries({"label": LABELS, "strength": STRENGTHS}),
)
REGIONS = st.one_of(
    st.builds(RegionRecord, code=st.just("33.00"), name=st.just("Contoh"), label=MESSY_TEXT),
    MESSY_TEXT.map(lambda label: {"label": label}),
)
ITEM_FIELDS = st.fixed_dictionaries(
    {
        "url": st.just("https://example.invalid/properti"),
        "title": st.one_of(st.none(), MESSY_TEXT),
        "published": PUBLISHED,
        "kab_kota": st.lists(REGIONS, max_size=4),
        "parties": st.lists(MESSY_TEXT, max_size=4),
        "views": st.one_of(st.none(), st.integers(min_value=0, max_value=10**12)),
        "outlet_name": MESSY_TEXT,
        "media_type": MESSY_TEXT,
        "body": st.lists(MESSY_TEXT, max_size=6),
        "sentiment": SENTIMENTS,
    }
)
ITEMS = st.one_of(ITEM_FIELDS, ITEM_FIELDS.map(lambda fields: ArticleItem(**fields)))


def expected_text(text: str | None) -> str:
    text = strip_control_characters(text or "")
    return re.sub(r"\s+", " ", text.replace("\f", "")).strip()


def expected_list(values: list[str]) -> list[str]:
    pieces = (piece.strip() for value in values for piece in expected_text(value).split(", "))
    return [piece for piece in pieces if piece]


def field_of(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


def label_of(region: Any) -> str:
    return region["label"] if isinstance(region, dict) else region.label


def expected_sentiment(sentiment: Any) -> tuple[str, float]:
    if sentiment is None:
        return "neutral", 0.0
    label = sentiment["label"] if isinstance(sentiment, dict) else sentiment.label
    strength = sentiment["strength"] if isinstance(sentiment, dict) else sentiment.strength
    return (label, 0.0) if label == "neutral" else (label, round(strength, 1))


def expected_published(published: datetime) -> datetime:
    local = published.replace(tzinfo=WIB) if published.tzinfo is None else published.astimezone(WIB)
    return local.replace(second=0, microsecond=0)


PROPERTY_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(ITEMS)
def test_render_then_parse_gives_the_normalised_fields(item: Any) -> None:
    text = render_clipping(item)
    record = parse_clipping(text)
    label, strength = expected_sentiment(field_of(item, "sentiment"))
    views = field_of(item, "views")
    assert "\f" not in text
    assert record.title == expected_text(field_of(item, "title"))
    assert record.published == expected_published(field_of(item, "published"))
    assert record.kab_kota == expected_list([label_of(r) for r in field_of(item, "kab_kota")])
    assert record.parties == expected_list(field_of(item, "parties"))
    assert record.views == (1 if views is None else views)
    assert record.outlet_name == expected_text(field_of(item, "outlet_name"))
    assert record.media_type == expected_text(field_of(item, "media_type"))
    expected_body = [expected_text(p) for p in field_of(item, "body") if expected_text(p)]
    assert record.body == expected_body
    assert (record.sentiment_label, record.sentiment_strength) == (label, strength)
    word = {"positif": "Positif", "negatif": "Negatif", "neutral": "Undefined"}[label]
    assert record.header_sentiment == f"{word} ({math.floor(strength)}%)"
    assert record.extra == {}


@PROPERTY_SETTINGS
@given(ITEMS)
def test_render_parse_render_is_stable(item: Any) -> None:
    text = render_clipping(item)
    assert render_clipping(parse_clipping(text).to_item()) == text


@PROPERTY_SETTINGS
@given(st.lists(ITEMS, max_size=4))
def test_exported_feed_reads_back_record_by_record(items: list[Any]) -> None:
    output = io.BytesIO()
    exporter = ClippingItemExporter(output)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    records = read_clippings(output.getvalue().decode("utf-8"))
    assert records == [parse_clipping(render_clipping(item)) for item in items]


@PROPERTY_SETTINGS
@given(st.one_of(st.text(), MESSY_TEXT))
def test_reader_raises_only_clipping_parse_error_on_arbitrary_text(text: str) -> None:
    for read in (parse_clipping, read_clippings):
        with contextlib.suppress(ClippingParseError):
            read(text)


@PROPERTY_SETTINGS
@given(ITEMS, st.data())
def test_reader_raises_only_clipping_parse_error_on_damaged_clippings(
    item: Any, data: st.DataObject
) -> None:
    lines = render_clipping(item).split("\n")
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        position = data.draw(st.integers(min_value=0, max_value=len(lines)))
        action = data.draw(st.sampled_from(["delete", "insert", "duplicate", "truncate"]))
        if action == "insert" or not lines:
            lines.insert(position, data.draw(st.one_of(MESSY_TEXT, st.sampled_from(lines or [""]))))
        elif action == "delete":
            del lines[min(position, len(lines) - 1)]
        elif action == "duplicate":
            lines.insert(position, lines[min(position, len(lines) - 1)])
        else:
            index = min(position, len(lines) - 1)
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))]
    with contextlib.suppress(ClippingParseError):
        parse_clipping("\n".join(lines))
