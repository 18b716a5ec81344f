"""Body cleaning rules and dateline detection.

All paragraph texts here are constructed; their shapes (captions, "Baca juga" boxes, ad labels,
credit lines, datelines) follow the noise and dateline formats listed in the shared research
notes and fixtures README.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.extraction.cleaning import (
    NOISE_PARAGRAPHS,
    WIDGET_LABEL,
    clean_paragraphs,
    collapse_whitespace,
    noise_rule,
)
from crawler.extraction.dateline import find_dateline

STORY = "Wali kota meninjau pasar yang baru selesai dibangun pada Senin (3/7/2025) pagi."

#: rule name -> constructed paragraphs it must drop
DROPPED: dict[str, list[str]] = {
    "caption_outlet_prefix": [
        "ESPOS.ID - Suasana pasar tradisional di Boyolali. (Espos/Dok)",
        "SOLOPOS.COM - Warga antre di depan balai desa.",
    ],
    "caption_foto": [
        "Pasar Gede saat malam. Foto: Dok. Pemkot",
        "(Foto: Humas Pemprov)",
        "Warga membersihkan sungai (Foto: Dinas LH)",
    ],
    "caption_bracket_credit": ["Aksi seribu lilin di alun-alun. [suara.com/Nama Fotografer]"],
    "caption_wire_photo": ["Petugas memeriksa dokumen. (ANTARA FOTO/Nama Pewarta)"],
    "baca_juga": [
        "Baca juga: Jalan Tol Baru Dibuka Besok",
        "Baca Juga : Harga Cabai Turun",
        "BACA JUGA: Banjir Rendam Dua Desa",
        "[Baca juga: Festival Kota Lama Kembali Digelar]",
        "Baca: Jadwal Lengkap Mudik Gratis",
        "| Baca juga: Link Siaran Langsung |",
        "Baca selengkapnya: epaper.contoh.id",
    ],
    "tribun_bullet": ["• Judul Berita Lain yang Ditautkan"],
    "promosi": ["Promosi Rekomendasi Wisata Akhir Pekan di Kota Semarang"],
    "video_promo": [
        'Simak Video "Banjir di Pantura"',
        "Lihat juga Video: Kemacetan Panjang di Gerbang Tol",
        "[Gambas:Video 20detik]",
    ],
    "epaper_promo": ["Simak berita lengkapnya di E-Paper Solopos hari ini"],
    "credit_line": [
        "Editor: Nama Editor",
        "Editor : Nama Editor",
        "Penulis: Nama Penulis",
        "Sumber:Contoh.com",
        "Pewarta : Nama Pewarta",
    ],
    "tag_line": ["Tags: banjir, semarang"],
    "pager": ["Halaman selanjutnya", "Halaman: 1 2 3 Selanjutnya", "Halaman 1 2"],
    "syndication_footer": ["Artikel ini telah naik di detikJateng dan bisa dibaca di sini."],
    "separator": ["-----", "- - -"],
    "date_line": [
        "Kamis, 05 November 2015 | 11:13 WIB",
        "FILM INDONESIA Kamis, 05 November 2015 11:52 |",
        "20/1/2026 18:30",
    ],
    "editor_initials": ["(mea/mea)", "(FHM)", "(Cas/Isk)", "(fyk/ash)"],
    "lihat_foto": ["lihat foto"],
    "copyright": ["COPYRIGHT © CONTOH 2017", "Hak cipta dilindungi undang-undang"],
    "comment_count": ["0 Komentar"],
    "social_prompt": [
        "Ikuti berita terbaru kami di Google News",
        "Cek berita dan artikel yg lain di Google News",
        "Gabung ke WhatsApp Channel kami untuk kabar terkini",
    ],
    "follow_prompt": [
        "Ikuti kami di media sosial",
        "Follow Instagram kami",
        "Jangan sampai ketinggalan berita terkini dari kami",
        "Share on Facebook",
    ],
}

#: Paragraphs that resemble noise but are story text and must be kept.
KEPT = [
    "Esposin, SEMARANG – Pemerintah kota membuka pasar baru pada Senin (3/7/2025).",
    "Promosi wisata Solo dilakukan di tiga kota besar sepanjang bulan ini.",
    "Editor senior itu mengatakan laporan akan terbit pekan depan.",
    "Sumber air di desa itu mengering sejak Juli, kata kepala desa.",
    "Pembangunan pasar menelan biaya Rp10 miliar dari APBD. (E-2)",
    "Ia menyebut hasil penyelidikan sudah diserahkan ke jaksa. (Luh Wayanti)",
    "Halaman sekolah itu dipakai warga untuk salat Id.",
    "Baca tulis menjadi program utama perpustakaan desa.",
    "Pada Senin, 3 Juli 2025 pukul 09.15 WIB, warga berkumpul di balai desa.",
]


#: Paragraphs that are only a widget's label (crawler/data/boilerplate.json).
WIDGET_LABELS = [
    *("Baca Juga", "BACA JUGA", "Berita Terkait", "Berita Lainnya", "Artikel Terkait :"),
    *("Related News", "Jangan Lewatkan!", "ADVERTISEMENT", "Advertisement"),
    *("SCROLL TO RESUME CONTENT", "SCROLL TO CONTINUE WITH CONTENT"),
    *("ADVERTISEMENT SCROLL TO CONTINUE WITH CONTENT", "REKOMENDASI", "Lihat Juga"),
]


def test_every_rule_has_examples() -> None:
    assert set(DROPPED) == set(NOISE_PARAGRAPHS)


@pytest.mark.parametrize("paragraph", WIDGET_LABELS)
def test_a_widget_label_alone_is_dropped(paragraph: str) -> None:
    assert noise_rule(paragraph) == WIDGET_LABEL
    assert clean_paragraphs([STORY, paragraph, STORY]) == [STORY, STORY]


@pytest.mark.parametrize(
    ("rule", "paragraph"), [(rule, text) for rule, texts in DROPPED.items() for text in texts]
)
def test_noise_paragraph_is_dropped_by_its_rule(rule: str, paragraph: str) -> None:
    assert noise_rule(paragraph) == rule
    assert clean_paragraphs([STORY, paragraph, STORY]) == [STORY, STORY]


@pytest.mark.parametrize("paragraph", KEPT)
def test_story_paragraphs_are_kept(paragraph: str) -> None:
    assert noise_rule(paragraph) is None
    assert clean_paragraphs([paragraph]) == [paragraph]


def test_initials_after_a_line_break_are_cut_from_the_last_paragraph() -> None:
    last = "Sidang akan dilanjutkan pekan depan.\n\n(Cas/Isk)"
    assert clean_paragraphs([STORY, last]) == [STORY, "Sidang akan dilanjutkan pekan depan."]


def test_capitals_credit_is_dropped_only_as_the_last_paragraph() -> None:
    assert clean_paragraphs([STORY, "DINI TEJA"]) == [STORY]
    assert clean_paragraphs([STORY, "(ANTARA)"]) == [STORY]
    assert clean_paragraphs(["DATA DAN FAKTA", STORY]) == ["DATA DAN FAKTA", STORY]


def test_initials_inline_without_a_line_break_stay() -> None:
    text = "Kalimat terakhir berita (sebut saja begitu) (ABC)"
    assert clean_paragraphs([text]) == [text]


def test_whitespace_nbsp_and_entities_are_normalised() -> None:
    raw = "  Harga\xa0cabai &ndash; naik&nbsp;lagi,\n  kata &ldquo;pedagang&rdquo; &amp; pembeli. "
    assert clean_paragraphs([raw]) == ["Harga cabai – naik lagi, kata “pedagang” & pembeli."]


def test_empty_paragraphs_are_dropped() -> None:
    assert clean_paragraphs(["", "   ", "\xa0", "&nbsp;", STORY]) == [STORY]


def test_collapse_whitespace() -> None:
    assert collapse_whitespace("\n a\t\xa0 b \n") == "a b"


@given(st.lists(st.text(max_size=80), max_size=8))
def test_cleaning_never_invents_text(paragraphs: list[str]) -> None:
    sources = [collapse_whitespace(html.unescape(p)) for p in paragraphs]
    for output in clean_paragraphs(paragraphs):
        assert any(output in source for source in sources)


@pytest.mark.parametrize(
    ("first_paragraph", "place"),
    [
        ("Esposin, SEMARANG – Wali kota meninjau pasar.", "SEMARANG"),
        ("Esposin, SOLO—Hujan deras turun sejak pagi.", "SOLO"),
        ("Solopos.com, KARANGANYAR -- Warga berkumpul.", "KARANGANYAR"),
        ("LHOKSEUMAWE, KOMPAS.com – Polisi menyerahkan berkas.", "LHOKSEUMAWE"),
        ("UNGARAN, KOMPAS.com - Bupati meresmikan jalan.", "UNGARAN"),
        ("Jakarta (ANTARA News) - Sidang digelar hari ini.", "Jakarta"),
        ("Mataram, NTB (ANTARA News) - Penerbangan dibatalkan.", "Mataram"),
        ("Semarang (ANTARA) - Gubernur membuka acara.", "Semarang"),
        ("Liputan6.com, Jakarta - Operator memperluas jaringan.", "Jakarta"),
        ("TRIBUNJATENG.COM, KUDUS - Ribuan warga hadir.", "KUDUS"),
        ("TRIBUNSOLO.COM, JAKARTA --Hingga kini belum ada vaksin.", "JAKARTA"),
        ("Jakarta - Polisi memeriksa saksi.", "Jakarta"),
        ("Doha - Kedua tim bertemu malam ini.", "Doha"),
        ("Murianews, Kudus – Harga gabah naik.", "Kudus"),
        ("SEMARANG – Pemprov menetapkan UMK.", "SEMARANG"),
        ("Suara.com - Polisi mengumpulkan alat bukti.", None),
        ("KOMPAS.com - Cuaca cerah diperkirakan.", None),
        ("INTERNATIONAL Golden Institute menggelar wisuda.", None),
        ("Dikutip dari sebuah harian, pejabat itu mengaku.", None),
        ("", None),
    ],
)
def test_find_dateline(first_paragraph: str, place: str | None) -> None:
    assert find_dateline(first_paragraph) == place


def test_outlet_pattern_is_tried_first() -> None:
    pattern = r"^RADAR (?P<place>[A-Z]+) \|"
    assert find_dateline("RADAR KUDUS | Pasar baru dibuka.", pattern) == "KUDUS"
    assert find_dateline("Jakarta - Berita lain.", pattern) == "Jakarta"
