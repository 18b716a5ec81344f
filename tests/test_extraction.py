"""Article extraction layers on small pages.

Every page here is constructed for the test. Their structure imitates the platforms in the
shared real fixtures (detik meta tags and detached datelines, PRMN ``content_*`` meta tags,
Media Indonesia's editor-as-JSON-LD-author, Murianews' header date, antara ``<br>`` bodies);
the text is invented.
"""

from __future__ import annotations

import json
import socket
from datetime import datetime

import pytest
from lxml.cssselect import CSSSelector

from crawler.extraction import OutletSelectors, extract_article
from crawler.extraction.block import parse_html, split_paragraphs
from crawler.extraction.density import densest_container
from crawler.extraction.jsonld import loads_lenient
from crawler.extraction.selectors import select
from crawler.utils.timezones import WIB

URL = "https://www.contoh.id/berita/12345/pasar-baru-dibuka"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=WIB)
P1 = "Esposin, SEMARANG – Pemerintah kota membuka pasar baru di pusat kota pada Senin pagi."
P2 = "Pasar itu menampung lebih dari tiga ratus pedagang yang sebelumnya berjualan di trotoar."
P3 = "Wali kota berharap pasar baru membuat lalu lintas di sekitar alun-alun lebih lancar."
BODY_HTML = f"<div class='isi'><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"


def page(head: str = "", body: str = BODY_HTML) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def ld(obj: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- JSON-LD ---------------------------------------------------------------------------------


def test_jsonld_graph() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Contoh"},
            {
                "@type": "NewsArticle",
                "headline": "Pasar Baru Dibuka",
                "datePublished": "2025-07-03T09:15:20+07:00",
                "dateModified": "2025-07-03T10:00:00+07:00",
                "author": [{"@type": "Person", "name": "Rina Wati"}],
                "articleSection": "Semarang",
                "keywords": "pasar, semarang",
            },
        ],
    }
    article = extract_article(page(ld(graph)), URL, now=NOW)
    assert article.title == "Pasar Baru Dibuka"
    assert article.published == at("2025-07-03T09:15:20+07:00")
    assert article.modified == at("2025-07-03T10:00:00+07:00")
    assert article.authors == ["Rina Wati"]
    assert article.section == "Semarang"
    assert article.tags == ["pasar", "semarang"]
    for name in ("title", "published", "modified", "authors", "section", "tags"):
        assert article.layers[name] == "jsonld"


def test_jsonld_top_level_list_prefers_article_over_webpage() -> None:
    blocks = [
        {"@type": "WebPage", "headline": "Judul Halaman", "datePublished": "2025-01-01"},
        {
            "@type": "ReportageNewsArticle",
            "headline": "Judul Berita",
            "datePublished": "2025-07-03",
        },
    ]
    article = extract_article(page(ld(blocks)), URL, now=NOW)
    assert article.title == "Judul Berita"
    assert article.published == at("2025-07-03T00:00:00+07:00")


def test_jsonld_webpage_with_headline_is_used_without_an_article() -> None:
    block = {"@type": "WebPage", "headline": "Judul Halaman", "datePublished": "2025-07-03T08:00"}
    article = extract_article(page(ld(block)), URL, now=NOW)
    assert (article.title, article.layers["title"]) == ("Judul Halaman", "jsonld")


def test_jsonld_broken_json_is_repaired() -> None:
    broken = """{
        "@type": "NewsArticle",
        "headline": "Banjir &quot;Rob&quot; Rendam
        Pantura",
        "datePublished": "2025-07-03T09:15:00+07:00",
        "author": {"@type": "Person", "name": "Budi"},
    }"""
    head = f'<script type="application/ld+json">{broken}</script>'
    article = extract_article(page(head), URL, now=NOW)
    assert article.title == 'Banjir "Rob" Rendam Pantura'
    assert article.authors == ["Budi"]
    assert article.published == at("2025-07-03T09:15:00+07:00")


