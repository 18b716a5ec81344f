"""Sitemap, robots.txt and feed parsing, and the safety of the XML layer under them.

Every XML document here is constructed for the test.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from crawler.discovery import (
    UnsafeOrInvalidXML,
    parse_feed,
    parse_sitemap,
    parse_xml_safely,
    sitemap_urls_from_robots,
)
from crawler.discovery.xml import make_safe_parser
from crawler.utils.timezones import WIB

SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'

NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {SITEMAP_NS} {NEWS_NS} {IMAGE_NS}>
  <url>
    <loc>https://solopos.espos.id/banjir-rob-genangi-kaligawe-2201001</loc>
    <image:image><image:loc>https://imgcdn.espos.id/banjir.jpg</image:loc></image:image>
    <news:news>
      <news:publication><news:name>Espos.id</news:name><news:language>id</news:language>
      </news:publication>
      <news:publication_date>2025-07-02T09:15:00+07:00</news:publication_date>
      <news:title>Banjir Rob Genangi Kaligawe</news:title>
      <news:keywords>banjir rob, Semarang , ,Kaligawe</news:keywords>
    </news:news>
  </url>
  <url>
    <loc> https://solopos.espos.id/pasar-gede-direnovasi-2201002 </loc>
    <news:news>
      <news:publication_date>2025-07-01T02:00:00Z</news:publication_date>
      <news:title>Pasar Gede Direnovasi</news:title>
    </news:news>
  </url>
  <url>
    <loc>https://solopos.espos.id/tanggal-rusak-2201003</loc>
    <news:news><news:publication_date>kemarin lusa entah kapan</news:publication_date></news:news>
  </url>
  <url><news:news><news:title>Entry without loc is skipped</news:title></news:news></url>
</urlset>
"""

PLAIN_URLSET = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset {SITEMAP_NS}>
  <url><loc>https://www.espos.id/a-2201010</loc><lastmod>2025-07-03T08:00:00+07:00</lastmod></url>
  <url><loc>https://www.espos.id/b-2201011</loc><lastmod>2025-07-01</lastmod></url>
  <url><loc>https://www.espos.id/c-2201012</loc></url>
</urlset>
"""

SITEMAP_INDEX = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex {SITEMAP_NS}>
  <sitemap><loc>https://www.espos.id/sitemap-news.xml</loc>
    <lastmod>2025-07-03T10:00:00+07:00</lastmod></sitemap>
  <sitemap><loc>https://www.espos.id/sitemap-posts.xml</loc></sitemap>
</sitemapindex>
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Espos.id</title>
    <link>https://www.espos.id/</link>
    <atom:link href="https://www.espos.id/feed" rel="self" type="application/rss+xml"/>
    <item>
      <title><![CDATA[Kirab Budaya   Meriahkan Solo]]></title>
      <atom:link href="https://www.espos.id/ignored" rel="self"/>
      <link>https://solopos.espos.id/kirab-budaya-meriahkan-solo-2201020/amp</link>
      <guid isPermaLink="false">2201020</guid>
      <pubDate>Wed, 02 Jul 2025 09:15:00 +0700</pubDate>
      <dc:creator><![CDATA[Kurniawan]]></dc:creator>
      <category>Solo Raya</category>
      <category><![CDATA[Budaya]]></category>
    </item>
    <item>
      <title>Guid Only</title>
      <guid>https://www.espos.id/guid-only-2201021</guid>
      <pubDate>Tue, 01 Jul 2025 03:00:00 GMT</pubDate>
      <author>redaksi@espos.id (Tim Redaksi)</author>
    </item>
    <item>
      <title>Non-permalink guid and no link is skipped</title>
      <guid isPermaLink="false">2201022</guid>
    </item>
    <item>
      <title>Bad date</title>
      <link>https://www.espos.id/bad-date-2201023?utm_source=rss&amp;fbclid=x</link>
      <pubDate>besok pagi</pubDate>
    </item>
  </channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Espos Atom</title>
  <entry>
    <title>Waduk Gajah Mungkur Surut</title>
    <link rel="self" href="https://www.espos.id/atom/self"/>
    <link rel="alternate" type="text/html" href="https://solopos.espos.id/waduk-surut-2201030"/>
    <published>2025-07-03T01:30:00Z</published>
    <updated>2025-07-03T05:00:00Z</updated>
    <author><name>Sri Wahyuni</name></author>
    <author><name>Bayu Prasetyo</name></author>
    <category term="Wonogiri"/>
  </entry>
  <entry>
    <title>Only updated</title>
    <link href="https://solopos.espos.id/only-updated-2201031"/>
    <updated>2025-07-02T12:00:00+07:00</updated>
  </entry>
  <entry><title>No link at all</title></entry>
</feed>
"""


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


