"""The generic body reader on templates nobody described (crawler.extraction.story).

Every page here is constructed for the test, modelled on the structures issue 12 describes
from real pages: a national outlet's article with breadcrumb, byline, share label and a
"REKOMENDASI" list of dated teasers; a WordPress JNews page with an inline ad placeholder,
an ad and "Berita Terpopuler"/"Berita Terbaru" widgets; an Espos page in a template its
layouts do not know, with a view counter and a "Promosi" teaser; stories split over sibling
boxes, wrapped in a share bar, or followed by comments. The text is invented.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.extraction import extract_article
from crawler.extraction.block import parse_html
from crawler.extraction.boilerplate import (
    _words_only,
    boilerplate,
    furniture_kind,
    is_dated_item,
)
from crawler.extraction.density import densest_container
from crawler.extraction.layouts import read_article
from crawler.extraction.story import read_story
from crawler.spiders.espos import EsposSpider

STORY = [
    "JAKARTA, Contoh.id - Pemerintah pusat menyiapkan anggaran perbaikan jalan nasional di "
    "pantai utara Jawa menjelang musim hujan tahun ini.",
    "Menteri Pekerjaan Umum mengatakan perbaikan dimulai dari ruas yang paling sering "
    "dikeluhkan pengendara, terutama di sekitar jembatan tua.",
    '"Kami ingin semua lubang tertutup sebelum curah hujan meningkat," katanya di kantornya, '
    "Jumat pagi.",
    "Pekerjaan akan dilakukan pada malam hari agar tidak mengganggu arus kendaraan angkutan "
    "barang yang melintas pada siang hari.",
    "Pemerintah daerah diminta menyiapkan jalur alternatif selama pengerjaan berlangsung di "
    "wilayah masing-masing.",
]


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def teasers(count: int) -> str:
    return "".join(
        f"<div class='item'><a href='/nasional/{n}'><h3>Judul berita rekomendasi nomor {n} "
        f"tentang jalan dan jembatan</h3></a><div>NASIONAL | {n % 28 + 1} Oktober 2020</div></div>"
        for n in range(count)
    )


# --- the three pages of the issue ---------------------------------------------------------------


def test_national_outlet_article_keeps_the_story_only() -> None:
    body = f"""
    <div class="wrapper"><div class="konten">
      <div class="crumb"><a href="/">Home</a> &gt; <a href="/nasional">Nasional</a></div>
      <h1>Pemerintah Siapkan Perbaikan Jalan Pantura</h1>
      <div class="info">Rina Wati - Jumat, 9 Oktober 2020 | 10:15 WIB</div>
      {paragraphs(STORY)}
      <div>BAGIKAN</div>
      <div>REKOMENDASI</div>
      {teasers(20)}
    </div></div>"""
    article = extract_article(page(body), "https://www.contoh.id/nasional/123/pantura")
    assert article.body == STORY
    assert article.layers["body"] == "generic"


def test_jnews_page_time_comes_from_structured_data_and_widgets_stay_out() -> None:
    head = (
        '<meta property="article:published_time" content="2020-10-09T13:52:00+07:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Jalan", '
        '"datePublished": "2020-10-09T13:52:00"}</script>'
    )
    widget = "".join(
        f"<li><a href='/berita/{n}'>Judul berita widget nomor {n} yang cukup panjang</a></li>"
        for n in range(8)
    )
    body = f"""
    <div class="jeg_main"><div class="jeg_inner_content">
      <h1 class="jeg_post_title">Jalan</h1>
      <div class="jeg_meta_date">9 Oktober 2020</div>
      <div class="content-inner">
        {paragraphs(STORY[:2])}
        <div class="jeg_ad"><p>Loading...</p></div>
        <p>Loading...</p>
        <div class="ads-wrapper"><p>Butuh VPN? Coba sekarang gratis</p></div>
        {paragraphs(STORY[2:])}
      </div>
      <div class="jeg_postblock"><h3>Berita Terpopuler</h3><ul>{widget}</ul></div>
      <div class="jeg_postblock"><h3>Berita Terbaru</h3><ul>{widget}</ul></div>
    </div></div>"""
    article = extract_article(page(body, head), "https://lingkarjateng.id/berita/jalan/")
    assert article.body == STORY
    assert article.published.isoformat() == "2020-10-09T13:52:00+07:00"
    assert "published_precision" not in article.layers


def test_espos_page_in_an_unknown_template_drops_counter_and_promo() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Jalan", '
        '"datePublished": "2025-07-03T16:04:00+07:00"}</script>'
    )
    body = f"""
    <article class="single-news"><h1>Jalan</h1>
      <div class="meta">1 view</div>
      <div class="news-body">
        {paragraphs(STORY[:3])}
        <p>Promosi Kredit kendaraan bunga ringan untuk pelanggan baru</p>
        {paragraphs(STORY[3:])}
        <p>1 view</p>
      </div>
    </article>"""
    url = "https://solopos.espos.id/jalan-pantura-diperbaiki-2210681"
    read = read_article(page(body, head), url, EsposSpider.layouts)
    assert read.layout is None
    assert read.article.body == STORY


@pytest.mark.parametrize(
    ("label", "teaser"),
    [
        ("Artikel Terkait", "Tiga Pelajar Terjaring Razia Knalpot Brong di Banyumanik"),
        ("Berita Terkini", "Jadwal Kereta Prameks Akhir Pekan"),
        ("KONTEN PROMOSI", "Promo Servis Motor Akhir Bulan"),
    ],
)
def test_plain_teaser_lines_after_a_list_label_are_not_story(label: str, teaser: str) -> None:
    # The Jawa Pos radar template ends its story box with such lines (tests/sites/radar*).
    tail = f"<p>Editor : Tri Handayani</p><p>Bagikan:</p><p>{label}</p><p>{teaser}</p>"
    body = f"<div class='read__content clearfix'>{paragraphs(STORY)}{tail}</div>"
    article = extract_article(page(body), "https://radarsolo.jawapos.com/solo/1/judul")
    assert article.body == STORY
    assert read_story(parse_html(page(body))).dropped["listed_teaser"] == [teaser]


# --- density: what never wins, what wraps ---------------------------------------------------------


def test_comments_and_consent_banners_never_hold_the_story() -> None:
    comment = "Saya setuju sekali dengan pendapat pemerintah, semoga cepat selesai ya pak. " * 3
    body = f"""
    <div id="cookie-consent"><p>{"Kami memakai cookie untuk pengalaman terbaik. " * 6}</p></div>
    <div class="isi">{paragraphs(STORY[:2])}</div>
    <div id="comments">{"".join(f"<div class='c'><p>{comment}</p></div>" for _ in range(6))}</div>
    """
    box = densest_container(parse_html(page(body)))
    assert box is not None and box.get("class") == "isi"


def test_a_share_bar_wrapping_the_whole_story_is_a_wrapper_not_furniture() -> None:
    teaser = "Ringkasan berita lain yang ditautkan di samping artikel ini, cukup panjang."
    body = f"""
    <div class="sosmedsticky author-and-share"><div class="desc">{paragraphs(STORY)}</div></div>
    <div class="lain">{"".join(f"<div class='t'><p>{teaser}</p></div>" for _ in range(3))}</div>
    """
    box = densest_container(parse_html(page(body)))
    assert box is not None and box.get("class") == "desc"


def test_page_footer_is_never_the_story() -> None:
    legal = "Hak cipta dilindungi undang-undang dan seluruh isi situs ini milik perusahaan. "
    body = f"<div class='isi'>{paragraphs(STORY[:2])}</div><footer><div>{legal * 8}</div></footer>"
    box = densest_container(parse_html(page(body)))
    assert box is not None and box.get("class") == "isi"


# --- the vote -------------------------------------------------------------------------------------


def test_a_story_split_over_sibling_boxes_is_read_whole() -> None:
    parts = "".join(
        f"<div class='story-part column'><p>{text}</p></div><div class='ad'>Advertisement</div>"
        for text in STORY
    )
    body = f"<section class='story'>{parts}</section><div class='side'><p>Kolom samping.</p></div>"
    story = read_story(parse_html(page(body)))
    assert story.paragraphs == STORY


def test_the_next_post_appended_with_the_same_classes_is_not_a_part_of_the_story() -> None:
    other = [
        f"Cerita lain tentang pasar malam, kalimat panjang nomor {n} untuk diuji." for n in range(4)
    ]
    posts = "".join(
        f"<div class='post-wrap single'><h1>{title}</h1><div class='entry'>{paragraphs(texts)}"
        "</div></div>"
        for title, texts in [("Jalan", STORY), ("Pasar", other)]
    )
    body = f"<div class='main'>{posts}</div>"
    assert read_story(parse_html(page(body))).paragraphs == STORY


def test_teasers_of_other_stories_nested_in_the_box_stay_out() -> None:
    nested = "".join(
        f"<article class='teaser'><p>Ringkasan cerita lain nomor {n}, yang juga ditulis dengan "
        "kalimat lengkap supaya terlihat seperti prosa.</p></article>"
        for n in range(3)
    )
    body = f"<article class='post'>{paragraphs(STORY)}<h3>Lainnya</h3>{nested}</article>"
    assert read_story(parse_html(page(body))).paragraphs == STORY


def test_a_pull_quote_next_to_the_box_is_not_added_twice() -> None:
    quote = STORY[2]
    story = f"<div class='isi'>{paragraphs(STORY)}</div>"
    body = f"<div class='wrap'><blockquote>{quote}</blockquote>{story}</div>"
    assert read_story(parse_html(page(body))).paragraphs == STORY


def test_a_detached_dateline_opening_the_box_is_joined() -> None:
    body = f"<div class='isi'><strong>Jakarta</strong> - {paragraphs(STORY[1:])}</div>"
    assert read_story(parse_html(page(body))).paragraphs[0] == f"Jakarta - {STORY[1]}"


# --- the vocabulary -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Baca Juga", "label:related"),
        ("REKOMENDASI", "label:related"),
        ("Berita Terpopuler", "label:popular"),
        ("Bagikan:", "label:share"),
        ("ADVERTISEMENT", "label:ads"),
        ("Scroll to continue with content", "label:ads"),
        ("Loading...", "label:ads"),
        ("Read more: Jalan tol baru dibuka", "teaser:expand"),
        ("Baca juga: Jalan tol baru dibuka", "teaser:related"),
        ("Tags: jalan, pantura", "teaser:tags"),
        ("1 view", "counter"),
        ("12 komentar", "counter"),
        ("Home > Nasional", "breadcrumb"),
        ("Beranda / Jateng / Semarang", "breadcrumb"),
        ("NASIONAL | 9 Oktober 2020", "dated_item"),
        ("Jateng, 2 jam lalu", "dated_item"),
    ],
)
def test_page_furniture_is_recognised_by_what_it_is(text: str, kind: str) -> None:
    assert furniture_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        STORY[0],
        "Terbaru, pemerintah menambah anggaran untuk perbaikan jalan di wilayah selatan.",
        "Sidang digelar 9 Oktober 2020 di pengadilan negeri.",
        "Home sweet home, kata warga yang baru pulang dari pengungsian.",
        "Ia membaca juga laporan dari dinas terkait.",
    ],
)
def test_story_sentences_are_not_furniture(text: str) -> None:
    assert furniture_kind(text) is None
    assert not is_dated_item(text)


LABELS = sorted(boilerplate().labels)


@given(
    st.sampled_from(LABELS),
    st.text(alphabet=st.sampled_from(" .:-—_*|\n\xa0ßa"), max_size=90),
    st.text(alphabet=st.sampled_from(" .:-—_*|\n\xa0ßa"), max_size=90),
)
def test_a_label_padded_with_punctuation_is_still_one(label: str, before: str, after: str):
    """A long paragraph is ruled out by its opening; a label among punctuation is not."""
    text = before + label.upper() + after
    assert boilerplate().label_kind(text) == boilerplate().labels.get(_words_only(text))


def test_a_long_paragraph_is_ruled_out_by_its_opening() -> None:
    assert boilerplate().label_kind(STORY[0] * 3) is None
    assert boilerplate().label_kind("." * 200 + " Baca juga " + "-" * 200) == "related"


def test_box_classes_name_furniture_unless_they_also_say_content() -> None:
    vocabulary = boilerplate()
    assert vocabulary.box_kind("div", "related-posts") == "related"
    assert vocabulary.box_kind("div", "comments-area") == "comments"
    assert vocabulary.box_kind("div", "post-content share-enabled") is None
    assert vocabulary.box_kind("article", "share") is None