def test_jsonld_entity_encoded_block_and_several_blocks() -> None:
    encoded = "{&quot;@type&quot;: &quot;NewsArticle&quot;, &quot;headline&quot;: &quot;Dua&quot;}"
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        f'<script type="application/ld+json">{encoded}</script>'
    )
    assert extract_article(page(head), URL, now=NOW).title == "Dua"


def test_loads_lenient_concatenated_and_hopeless() -> None:
    assert loads_lenient('{"a": 1}{"b": 2}') == [{"a": 1}, {"b": 2}]
    assert loads_lenient("[1, 2,]") == [[1, 2]]
    assert loads_lenient("not json at all") == []


def test_jsonld_organisation_author_is_not_a_person() -> None:
    block = {
        "@type": "NewsArticle",
        "headline": "X",
        "author": {"@type": "Organization", "name": "Contoh"},
    }
    assert extract_article(page(ld(block)), URL, now=NOW).authors == []


def test_jsonld_views_and_url() -> None:
    block = {
        "@type": "NewsArticle",
        "headline": "X",
        "url": "https://contoh.id/berita/12345/pasar-baru-dibuka",
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/ReadAction",
            "userInteractionCount": "1.234",
        },
    }
    article = extract_article(page(ld(block)), URL, now=NOW)
    assert article.views == 1234
    assert (article.url, article.layers["url"]) == (block["url"], "jsonld")


# --- meta tags -------------------------------------------------------------------------------


def test_meta_fallbacks() -> None:
    head = """
        <meta property="og:title" content="Pasar Baru Dibuka">
        <meta name="content_PublishedDate" content="2025-07-03 09:15:00">
        <meta name="content_author" content="Rina Wati">
        <meta name="content_category" content="Semarang Raya">
        <meta name="keywords" content="pasar, semarang">
    """
    article = extract_article(page(head), URL, now=NOW)
    assert article.title == "Pasar Baru Dibuka"
    assert article.published == at("2025-07-03T09:15:00+07:00")
    assert article.authors == ["Rina Wati"]
    assert article.section == "Semarang Raya"
    assert article.tags == ["pasar", "semarang"]
    assert {article.layers[n] for n in ("title", "published", "authors", "section", "tags")} == {
        "meta"
    }


def test_meta_detik_fake_utc_is_wib_and_facebook_author_is_skipped() -> None:
    head = """
        <meta name="pubdate" content="2022-12-10T13-19-56Z">
        <meta property="article:author" content="https://www.facebook.com/contoh">
        <meta name="dtk:author" content="Rina Wati">
    """
    article = extract_article(page(head), URL, now=NOW)
    assert article.published == at("2022-12-10T13:19:56+07:00")
    assert article.authors == ["Rina Wati"]


def test_meta_article_published_time_and_itemprop() -> None:
    head = '<meta property="article:published_time" content="2025-07-03T02:15:00Z">'
    assert extract_article(page(head), URL, now=NOW).published == at("2025-07-03T09:15:00+07:00")
    body = '<time itemprop="datePublished" datetime="2025-07-03 09:15:00">3 Juli</time>' + BODY_HTML
    article = extract_article(page(body=body), URL, now=NOW)
    assert (article.published, article.layers["published"]) == (
        at("2025-07-03T09:15:00+07:00"),
        "meta",
    )


def test_jsonld_wins_over_meta() -> None:
    head = ld({"@type": "NewsArticle", "headline": "Dari JSON-LD"}) + (
        '<meta property="og:title" content="Dari meta">'
    )
    article = extract_article(page(head), URL, now=NOW)
    assert (article.title, article.layers["title"]) == ("Dari JSON-LD", "jsonld")


# --- canonical url -----------------------------------------------------------------------------