# --- sitemaps ------------------------------------------------------------------------------------


def test_news_sitemap_keeps_news_fields_and_ignores_image_loc() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP.encode())
    assert sitemap.kind == "urlset"
    assert [entry.loc for entry in sitemap.entries] == [
        "https://solopos.espos.id/banjir-rob-genangi-kaligawe-2201001",
        "https://solopos.espos.id/pasar-gede-direnovasi-2201002",
        "https://solopos.espos.id/tanggal-rusak-2201003",
    ]
    first, second, third = sitemap.entries
    assert first.publication_date == wib(2025, 7, 2, 9, 15)
    assert first.news_title == "Banjir Rob Genangi Kaligawe"
    assert first.keywords == ["banjir rob", "Semarang", "Kaligawe"]
    assert first.lastmod is None
    assert second.publication_date == wib(2025, 7, 1, 9, 0)
    assert second.publication_date.utcoffset().total_seconds() == 7 * 3600
    assert second.keywords == []
    assert third.publication_date is None
    assert third.news_title is None


def test_sitemap_index() -> None:
    sitemap = parse_sitemap(SITEMAP_INDEX.encode())
    assert sitemap.kind == "sitemapindex"
    assert [entry.loc for entry in sitemap.entries] == [
        "https://www.espos.id/sitemap-news.xml",
        "https://www.espos.id/sitemap-posts.xml",
    ]
    assert sitemap.entries[0].lastmod == wib(2025, 7, 3, 10, 0)
    assert sitemap.entries[1].lastmod is None


def test_plain_urlset_with_lastmod() -> None:
    sitemap = parse_sitemap(PLAIN_URLSET.encode())
    assert sitemap.kind == "urlset"
    lastmods = [entry.lastmod for entry in sitemap.entries]
    assert lastmods == [wib(2025, 7, 3, 8, 0), wib(2025, 7, 1), None]
    assert all(entry.publication_date is None for entry in sitemap.entries)


def test_sitemap_without_namespace_reads_the_same() -> None:
    body = PLAIN_URLSET.replace(f" {SITEMAP_NS}", "").encode()
    assert [e.loc for e in parse_sitemap(body).entries] == [
        e.loc for e in parse_sitemap(PLAIN_URLSET.encode()).entries
    ]


def test_gzipped_sitemap() -> None:
    sitemap = parse_sitemap(gzip.compress(NEWS_SITEMAP.encode()))
    assert len(sitemap.entries) == 3
    assert sitemap.entries[0].news_title == "Banjir Rob Genangi Kaligawe"


def test_multi_member_gzip_is_read_whole() -> None:
    head, tail = PLAIN_URLSET.encode()[:100], PLAIN_URLSET.encode()[100:]
    sitemap = parse_sitemap(gzip.compress(head) + gzip.compress(tail))
    assert len(sitemap.entries) == 3


def test_html_page_is_not_a_sitemap() -> None:
    with pytest.raises(UnsafeOrInvalidXML, match="not a sitemap"):
        parse_sitemap(b"<html><body><p>Halaman tidak ditemukan</p></body></html>")


def test_malformed_sitemap_is_recovered_as_far_as_possible() -> None:
    body = (
        f"<urlset {SITEMAP_NS}><url><loc>https://www.espos.id/a-2201040?x=1&y=2</loc></url>"
        "<url><loc>https://www.espos.id/b-2201041</loc></url><url><loc>https://www.espos.id/c"
    ).encode()
    locs = [entry.loc for entry in parse_sitemap(body).entries]
    assert "https://www.espos.id/b-2201041" in locs
    assert any(loc.startswith("https://www.espos.id/a-2201040") for loc in locs)


def test_garbage_is_rejected() -> None:
    for body in (b"", b"   \n", b"\x00\x01\x02 not xml at all", b'{"json": true}'):
        with pytest.raises(UnsafeOrInvalidXML):
            parse_sitemap(body)


# --- robots.txt ----------------------------------------------------------------------------------


def test_sitemap_urls_from_robots() -> None:
    robots = (
        "User-agent: *\nDisallow: /wp-admin/\n"
        "Sitemap: https://www.espos.id/sitemap.xml\n"
        "sitemap:/sitemap-news.xml  # relative, seen in the wild\n"
        "SITEMAP: https://www.espos.id/sitemap.xml\n"
        "Sitemap:\n"
        "# Sitemap: https://www.espos.id/commented.xml\n"
    )
    assert sitemap_urls_from_robots(robots, "https://www.espos.id/robots.txt") == [
        "https://www.espos.id/sitemap.xml",
        "https://www.espos.id/sitemap-news.xml",
    ]
    assert sitemap_urls_from_robots("User-agent: *\nAllow: /\n", "https://x.id/robots.txt") == []


