"""WordPress REST post objects into article fields, and the WordPress spiders' own decisions.

The post objects here are constructed (structure: the WordPress REST API v2 ``posts`` schema
with ``_embed``); the sites under tests/sites/ exercise the same code end to end.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from crawler.discovery.sitemaps import SitemapEntry
from crawler.extraction.result import ExtractedArticle
from crawler.extraction.wp_rest import (
    REST_LAYER,
    NotRestPosts,
    read_rest_error,
    read_rest_listing,
    read_rest_post,
    rest_datetime,
)
from crawler.spiders.halosemarang import HaloSemarangSpider
from crawler.spiders.jatengpos import JatengPosSpider
from crawler.spiders.jatengprov import JatengProvSpider
from crawler.spiders.lingkarjateng import LingkarJatengSpider
from crawler.spiders.metrojateng import MetroJatengSpider
from crawler.spiders.suarabaru import SuaraBaruSpider
from crawler.spiders.wordpress import WordPressSpider, overlay, url_day
from crawler.utils.timezones import WIB


def make_post(**changes: Any) -> dict[str, Any]:
    """A constructed post object as ``/wp-json/wp/v2/posts?_embed=1`` returns it."""
    post: dict[str, Any] = {
        "id": 501,
        "date": "2025-07-02T09:15:00",
        "date_gmt": "2025-07-02T02:15:00",
        "modified": "2025-07-02T10:00:00",
        "modified_gmt": "2025-07-02T03:00:00",
        "slug": "banjir-rob-genangi-jalan-kaligawe",
        "status": "publish",
        "type": "post",
        "link": "https://contoh.id/2025/07/02/banjir-rob-genangi-jalan-kaligawe/",
        "title": {
            "rendered": "Banjir Rob &#8220;Genangi&#8221; Jalan Kaligawe &#8211; Warga Mengungsi"
        },
        "content": {
            "rendered": (
                "<p><strong>SEMARANG (CONTOH.ID)</strong> &#8211; Banjir rob menggenangi Jalan "
                "Kaligawe sejak Rabu pagi.</p>\n\n"
                '<figure class="wp-block-image"><img src="x.jpg"><figcaption>Genangan di '
                "Kaligawe. (Foto: Dok)</figcaption></figure>\n\n"
                "<p><strong>Baca Juga: <a href='https://contoh.id/lain/'>Berita lain</a>"
                "</strong></p>"
                "<p>Warga memindahkan barang ke tempat yang lebih tinggi.</p>\n"
                '<div class="sharedaddy"><h3>Bagikan ini:</h3><a href="#">Facebook</a></div>'
                '<div class="kotak-langganan"><p>Langganan koran digital sekarang juga!</p></div>'
            ),
            "protected": False,
        },
        "_embedded": {
            "author": [{"id": 4, "name": "Rina Wulandari", "slug": "rina"}],
            "wp:term": [
                [
                    {"id": 1, "name": "Uncategorized", "taxonomy": "category"},
                    {"id": 7, "name": "Semarang &amp; Sekitarnya", "taxonomy": "category"},
                ],
                [
                    {"id": 9, "name": "Rob", "taxonomy": "post_tag"},
                    {"id": 10, "name": "Kaligawe", "taxonomy": "post_tag"},
                ],
            ],
        },
    }
    post.update(changes)
    return post


# --- listing bodies --------------------------------------------------------------------------


def test_a_listing_is_a_json_list_of_post_objects():
    body = json.dumps([make_post(), "junk", make_post(id=502)]).encode()
    assert [post["id"] for post in read_rest_listing(body)] == [501, 502]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Beranda</body></html>", "an HTML page"),
        (b'{"code":"rest_no_route","message":"x","data":{"status":404}}', "error rest_no_route"),
        (b'{"posts": []}', "a JSON dict"),
        (b"", "not JSON"),
    ],
)
def test_anything_but_a_list_is_not_a_listing(body, reason):
    with pytest.raises(NotRestPosts, match=reason):
        read_rest_listing(body)


def test_rest_error_objects_are_read_with_their_status():
    error = read_rest_error(
        b'{"code":"rest_post_invalid_page_number","message":"Halaman tidak valid",'
        b'"data":{"status":400}}'
    )
    assert (error.code, error.status) == ("rest_post_invalid_page_number", 400)
    assert read_rest_error(b"[]") is None
    assert read_rest_error(b"<html></html>") is None


# --- one post --------------------------------------------------------------------------------


def test_every_field_of_a_post():
    post = read_rest_post(
        make_post(),
        noise=(".kotak-langganan",),
        dateline_pattern=r"^(?P<place>[A-Z]+) \(CONTOH\.ID\)",
    )
    article = post.article
    assert (post.id, post.type, post.is_public, post.has_body) == (501, "post", True, True)
    assert article.url == "https://contoh.id/2025/07/02/banjir-rob-genangi-jalan-kaligawe/"
    assert article.title == "Banjir Rob “Genangi” Jalan Kaligawe – Warga Mengungsi"
    assert article.published == datetime(2025, 7, 2, 9, 15, tzinfo=WIB)
    assert article.published.utcoffset().total_seconds() == 7 * 3600
    assert article.modified == datetime(2025, 7, 2, 10, 0, tzinfo=WIB)
    assert article.authors == ["Rina Wulandari"]
    assert article.section == "Semarang & Sekitarnya"
    assert article.tags == ["Rob", "Kaligawe"]
    assert article.body == [
        "SEMARANG (CONTOH.ID) – Banjir rob menggenangi Jalan Kaligawe sejak Rabu pagi.",
        "Warga memindahkan barang ke tempat yang lebih tinggi.",
    ]
    assert article.dateline == "SEMARANG"
    assert set(article.layers.values()) == {REST_LAYER}
    assert set(article.layers) == {
        *("url", "title", "published", "modified", "authors", "section", "tags", "body"),
    }


def test_outlet_noise_selectors_are_skipped_in_the_content():
    post = read_rest_post(make_post(), noise=(".kotak-langganan",))
    assert post is not None
    assert not any("Langganan" in paragraph for paragraph in post.article.body)
    assert any("Langganan" in p for p in read_rest_post(make_post()).article.body)


def test_gmt_time_wins_and_local_time_is_wib():
    assert rest_datetime("2025-07-01T17:30:00", "2025-07-02T00:30:00") == datetime(
        2025, 7, 2, 0, 30, tzinfo=WIB
    )
    assert rest_datetime(None, "2025-07-02T00:30:00") == datetime(2025, 7, 2, 0, 30, tzinfo=WIB)
    assert rest_datetime("0000-00-00T00:00:00", "2025-07-02T00:30:00").hour == 0
    assert rest_datetime("kemarin", None) is None


@pytest.mark.parametrize(
    "author",
    [
        {"id": 1, "name": "admin"},
        {"id": 1, "name": "Redaksi"},
        {"id": 1, "name": "Contoh.id"},
        {"code": "rest_user_invalid_id", "message": "ID pengguna tidak valid.", "data": {}},
    ],
    ids=["login", "team", "site-account", "refused-embed"],
)
def test_accounts_that_are_not_people_are_not_authors(author):
    post = read_rest_post(make_post(_embedded={**make_post()["_embedded"], "author": [author]}))
    assert post.article.authors == []
    assert "authors" not in post.article.layers


def test_a_post_without_embeds_still_gives_its_text_fields():
    post = read_rest_post(make_post(_embedded=None))
    assert (post.article.authors, post.article.section, post.article.tags) == ([], None, [])
    assert post.article.title and post.article.body


def test_only_unfiled_categories_leave_no_section():
    terms = [[{"id": 1, "name": "Tak Berkategori", "taxonomy": "category"}], []]
    post = read_rest_post(make_post(_embedded={"wp:term": terms}))
    assert post.article.section is None


def test_protected_and_empty_posts_have_no_body():
    protected = read_rest_post(make_post(content={"rendered": "", "protected": True}))
    assert (protected.is_public, protected.has_body) == (False, False)
    builder = read_rest_post(make_post(content={"rendered": "\n", "protected": False}))
    assert (builder.is_public, builder.has_body) == (True, False)
    assert "body" not in builder.article.layers
    draft = read_rest_post(make_post(status="draft"))
    assert not draft.is_public


def test_a_first_paragraph_repeating_the_title_is_dropped():
    content = {"rendered": "<p>Judul Berita Ini</p><p>Isi berita yang sebenarnya dimulai.</p>"}
    post = read_rest_post(make_post(title={"rendered": "Judul Berita Ini"}, content=content))
    assert post.article.body == ["Isi berita yang sebenarnya dimulai."]


@pytest.mark.parametrize("broken", [{"id": None}, {"link": ""}, {"link": 5}, {"id": "501"}])
def test_a_post_without_id_or_link_is_skipped(broken):
    assert read_rest_post(make_post(**broken)) is None


# --- the spiders' decisions --------------------------------------------------------------------


def make_spider(cls: type[WordPressSpider], **arguments: str) -> WordPressSpider:
    crawler = get_crawler(
        cls, settings_dict={"CRAWLER_DELIVERED_STORE": "crawler.store.NullDeliveredStore"}
    )
    return cls.from_crawler(crawler, since="2025-07-01", until="2025-07-03", **arguments)


def test_rest_url_parameters_are_sorted_and_widened_by_a_day():
    spider = make_spider(SuaraBaruSpider)
    assert spider.rest_url("posts", 2) == (
        "https://suarabaru.id/wp-json/wp/v2/posts?_embed=1&after=2025-06-30T00%3A00%3A00"
        "&before=2025-07-04T23%3A59%3A59&page=2&per_page=100"
    )


def test_only_post_sitemaps_of_the_window_are_read():
    spider = make_spider(HaloSemarangSpider)
    old = datetime(2025, 5, 10, tzinfo=WIB)
    recent = datetime(2025, 7, 2, tzinfo=WIB)
    entries = [
        SitemapEntry("https://halosemarang.id/wp-sitemap-posts-post-1.xml"),
        SitemapEntry("https://halosemarang.id/wp-sitemap-posts-post-3.xml"),
        SitemapEntry("https://halosemarang.id/wp-sitemap-posts-post-2.xml"),
        SitemapEntry("https://halosemarang.id/wp-sitemap-posts-page-1.xml"),
        SitemapEntry("https://halosemarang.id/wp-sitemap-taxonomies-category-1.xml"),
        SitemapEntry("https://halosemarang.id/wp-sitemap-users-1.xml"),
        SitemapEntry("https://halosemarang.id/post-sitemap.xml", lastmod=old),
        SitemapEntry("https://halosemarang.id/post-sitemap2.xml", lastmod=recent),
        SitemapEntry("https://halosemarang.id/page-sitemap.xml", lastmod=recent),
        SitemapEntry("https://halosemarang.id/post_tag-sitemap.xml", lastmod=recent),
        SitemapEntry("https://halosemarang.id/attachment-sitemap.xml", lastmod=recent),
        SitemapEntry("https://halosemarang.id/news-sitemap.xml", lastmod=recent),
        SitemapEntry("https://halosemarang.id/sitemap-arsip.xml"),
    ]
    assert [entry.loc.rsplit("/", 1)[1] for entry in spider.post_sitemaps(entries)] == [
        "wp-sitemap-posts-post-3.xml",
        "post-sitemap2.xml",
        "news-sitemap.xml",
        "sitemap-arsip.xml",
    ]


def test_sitemap_dates_rule_urls_out_but_lastmod_never_rules_one_in():
    spider = make_spider(MetroJatengSpider)
    dated = "https://metrojateng.com/2025/07/02/sebuah-berita/"
    old = "https://metrojateng.com/2025/06/20/berita-lama/"
    assert spider.sitemap_date(SitemapEntry(dated)) in spider.window
    assert spider.sitemap_date(SitemapEntry(old)) not in spider.window
    undated = "https://metrojateng.com/berita-tanpa-tanggal/"
    before = datetime(2025, 6, 1, tzinfo=WIB)
    after = datetime(2025, 7, 9, tzinfo=WIB)
    assert spider.sitemap_date(SitemapEntry(undated, lastmod=before)) == before
    assert spider.sitemap_date(SitemapEntry(undated, lastmod=after)) is None
    exact = datetime(2025, 7, 2, 8, tzinfo=WIB)
    assert spider.sitemap_date(SitemapEntry(old, publication_date=exact)) == exact


def test_url_day_reads_dated_permalinks_only():
    assert str(url_day("https://suarabaru.id/2025/07/03/judul-berita")) == "2025-07-03"
    assert url_day("https://suarabaru.id/2025/13/40/judul-berita") is None
    assert url_day("https://halosemarang.id/judul-berita-panjang/") is None


def test_rest_fields_win_over_the_page_and_the_page_fills_the_rest():
    rest = read_rest_post(make_post(content={"rendered": "", "protected": False})).article
    page = ExtractedArticle(
        title="Judul dari halaman",
        authors=["Penulis Halaman"],
        body=["KUDUS – Isi dari halaman."],
        dateline="KUDUS",
        views=321,
        layers={"title": "jsonld", "authors": "meta", "body": "selectors", "views": "selectors"},
    )
    merged = overlay(rest, page)
    assert merged.title == rest.title
    assert merged.authors == ["Rina Wulandari"]
    assert (merged.body, merged.dateline, merged.views) == (page.body, "KUDUS", 321)
    assert merged.layers["title"] == REST_LAYER and merged.layers["body"] == "selectors"
    assert page.title == "Judul dari halaman", "the page's own fields are left untouched"


@pytest.mark.parametrize(
    ("cls", "url", "is_article"),
    [
        (SuaraBaruSpider, "https://suarabaru.id/2025/07/03/judul-berita-ini", True),
        (SuaraBaruSpider, "https://suarabaru.id/category/semarang/", False),
        (MetroJatengSpider, "https://metrojateng.com/2025/08/26/pameran-lukisan/", True),
        (MetroJatengSpider, "https://metrosemarang.com/2025/08/26/pameran-lukisan/", False),
        (JatengPosSpider, "https://jatengpos.co.id/pati-raya/2026/07/24/dishub-kudus/", True),
        (JatengPosSpider, "https://jatengpos.co.id/relawan-bersihkan-sampah-plastik/bejan/", True),
        (JatengPosSpider, "https://jatengpos.co.id/category/pati-raya/", False),
        (JatengPosSpider, "https://jatengpos.co.id/tag/gubernur-jawa-tengah-2024/", False),
        (JatengPosSpider, "https://jatengpos.co.id/relawan-bersihkan-sampah-plastik/feed/", False),
        (JatengPosSpider, "https://jatengpos.co.id/pedoman-media-siber/", False),
        (LingkarJatengSpider, "https://lingkarjateng.id/warga-kendal-bangun-embung/", True),
        (LingkarJatengSpider, "https://lingkarjateng.com/warga-kendal-bangun-embung/", True),
        (LingkarJatengSpider, "https://lingkarjateng.id/category/kendal/", False),
        (HaloSemarangSpider, "https://halosemarang.id/lomba-perahu-naga-di-bkb/", True),
        (HaloSemarangSpider, "https://halosemarang.id/pedoman-media-siber/", False),
        (HaloSemarangSpider, "https://halosemarang.id/kebijakan-privasi/", False),
        (JatengProvSpider, "https://jatengprov.go.id/publik/umk-35-kabupaten-kota/", True),
        (JatengProvSpider, "https://jatengprov.go.id/beritadaerah/bupati-blora-dukung/", True),
        (JatengProvSpider, "https://jatengprov.go.id/publik/page/2/", False),
        (JatengProvSpider, "https://jatengprov.go.id/publik/feed/", False),
        (JatengProvSpider, "https://jatengprov.go.id/pengumuman/jadwal-seleksi/", False),
        (JatengProvSpider, "https://dinkes.jatengprov.go.id/publik/kabar-sehat/", False),
        (JatengProvSpider, "https://disnakertrans.jatengprov.go.id/publik/info/berita/x", False),
    ],
)
def test_article_url_patterns(cls, url, is_article):
    assert cls.__new__(cls).is_article_url(url) is is_article


def test_one_article_on_both_lingkarjateng_domains_is_one_identity():
    spider = make_spider(LingkarJatengSpider)
    old = spider.article_identity("https://lingkarjateng.com/grobogan-mulai-tanam-jagung/")
    assert old == spider.article_identity("https://lingkarjateng.id/grobogan-mulai-tanam-jagung")


def test_both_jateng_pos_permalink_shapes_share_the_slug_identity():
    spider = make_spider(JatengPosSpider)
    assert spider.article_identity(
        "https://jatengpos.co.id/semarang/2025/07/02/relawan-bersihkan-sampah-plastik/"
    ) == spider.article_identity("https://jatengpos.co.id/relawan-bersihkan-sampah-plastik/bejan/")


def test_the_two_jatengprov_streams_stay_distinct():
    spider = make_spider(JatengProvSpider)
    assert spider.article_identity(
        "https://jatengprov.go.id/publik/sama-judulnya/"
    ) != spider.article_identity("https://jatengprov.go.id/beritadaerah/sama-judulnya/")
