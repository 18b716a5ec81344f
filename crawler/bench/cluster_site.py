"""The cluster benchmark's outlets: several small constructed news sites, one host each.

Constructed for ``crawler.bench.cluster`` (no outlet's pages). Each outlet ``kabar<n>.example.id``
has a sitemap index naming ``SITEMAPS_PER_OUTLET`` sitemaps, a feed of its newest articles
(which the sitemaps list too, so candidates merge) and small article pages carrying a
NewsArticle JSON-LD block, enough for the generic spider to deliver an item. Its discovery
sources are the index, the sitemaps and the feed; robots.txt is read by Scrapy's robots
middleware in each process and is not one of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from crawler.utils.timezones import WIB

#: Every article is published on this day (the crawls' since and until).
PUBLISHED_DAY = datetime(2025, 7, 3, tzinfo=WIB)
SITEMAPS_PER_OUTLET = 4
FEED_ENTRIES = 30
PLACES = ("BOYOLALI", "KLATEN", "SRAGEN", "KUDUS", "DEMAK", "TEGAL", "BLORA", "PATI")


@dataclass(frozen=True)
class BenchOutlet:
    number: int
    articles: int

    @property
    def host(self) -> str:
        return f"kabar{self.number}.example.id"

    @property
    def name(self) -> str:
        return f"Kabar Contoh {self.number}"

    @property
    def sitemap_url(self) -> str:
        return f"https://{self.host}/sitemap.xml"

    @property
    def feed_url(self) -> str:
        return f"https://{self.host}/feed.xml"

    def article_url(self, number: int) -> str:
        return f"https://{self.host}/berita/{number}/rapat-warga-{number}"

    @property
    def article_urls(self) -> set[str]:
        return {self.article_url(n) for n in range(1, self.articles + 1)}

    @property
    def source_paths(self) -> set[str]:
        """Paths of the outlet's discovery sources, each to be fetched once per cluster run."""
        sitemaps = {f"/sitemap-{k}.xml" for k in range(1, SITEMAPS_PER_OUTLET + 1)}
        return {"/sitemap.xml", "/feed.xml", *sitemaps}


def published(number: int) -> datetime:
    return PUBLISHED_DAY + timedelta(seconds=number * 11 % 80_000)


def article_page(outlet: BenchOutlet, number: int) -> str:
    url = outlet.article_url(number)
    place = PLACES[(outlet.number + number) % len(PLACES)]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": f"Rapat warga nomor {number} di {place.title()}",
        "datePublished": published(number).isoformat(),
        "author": {"@type": "Person", "name": "Redaksi Contoh"},
        "mainEntityOfPage": url,
    }
    body = (
        f"<p>{place} - Warga menggelar rapat nomor {number} membahas perbaikan jalan desa.</p>"
        f"<p>Rapat {number} juga membahas jadwal kerja bakti dan penyaluran bantuan warga.</p>"
    )
    return (
        "<!doctype html><!-- constructed: cluster benchmark article -->"
        f'<html lang="id"><head><title>{data["headline"]}</title>'
        f'<link rel="canonical" href="{url}">'
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body><article><h1>{data['headline']}</h1>{body}</article></body></html>"
    )


def urlset(entries: list[tuple[str, datetime]]) -> str:
    body = "".join(
        f"<url><loc>{loc}</loc><lastmod>{m.isoformat()}</lastmod></url>" for loc, m in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n'
    )


def sitemap_index(outlet: BenchOutlet) -> str:
    body = "".join(
        f"<sitemap><loc>https://{outlet.host}/sitemap-{k}.xml</loc></sitemap>"
        for k in range(1, SITEMAPS_PER_OUTLET + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>\n'
    )


def feed(outlet: BenchOutlet) -> str:
    newest = sorted(range(1, outlet.articles + 1), key=published, reverse=True)[:FEED_ENTRIES]
    items = "".join(
        f"<item><title>Rapat warga nomor {n}</title><link>{outlet.article_url(n)}</link>"
        f"<pubDate>{published(n).strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate></item>"
        for n in newest
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0"><channel><title>{outlet.name}</title>{items}</channel></rss>\n'
    )


def write_outlet(site_dir: Path, outlet: BenchOutlet) -> None:
    host_dir = site_dir / outlet.host
    for number in range(1, outlet.articles + 1):
        page = host_dir / "berita" / str(number) / f"rapat-warga-{number}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(article_page(outlet, number), encoding="utf-8")
    numbers = list(range(1, outlet.articles + 1))
    for k in range(1, SITEMAPS_PER_OUTLET + 1):
        part = numbers[k - 1 :: SITEMAPS_PER_OUTLET]
        entries = [(outlet.article_url(n), published(n)) for n in part]
        (host_dir / f"sitemap-{k}.xml").write_text(urlset(entries), encoding="utf-8")
    (host_dir / "sitemap.xml").write_text(sitemap_index(outlet), encoding="utf-8")
    (host_dir / "feed.xml").write_text(feed(outlet), encoding="utf-8")
    (host_dir / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")


def build_outlets(site_dir: Path, outlets: int, articles: int) -> list[BenchOutlet]:
    """Write ``outlets`` sites of ``articles`` articles each under ``site_dir``."""
    built = [BenchOutlet(number, articles) for number in range(1, outlets + 1)]
    for outlet in built:
        write_outlet(site_dir, outlet)
    return built