def test_url_canonical_first_and_only_same_site() -> None:
    head = (
        '<link rel="canonical" href="https://agregator.example.com/salinan">'
        '<meta property="og:url" content="https://m.contoh.id/berita/12345/pasar-baru-dibuka">'
    )
    article = extract_article(page(head), URL, now=NOW)
    assert article.url == "https://m.contoh.id/berita/12345/pasar-baru-dibuka"
    relative = extract_article(page('<link rel="canonical" href="/berita/1/a">'), URL, now=NOW)
    assert relative.url == "https://www.contoh.id/berita/1/a"
    assert extract_article(page('<link rel="canonical" href="">'), URL, now=NOW).url is None


# --- titles ------------------------------------------------------------------------------------


def test_title_suffix_stripped_only_when_the_page_confirms_it() -> None:
    head = '<meta property="og:title" content="Pasar Baru Dibuka - Contoh Indonesia">'
    confirmed = extract_article(page(head, "<h1>Pasar Baru Dibuka</h1>" + BODY_HTML), URL)
    assert confirmed.title == "Pasar Baru Dibuka"
    unconfirmed = extract_article(page(head), URL, now=NOW)
    assert unconfirmed.title == "Pasar Baru Dibuka - Contoh Indonesia"
    suffixed_ld = ld({"@type": "NewsArticle", "headline": "Pasar Baru Dibuka | Contoh"})
    plain_og = '<meta property="og:title" content="Pasar Baru Dibuka">'
    article = extract_article(page(suffixed_ld + plain_og), URL, now=NOW)
    assert (article.title, article.layers["title"]) == ("Pasar Baru Dibuka", "jsonld")


def test_title_takes_headline_punctuation_from_h1() -> None:
    head = ld({"@type": "NewsArticle", "headline": "IHSG Hari Ini Sempat Tembus 9000"})
    article = extract_article(page(head, "<h1>IHSG Hari Ini: Sempat Tembus 9000?</h1>"), URL)
    assert (article.title, article.layers["title"]) == (
        "IHSG Hari Ini: Sempat Tembus 9000?",
        "jsonld",
    )


def test_title_from_h2_when_h1_is_the_section_name() -> None:
    head = '<meta property="og:title" content="Jembatan Ambrol - Contoh Regional">'
    body = "<h1>Regional</h1><h2>Jembatan Ambrol</h2>" + BODY_HTML
    assert extract_article(page(head, body), URL, now=NOW).title == "Jembatan Ambrol"


def test_title_site_prefix_and_differently_suffixed_titles() -> None:
    head = '<meta property="og:title" content="Contoh.com: Pasar Baru Dibuka">'
    body = "<h1>Pasar Baru Dibuka</h1>" + BODY_HTML
    assert extract_article(page(head, body), URL, now=NOW).title == "Pasar Baru Dibuka"
    head = (
        '<meta property="og:title" content="Pasar Baru Dibuka | Contoh Online">'
        '<meta name="title" content="Pasar Baru Dibuka - Contoh Online">'
    )
    assert extract_article(page(head), URL, now=NOW).title == "Pasar Baru Dibuka"


def test_date_after_a_headline_shown_in_a_div_but_not_after_a_teaser_link() -> None:
    head = '<meta property="og:title" content="Pasar Baru Dibuka">'
    body = (
        "<ul><li><a href='/x'>Pasar Baru Dibuka</a><span class='date'>1/7/2025 08:00</span></li>"
        "</ul><div class='judul'>Pasar Baru Dibuka</div>"
        f"<div class='date'>3/7/2025 09:15</div>{BODY_HTML}"
    )
    article = extract_article(page(head, body), URL, now=NOW)
    assert article.published == at("2025-07-03T09:15:00+07:00")


def test_title_generic_h1_without_structured_data() -> None:
    article = extract_article(page(body="<h1> Pasar\n Baru </h1>" + BODY_HTML), URL, now=NOW)
    assert (article.title, article.layers["title"]) == ("Pasar Baru", "generic")


# --- published -----------------------------------------------------------------------------------