# --- feeds ---------------------------------------------------------------------------------------


def test_rss_items() -> None:
    entries = parse_feed(RSS.encode())
    assert [entry.url for entry in entries] == [
        "https://solopos.espos.id/kirab-budaya-meriahkan-solo-2201020/amp",
        "https://www.espos.id/guid-only-2201021",
        "https://www.espos.id/bad-date-2201023?utm_source=rss&fbclid=x",
    ]
    first, second, third = entries
    assert first.title == "Kirab Budaya Meriahkan Solo"
    assert first.published == wib(2025, 7, 2, 9, 15)
    assert first.authors == ["Kurniawan"]
    assert first.categories == ["Solo Raya", "Budaya"]
    assert second.published == wib(2025, 7, 1, 10, 0)
    assert second.published.tzinfo == WIB
    assert second.authors == ["Tim Redaksi"]
    assert third.published is None


def test_atom_entries() -> None:
    entries = parse_feed(ATOM.encode())
    assert [entry.url for entry in entries] == [
        "https://solopos.espos.id/waduk-surut-2201030",
        "https://solopos.espos.id/only-updated-2201031",
    ]
    first, second = entries
    assert first.title == "Waduk Gajah Mungkur Surut"
    assert first.published == wib(2025, 7, 3, 8, 30)
    assert first.authors == ["Sri Wahyuni", "Bayu Prasetyo"]
    assert first.categories == ["Wonogiri"]
    assert second.published == wib(2025, 7, 2, 12, 0)


def test_rss_dates_without_a_zone_are_wib_and_minus_zero_is_utc() -> None:
    from crawler.discovery.feeds import parse_feed_date

    assert parse_feed_date("Wed, 02 Jul 2025 09:15:00") == wib(2025, 7, 2, 9, 15)
    assert parse_feed_date("Wed, 02 Jul 2025 02:15:00 -0000") == wib(2025, 7, 2, 9, 15)
    assert parse_feed_date("2025-07-02T09:15:00+07:00") == wib(2025, 7, 2, 9, 15)
    assert parse_feed_date("kemarin") is None


def test_gzipped_feed() -> None:
    assert len(parse_feed(gzip.compress(RSS.encode()))) == 3


def test_sitemap_is_not_a_feed() -> None:
    with pytest.raises(UnsafeOrInvalidXML, match="not a feed"):
        parse_feed(PLAIN_URLSET.encode())


def test_malformed_feed_still_yields_items() -> None:
    body = RSS.replace("</channel>\n</rss>", "<item><title>unclosed &").encode()
    assert len(parse_feed(body)) == 3


# --- safety --------------------------------------------------------------------------------------


def xxe_document(target: Path) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE urlset [<!ENTITY leak SYSTEM "{target.as_uri()}">]>\n'
        f"<urlset {SITEMAP_NS}><url><loc>https://x.id/&leak;</loc></url></urlset>"
    ).encode()


def test_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA-LOKAL-31337")
    body = xxe_document(secret)
    with pytest.raises(UnsafeOrInvalidXML, match="entit"):
        parse_xml_safely(body)
    with pytest.raises(UnsafeOrInvalidXML):
        parse_sitemap(body)
    # Below the refusal, the parser itself must not have substituted the file either.
    tree = etree.fromstring(body, make_safe_parser())
    assert "RAHASIA-LOKAL-31337" not in etree.tostring(tree, encoding="unicode")


def test_etc_passwd_never_appears() -> None:
    body = xxe_document(Path("/etc/passwd"))
    with pytest.raises(UnsafeOrInvalidXML) as caught:
        parse_sitemap(body)
    assert "root:" not in str(caught.value)
    tree = etree.fromstring(body, make_safe_parser())
    assert "root:" not in etree.tostring(tree, encoding="unicode")


def test_external_parameter_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "evil.dtd"
    secret.write_text('<!ENTITY injected "RAHASIA-DTD">')
    body = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % ext SYSTEM "{secret.as_uri()}"> %ext;]>'
        "<r>&injected;</r>"
    ).encode()
    with pytest.raises(UnsafeOrInvalidXML):
        parse_xml_safely(body)
    tree = etree.fromstring(body, make_safe_parser())
    assert "RAHASIA-DTD" not in etree.tostring(tree, encoding="unicode")


