"""A constructed news site of many small articles, generated on demand for load tests.

Constructed for the cluster tests and benchmark (no outlet's pages): one host, a sitemap
listing every article with its publication time, and article pages carrying a NewsArticle
JSON-LD block and a few paragraphs, the minimum the generic spider needs to deliver an item.
Written in the layout ``crawler.testing.fixture_server`` serves.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from crawler.utils.timezones import WIB

HOST = "kabar.example.id"
#: The day every article is published on (pass it as -a since/until).
PUBLISHED_DAY = datetime(2025, 7, 3, tzinfo=WIB)
#: Sentences repeated into each body; placeholders are the article number.
PARAGRAPHS = (
    "BOYOLALI - Pemerintah Kabupaten Boyolali menggelar rapat koordinasi nomor {n} di pendopo.",
    "Rapat {n} membahas perbaikan jalan desa, penyaluran bantuan dan jadwal kerja bakti warga.",
    "Warga berharap hasil rapat {n} segera dilaksanakan sebelum musim hujan tiba tahun ini.",
)


def article_url(number: int) -> str:
    return f"https://{HOST}/berita/{number}/rapat-koordinasi-{number}"


def article_path(number: int) -> str:
    return f"berita/{number}/rapat-koordinasi-{number}"


def published(number: int) -> datetime:
    """Spread over the day so the newest-first order is well defined."""
    return PUBLISHED_DAY + timedelta(seconds=number * 7 % 80_000)


def article_page(number: int) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": f"Rapat koordinasi nomor {number}",
        "datePublished": published(number).isoformat(),
        "author": {"@type": "Person", "name": "Redaksi Contoh"},
        "mainEntityOfPage": article_url(number),
    }
    body = "".join(f"<p>{text.format(n=number)}</p>" for text in PARAGRAPHS)
    return (
        "<!doctype html><!-- constructed: bulk load-test article (crawler.testing.bulk_site) -->"
        f'<html lang="id"><head><title>Rapat koordinasi nomor {number}</title>'
        f'<link rel="canonical" href="{article_url(number)}">'
        f'<script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body><article><h1>Rapat koordinasi nomor {number}</h1>{body}</article></body></html>"
    )


def sitemap(count: int) -> str:
    entries = "".join(
        f"<url><loc>{article_url(n)}</loc><lastmod>{published(n).isoformat()}</lastmod></url>"
        for n in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- constructed: bulk load-test sitemap (crawler.testing.bulk_site) -->\n"
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n'
    )


def write_site(site_dir: Path, count: int) -> Path:
    """Write ``count`` articles, their sitemap and robots.txt under ``site_dir``."""
    host_dir = site_dir / HOST
    for number in range(1, count + 1):
        page = host_dir / article_path(number)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(article_page(number), encoding="utf-8")
    (host_dir / "sitemap.xml").write_text(sitemap(count), encoding="utf-8")
    (host_dir / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    return host_dir


SITEMAP_URL = f"https://{HOST}/sitemap.xml"


def crawl_arguments() -> list[str]:
    """``scrapy crawl`` arguments of the generic spider over this site."""
    day = PUBLISHED_DAY.date().isoformat()
    return [
        "generic",
        "-a",
        f"sitemap={SITEMAP_URL}",
        "-a",
        "outlet_name=Kabar Contoh",
        "-a",
        f"since={day}",
        "-a",
        f"until={day}",
    ]