def test_visible_date_after_headline_when_no_structured_date() -> None:
    body = (
        "<div class='header-date'>Kamis, 27 November 2026 07:00 WIB</div>"
        "<h1>Pasar Baru Dibuka</h1><div class='tanggal'>Senin, 3 Juli 2025 - 09:15 WIB</div>"
        + BODY_HTML
    )
    article = extract_article(page(body=body), URL, now=NOW)
    assert (article.published, article.layers["published"]) == (
        at("2025-07-03T09:15:00+07:00"),
        "generic",
    )


def test_header_date_is_never_the_publication_time() -> None:
    # Murianews-style: the site header prints today's date above everything
    header = "<header><div class='today'>Kamis, 27 November 2026 07:00 WIB</div></header>"
    for body in (
        f"{header}<main><article><h1>Judul</h1>{BODY_HTML}</article></main>",
        f"{header}<h1>Judul</h1>{BODY_HTML}",
    ):
        assert extract_article(page(body=body), URL, now=NOW).published is None


def test_date_printed_just_above_the_headline() -> None:
    # okezone 2015 layout: date, then the title block
    body = (
        "<div class='post'><div class='meta-post'>Kamis, 5 November 2015 - 15:56 wib</div>"
        f"<div class='titles'><h1>Judul</h1></div>{BODY_HTML}</div>"
    )
    article = extract_article(page(body=body), URL, now=NOW)
    assert article.published == at("2015-11-05T15:56:00+07:00")


def test_updated_time_is_not_the_publication_time() -> None:
    body = "<h1>Judul</h1><div class='date'>Diperbarui 4 Juli 2025, 10:00 WIB</div>" + BODY_HTML
    head = '<meta property="article:published_time" content="2025-07-03T09:15:00+07:00">'
    article = extract_article(page(head, body), URL, now=NOW)
    assert article.published == at("2025-07-03T09:15:00+07:00")


def test_update_label_alone_gives_no_publication_time() -> None:
    body = "<h1>Judul</h1><div class='date'>Diperbarui 4 Juli 2025, 10:00 WIB</div>" + BODY_HTML
    assert extract_article(page(body=body), URL, now=NOW).published is None


def test_shown_minute_wins_over_structured_save_time_on_the_same_day() -> None:
    head = ld(
        {"@type": "NewsArticle", "headline": "Judul", "datePublished": "2026-01-20T18:33:13+07:00"}
    )
    shown = "<h1>Judul</h1><span class='datetime'>20/1/2026 18:30</span>" + BODY_HTML
    article = extract_article(page(head, shown), URL, now=NOW)
    assert (article.published, article.layers["published"]) == (
        at("2026-01-20T18:30:00+07:00"),
        "generic",
    )
    agreeing = shown.replace("18:30", "18:33")
    assert extract_article(page(head, agreeing), URL, now=NOW).published == at(
        "2026-01-20T18:33:13+07:00"
    )
    other_day = shown.replace("20/1/2026", "21/1/2026")
    assert extract_article(page(head, other_day), URL, now=NOW).published == at(
        "2026-01-20T18:33:13+07:00"
    )


def test_date_quoted_in_the_story_is_not_read() -> None:
    body = "<h1>Judul</h1>" + BODY_HTML.replace(P2, "Senin, 3 Juli 2025 09:15 WIB")
    article = extract_article(page(body=body), URL, now=NOW)
    assert article.published != at("2025-07-03T09:15:00+07:00")


# --- authors -------------------------------------------------------------------------------------


def test_jsonld_author_who_is_the_visible_editor_is_replaced_by_the_byline() -> None:
    head = ld(
        {"@type": "NewsArticle", "headline": "Judul", "author": {"@type": "Person", "name": "Andi"}}
    )
    body = (
        "<h1>Judul</h1><div class='author-2'>Andi Prasetyo</div>"
        + BODY_HTML
        + "<div class='info'>Editor : <a class='author' href='/author/1/Andi'>Andi</a></div>"
    )
    article = extract_article(page(head, body), URL, now=NOW)
    assert (article.authors, article.layers["authors"]) == (["Andi Prasetyo"], "generic")