def billion_laughs(levels: int = 10) -> bytes:
    declarations = ['<!ENTITY lol0 "lol">']
    for level in range(1, levels):
        declarations.append(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    return (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(declarations)}]>'
        f"<lolz>&lol{levels - 1};</lolz>"
    ).encode()


def test_billion_laughs_is_refused_fast_without_expansion() -> None:
    body = billion_laughs()
    started = time.perf_counter()
    with pytest.raises(UnsafeOrInvalidXML, match="entit"):
        parse_xml_safely(body)
    assert time.perf_counter() - started < 1.0
    tree = etree.fromstring(body, make_safe_parser())
    assert len(etree.tostring(tree)) < 100


def test_doctype_without_entities_is_accepted() -> None:
    body = f"<!DOCTYPE urlset><urlset {SITEMAP_NS}><url><loc>https://x.id/a</loc></url></urlset>"
    assert parse_sitemap(body.encode()).entries[0].loc == "https://x.id/a"


def test_oversize_body_is_refused() -> None:
    body = PLAIN_URLSET.encode()
    with pytest.raises(UnsafeOrInvalidXML, match="exceeds"):
        parse_xml_safely(body, max_bytes=len(body) - 1)
    assert parse_xml_safely(body, max_bytes=len(body)) is not None


def gzip_bomb(inflated_mib: int) -> bytes:
    """A gzip stream of `inflated_mib` MiB of spaces, built without holding them in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    spaces = b" " * 2**20
    chunks = [compressor.compress(b"<r>")]
    chunks.extend(compressor.compress(spaces) for _ in range(inflated_mib))
    chunks.append(compressor.flush())
    return b"".join(chunks)


def test_gzip_bomb_is_refused_with_bounded_memory() -> None:
    limit = 2**20
    bomb = gzip_bomb(inflated_mib=200)
    assert len(bomb) < limit  # small on the wire, 200 MiB inflated
    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(UnsafeOrInvalidXML, match="decompressed body exceeds"):
            parse_xml_safely(bomb, max_bytes=limit)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 2.0
    assert peak < 8 * limit


def test_corrupt_gzip_is_refused() -> None:
    body = gzip.compress(PLAIN_URLSET.encode())
    with pytest.raises(UnsafeOrInvalidXML):
        parse_xml_safely(body[:10] + b"\xff" * 40 + body[50:])


def test_recovered_markup_is_reported_while_its_entries_are_kept():
    problems: list[str] = []
    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://www.espos.id/a-2200001</loc></url>"
        b"<url><loc>https://www.espos.id/b & c-2200002</loc></url>"
    )
    sitemap = parse_sitemap(body, problems=problems)
    assert [e.loc for e in sitemap.entries][0] == "https://www.espos.id/a-2200001"
    assert problems and problems[0].startswith("line 1:")


def test_a_well_formed_document_reports_no_problems():
    problems: list[str] = []
    parse_feed(b"<rss><channel><item><link>https://x.id/a-1</link></item></channel></rss>",
               problems=problems)  # fmt: skip
    assert problems == []


#: Feeds that lost their items' links (outlet-evidence-2026-12.md §4, §5): Antara's regional
#: RSS with an empty ``<link>`` (the address only in a non-permalink ``guid``), Tribun's www
#: RSS linking every item to the home page, an Atom entry whose address is only its ``id``.
LOST_LINKS_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>ANTARA Jateng</title>
  <item><title>Empty link</title><link></link>
    <guid isPermaLink="false">https://jateng.antaranews.com/berita/612401/empty-link</guid></item>
  <item><title>Home page link</title><link>https://jateng.antaranews.com/</link>
    <guid>https://jateng.antaranews.com/berita/612402/home-page-link</guid></item>
  <item><title>Home page everywhere</title><link>https://www.tribunnews.com</link>
    <guid>https://www.tribunnews.com/</guid></item>
</channel></rss>
"""
LOST_LINKS_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>
  <entry><title>Id only</title><id>https://jateng.antaranews.com/berita/612403/id-only</id></entry>
  <entry><title>Urn id</title><id>urn:uuid:1225c695</id></entry>
</feed>
"""


def test_an_item_without_its_own_link_is_found_by_its_guid_or_skipped() -> None:
    assert [entry.url for entry in parse_feed(LOST_LINKS_RSS.encode())] == [
        "https://jateng.antaranews.com/berita/612401/empty-link",
        "https://jateng.antaranews.com/berita/612402/home-page-link",
    ]
    assert [entry.url for entry in parse_feed(LOST_LINKS_ATOM.encode())] == [
        "https://jateng.antaranews.com/berita/612403/id-only"
    ]
