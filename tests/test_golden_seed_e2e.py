"""Golden end to end: an Espos page built from the seed clipping crawls back into the seed.

The page is built at test time from the seed's title, time and paragraphs (read from
../shared, never stored in the project), served by the fixture server, crawled with
`scrapy crawl espos`, exported as a clipping and compared with the seed byte for byte.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from conftest import run_scrapy

from crawler.exporters import parse_clipping
from crawler.testing.fixture_server import FixtureServer

ARTICLE_PATH = "pemkot-semarang-belum-terapkan-wfa-untuk-asn-ini-pertimbangannya-2172305"
ARTICLE_URL = f"https://semarang.espos.id/{ARTICLE_PATH}"


def build_espos_page(title: str, published_iso: str, paragraphs: list[str]) -> str:
    """An article page in the structure of the constructed Espos fixtures (outlets.md §1)."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published_iso,
        "author": {"@type": "Person", "name": "Redaksi Uji"},
    }
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<!-- Constructed at test time from the seed clipping's fields -->
<title>{html.escape(title)} - Espos Indonesia dari Solo untuk Indonesia</title>
<link rel="canonical" href="{ARTICLE_URL}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="article:published_time" content="{published_iso}">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<article><h1 class="post-title">{html.escape(title)}</h1>
<div class="post-meta">by Redaksi Uji - Espos.id Solopos - Kamis, 3 Juli 2025 - 16:04 WIB</div>
<figure><figcaption>ESPOS.ID - Ilustrasi pegawai negeri di kantor.</figcaption></figure>
<div class="post-content">
{body}
<p>Advertisement</p>
<p>Editor: Redaksi Uji</p>
</div></article></body></html>
"""


def test_seed_article_crawls_back_into_the_seed_byte_for_byte(shared_dir: Path, tmp_path: Path):
    seed = (shared_dir / "seed" / "clipping-espos-2025-07-03.txt").read_bytes()
    record = parse_clipping(seed.decode("utf-8"))
    site = tmp_path / "site"
    host_dir = site / "semarang.espos.id"
    host_dir.mkdir(parents=True)
    page = build_espos_page(record.title, record.published.isoformat(), record.body)
    (host_dir / f"{ARTICLE_PATH}.html").write_text(page, encoding="utf-8")

    with FixtureServer(site) as server:
        result = run_scrapy(
            ["crawl", "espos", "-a", f"url={ARTICLE_URL}", "-O", "seed.txt:clipping"],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "seed.txt").read_bytes() == seed