def test_editor_only_credit_gives_no_author() -> None:
    head = ld(
        {"@type": "NewsArticle", "headline": "J", "author": {"@type": "Person", "name": "Hadi"}}
    )
    body = "<h1>J</h1>" + BODY_HTML + "<div id='editor'>Editor: Hadi</div>"
    assert extract_article(page(head, body), URL, now=NOW).authors == []


def test_writer_who_is_also_editor_stays() -> None:
    head = ld(
        {"@type": "NewsArticle", "headline": "J", "author": {"@type": "Person", "name": "Rina"}}
    )
    body = "<div class='read__info__author'>Rina</div>" + BODY_HTML + "<p>Editor: Rina</p>"
    assert extract_article(page(head, body), URL, now=NOW).authors == ["Rina"]


def test_team_and_outlet_bylines_are_not_authors() -> None:
    team = '<meta name="author" content="Tim detikJateng">'
    assert extract_article(page(team), URL, now=NOW).authors == []
    outlet = '<meta name="author" content="contoh.id developer">'
    assert extract_article(page(outlet), URL, now=NOW).authors == []
    site = '<meta property="og:site_name" content="Koran Contoh">'
    site += '<meta name="author" content="Koran Contoh">'
    assert extract_article(page(site), URL, now=NOW).authors == []


def test_several_writers_in_one_credit_and_photo_credits_ignored() -> None:
    body = (
        "<h1>J</h1><div class='photo'><img src='a.jpg'><span class='author'>Facebook</span></div>"
        + BODY_HTML
        + "<div class='byline'>Rina Wati dan Budi Santoso</div>"
    )
    assert extract_article(page(body=body), URL, now=NOW).authors == ["Rina Wati", "Budi Santoso"]


def test_visible_penulis_credit_with_role_prefix() -> None:
    body = (
        "<h1>J</h1>"
        + BODY_HTML
        + "<div>Penulis: Kontributor Kudus, Sri Lestari Editor: Ahmad</div>"
    )
    assert extract_article(page(body=body), URL, now=NOW).authors == ["Sri Lestari"]


# --- selectors layer -----------------------------------------------------------------------------


SELECTOR_PAGE = f"""
<h1 class="judul">Judul Dari Selektor</h1>
<div class="waktu">Senin, 3 Juli 2025 - 09:15 WIB</div>
<div class="penulis">Rina Wati, Budi Santoso</div>
<div class="kanal">Semarang</div>
<div class="dibaca">1.234 kali dibaca</div>
<a class="tag">pasar</a><a class="tag">semarang</a>
<div class="konten"><p>{P1}</p>
<div class="sisipan">Ini kotak sisipan yang bukan berita sama sekali, panjang.</div>
<p>{P2}</p></div>
<div class="samping"><p>{P3} Paragraf samping yang lebih padat dari konten utama.</p>
<p>{P3} Paragraf samping kedua yang lebih padat lagi dari konten.</p>
<p>{P3} Paragraf samping ketiga.</p></div>
"""
SELECTORS = OutletSelectors(
    title="h1.judul",
    published=".waktu",
    authors=".penulis",
    section=".kanal",
    tags="a.tag",
    body=".konten",
    views=".dibaca",
    noise=(".sisipan",),
    dateline_pattern=r"^Esposin, (?P<place>[A-Z]+)",
)


def test_selector_layer_reads_every_field() -> None:
    article = extract_article(page(body=SELECTOR_PAGE), URL, selectors=SELECTORS, now=NOW)
    assert article.title == "Judul Dari Selektor"
    assert article.published == at("2025-07-03T09:15:00+07:00")
    assert article.authors == ["Rina Wati", "Budi Santoso"]
    assert article.section == "Semarang"
    assert article.tags == ["pasar", "semarang"]
    assert article.views == 1234
    assert article.body == [P1, P2]
    assert article.dateline == "SEMARANG"
    assert set(article.layers.values()) == {"selectors"}


def test_empty_selector_body_falls_back_to_generic() -> None:
    selectors = OutletSelectors(body=".tidak-ada")
    article = extract_article(page(), URL, selectors=selectors, now=NOW)
    assert (article.body, article.layers["body"]) == ([P1, P2, P3], "generic")


def test_selector_list_is_tried_in_order_not_as_a_union() -> None:
    body = (
        f"<article><h1>Judul</h1><div class='post-content'><p>{P1}</p><p>{P2}</p></div></article>"
    )
    selectors = OutletSelectors(body=".post-content, .amp-content, article")
    article = extract_article(page(body=body), URL, selectors=selectors, now=NOW)
    assert article.body == [P1, P2]
    fallback = OutletSelectors(body=".amp-content, article")
    assert extract_article(page(body=body), URL, selectors=fallback, now=NOW).body == [P1, P2]


@pytest.mark.parametrize(
    "css",
    ["html[amp]", "html", " html[lang='id'] ", "html.no-js", "html body", "html > body", ".isi"],
)
@pytest.mark.parametrize("opening", ["<html amp lang='id'>", "<html lang='en' class='js'>"])
def test_a_page_s_shortcut_selectors_find_what_cssselect_finds(css: str, opening: str) -> None:
    """The root and one-class selectors a page answers without a scan (``_matching``)."""
    root = parse_html(opening + page().removeprefix("<html>"))
    assert root.get("lang") in ("id", "en")  # the opening tag was used
    assert select(root, css) == CSSSelector(css)(root)


def test_invalid_selector_matches_nothing() -> None:
    article = extract_article(page(), URL, selectors=OutletSelectors(title="h1[["), now=NOW)
    assert article.body == [P1, P2, P3]


def test_layers_are_recorded_per_field() -> None:
    head = ld({"@type": "NewsArticle", "headline": "Judul"}) + (
        '<meta property="article:section" content="Jateng">'
    )
    body = "<span class='dibaca'>99 views</span>" + BODY_HTML
    article = extract_article(page(head, body), URL, selectors=OutletSelectors(views=".dibaca"))
    assert article.layers["title"] == "jsonld"
    assert article.layers["section"] == "meta"
    assert article.layers["views"] == "selectors"
    assert article.layers["body"] == "generic"
    assert "published" not in article.layers


# --- body sources ------------------------------------------------------------------------------


def test_jsonld_article_body_used_only_with_paragraph_structure() -> None:
    structured = {
        "@type": "NewsArticle",
        "headline": "J",
        "articleBody": f"{P1}\n\n{P2}\n\nBaca juga: X",
    }
    article = extract_article(page(ld(structured), "<p>x</p>"), URL, now=NOW)
    assert (article.body, article.layers["body"]) == ([P1, P2], "jsonld")
    markup = {"@type": "NewsArticle", "headline": "J", "articleBody": f"<p>{P1}</p><p>{P3}</p>"}
    assert extract_article(page(ld(markup), "<p>x</p>"), URL, now=NOW).body == [P1, P3]
    flat = {"@type": "NewsArticle", "headline": "J", "articleBody": f"{P1} {P2}"}
    article = extract_article(page(ld(flat)), URL, now=NOW)
    assert (article.body, article.layers["body"]) == ([P1, P2, P3], "generic")


def test_generic_body_skips_related_boxes_captions_and_tables() -> None:
    body = f"""
    <div class="sidebar"><a href="/1">Berita lain yang ditautkan dengan judul panjang</a></div>
    <div class="detail__body-text">
      <strong>Jakarta</strong> - <p>{P2}</p><p>{P1}</p>
      <figure><img src="a.jpg"><figcaption>Foto: keterangan gambar</figcaption></figure>
      <table class="linksisip"><tr><td>Baca juga: Judul Lain</td></tr></table>
      <div class="baca-juga"><a href="/2">Judul tautan terkait</a></div>
      <p>{P3}</p>
      <p style="display:none">Teks tersembunyi yang tidak terlihat pembaca sama sekali.</p>
      <p>(abc/def)</p>
    </div>"""
    article = extract_article(page(body=body), URL, now=NOW)
    assert article.body == [f"Jakarta - {P2}", P1, P3]
    assert article.dateline == "Jakarta"


def test_generic_body_drops_link_only_lines_photo_boxes_and_the_headline() -> None:
    body = f"""
    <div class="artikel">
      <ul><li><a href="/">home</a></li><li><a href="/kanal">kanal</a></li></ul>
      <h1>Judul Berita</h1>
      <div class="display"><img src="a.jpg"><div>Keterangan foto di bawah gambar.</div></div>
      <p>{P1}</p><p>{P2}</p>
      <p><a href="/lain">Judul berita lain yang ditautkan di tengah artikel</a></p>
      <p>{P3}</p>
    </div>"""
    assert extract_article(page(body=body), URL, now=NOW).body == [P1, P2, P3]


def test_lead_written_before_a_nested_div_is_kept() -> None:
    # antaranews 2016 layout: the lead is text of the container, the rest a nested div
    body = f"<div id='content_news'>{P1}<div><br>{P2}<br><br>{P3}<br><br>{P2}</div></div>"
    assert extract_article(page(body=body), URL, now=NOW).body == [P1, P2, P3, P2]


def test_trafilatura_fallback_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("extraction tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    short = (
        "<article><h1>Judul</h1><p>Kalimat pendek.</p><p>Kalimat kedua yang pendek.</p></article>"
    )
    article = extract_article(page(body=short), URL, now=NOW)
    assert article.layers["body"] == "generic"
    assert article.body == ["Kalimat pendek.", "Kalimat kedua yang pendek."]


def test_bytes_in_a_declared_legacy_charset() -> None:
    html = page('<meta charset="windows-1252">', f"<h1>Caf\xe9 Baru</h1>{BODY_HTML}")
    article = extract_article(html.encode("cp1252"), URL, now=NOW)
    assert article.title == "Café Baru"


def test_empty_and_garbage_pages_give_an_empty_article() -> None:
    for html in ("", b"", "<<<>>>", "<?xml version='1.0' encoding='utf-8'?><html></html>"):
        article = extract_article(html, URL, now=NOW)
        assert article.body == [] and article.title is None and article.published is None


# --- paragraph splitting -----------------------------------------------------------------------


def test_split_br_runs_and_bold_subheading() -> None:
    root = parse_html(
        "<div id='c'>Jakarta (ANTARA News) - Kalimat satu.<br><br>Kalimat dua.<br /><br />"
        "<b>Awal Cerita</b><br><br>Kalimat tiga<br>baris berikut.<p>&nbsp;</p><p></p></div>"
    )
    container = root.get_element_by_id("c")
    assert split_paragraphs(container) == [
        "Jakarta (ANTARA News) - Kalimat satu.",
        "Kalimat dua.",
        "Awal Cerita",
        "Kalimat tiga",
        "baris berikut.",
    ]


def test_split_keeps_subheadings_and_inline_markup() -> None:
    root = parse_html(
        "<div id='c'><p>Satu <a href='#'>tautan</a>\n dan <strong>tebal</strong>.</p>"
        "<h2>Sub Judul</h2><p>Dua.</p></div>"
    )
    assert split_paragraphs(root.get_element_by_id("c")) == [
        "Satu tautan dan tebal.",
        "Sub Judul",
        "Dua.",
    ]


def test_densest_container_ignores_link_lists() -> None:
    links = "".join(f"<p><a href='/{i}'>{P3}</a></p>" for i in range(10))
    root = parse_html(f"<div id='related'>{links}</div>{BODY_HTML}")
    container = densest_container(root)
    assert container is not None and container.get("class") == "isi"
