"""The generic spider (`scrapy crawl generic`) on real saved pages and on constructed sources.

The real pages of ../shared/fixtures/real are copied at test time into a temporary site under
their real hosts (never into the repository) and crawled through `-a url=`, `-a sitemap=` and
`-a feed=`; the sitemap and feed that point at them are written here, by the test.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import SHARED, read_jsonl, run_scrapy

from crawler.evaluation import conformance
from crawler.extraction import ExtractedArticle
from crawler.spiders.generic import GenericSpider
from crawler.testing.fixture_server import FixtureServer
from crawler.utils.urls import canonicalize_url

REAL = SHARED / "fixtures" / "real"
MIN_PARAGRAPH_F1 = 0.90
#: Real pages on one registrable domain, for the sitemap and feed runs.
DETIK_FILE_PREFIX = "detik/"
#: A window that holds the 2022 detik pages but not the 2015 and 2021 ones.
DETIK_WINDOW = ("2022-12-01", "2022-12-31")


def _page_file(site: Path, url: str) -> Path:
    parts = urlsplit(url)
    path = parts.path + ("index" if parts.path.endswith("/") else "")
    return site / parts.hostname / (path.lstrip("/") + (f"@{parts.query}" if parts.query else ""))


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    if not (REAL / "gold.jsonl").is_file():
        pytest.skip(f"real pages not found at {REAL} (../shared is absent in this checkout)")
    return conformance.load_gold(SHARED)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory, gold: list[dict]) -> Path:
    """The real pages under their real hosts, served as HTML whatever their path looks like."""
    site = tmp_path_factory.mktemp("real-site")
    routes: dict[str, dict] = {"_comment": "written by tests/test_generic_spider.py"}
    for record in gold:
        target = _page_file(site, record["url"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REAL / record["file"]).read_bytes())
        parts = urlsplit(record["url"])
        key = f"{parts.hostname}{parts.path}" + (f"?{parts.query}" if parts.query else "")
        # No charset: the page's own <meta charset> decides, as on the live site.
        routes[key] = {"headers": {"Content-Type": "text/html"}}
    (site / "_routes.json").write_text(json.dumps(routes, indent=1), encoding="utf-8")
    return site


def _as_extracted(record: dict) -> ExtractedArticle:
    return ExtractedArticle(
        url=record["url"],
        title=record["title"],
        published=datetime.fromisoformat(record["published"]) if record["published"] else None,
        authors=record["authors"],
        body=record["body"],
        dateline=record["dateline"],
    )


def _record_for(records: list[dict], url: str) -> dict | None:
    """The record of ``url``; the generic spider keeps an http page's scheme, so compare the
    canonical forms (which are https for both spellings)."""
    wanted = canonicalize_url(url)
    return next((r for r in records if canonicalize_url(r["url"]) == wanted), None)


@pytest.fixture(scope="module")
def single_pages_crawl(real_site: Path, gold: list[dict], tmp_path_factory) -> list[dict]:
    workdir = tmp_path_factory.mktemp("generic-real")
    urls = " ".join(record["url"] for record in gold)
    with FixtureServer(real_site) as server:
        result = run_scrapy(
            ["crawl", "generic", "-a", f"url={urls}", "-a", "outlet_name=Real pages"]
            + ["-O", "out.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
        )
    assert result.returncode == 0, result.stderr[-3000:]
    return read_jsonl(workdir / "out.jsonl")


def test_every_real_page_becomes_one_record(single_pages_crawl, gold):
    missing = [g["file"] for g in gold if _record_for(single_pages_crawl, g["url"]) is None]
    assert not missing, f"no record for {missing}"
    assert len(single_pages_crawl) == len(gold)


def test_title_and_published_exact_on_every_page_that_states_them(single_pages_crawl, gold):
    wrong = []
    for expected in gold:
        record = _record_for(single_pages_crawl, expected["url"])
        if expected["title"] is not None and record["title"] != expected["title"]:
            wrong.append((expected["file"], "title", record["title"], expected["title"]))
        if expected["published"] is not None and record["published"] != expected["published"]:
            wrong.append(
                (expected["file"], "published", record["published"], expected["published"])
            )
    assert not wrong


def test_paragraph_f1_over_all_real_pages(single_pages_crawl, gold):
    scores = [
        conformance.score_page(g, _as_extracted(_record_for(single_pages_crawl, g["url"])))
        for g in gold
    ]
    f1 = conformance.overall(scores)["paragraph_f1"]
    assert f1 >= MIN_PARAGRAPH_F1, conformance.format_report(scores)


def test_outlet_name_and_media_type_come_from_the_arguments(single_pages_crawl):
    assert {r["outlet"] for r in single_pages_crawl} == {"generic"}
    assert {r["outlet_name"] for r in single_pages_crawl} == {"Real pages"}
    assert {r["media_type"] for r in single_pages_crawl} == {"Jateng"}


# --- discovery through a sitemap and a feed written by the test ------------------------------


def _detik_gold(gold: list[dict]) -> list[dict]:
    return [g for g in gold if g["file"].startswith(DETIK_FILE_PREFIX)]


def _write_sources(site: Path, pages: list[dict]) -> tuple[str, str]:
    """A sitemap and an RSS feed on news.detik.com listing the detik pages, plus a tag page."""
    host = site / "news.detik.com"
    extra = "https://news.detik.com/tag/piala-dunia-2022"
    sitemap_entries = "".join(
        f"<url><loc>{g['url']}</loc><lastmod>{g['published']}</lastmod></url>" for g in pages
    )
    (host / "sitemap-test.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Constructed by tests/test_generic_spider.py; sitemaps.org structure -->\n"
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{sitemap_entries}<url><loc>{extra}</loc></url></urlset>",
        encoding="utf-8",
    )
    feed_items = "".join(
        f"<item><title>{g['title']}</title><link>{g['url']}</link>"
        f"<pubDate>{datetime.fromisoformat(g['published']):%a, %d %b %Y %H:%M:%S %z}</pubDate>"
        "</item>"
        for g in pages
    )
    (host / "rss-test.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- Constructed by tests/test_generic_spider.py; RSS 2.0 structure -->\n"
        f'<rss version="2.0"><channel><title>t</title>{feed_items}'
        f"<item><title>tag</title><link>{extra}</link></item></channel></rss>",
        encoding="utf-8",
    )
    return "https://news.detik.com/sitemap-test.xml", "https://news.detik.com/rss-test.xml"


@pytest.mark.parametrize("source", ["sitemap", "feed"])
def test_sitemap_or_feed_discovery_honours_window_and_allow(
    source: str, real_site: Path, gold: list[dict], tmp_path: Path
):
    pages = _detik_gold(gold)
    sitemap_url, feed_url = _write_sources(real_site, pages)
    since, until = DETIK_WINDOW
    in_window = [g for g in pages if since <= g["published"][:10] <= until]
    wanted = [g for g in in_window if "/sepakbola/" not in g["url"]]
    assert 1 < len(wanted) < len(in_window) < len(pages)
    with FixtureServer(real_site) as server:
        result = run_scrapy(
            [
                "crawl",
                "generic",
                "-a",
                f"{source}={sitemap_url if source == 'sitemap' else feed_url}",
                "-a",
                r"allow=detik\.com/(?!sepakbola/)[a-z-]+/",
                "-a",
                "outlet_name=detikcom",
                "-a",
                "media_type=Nasional",
                "-a",
                f"since={since}",
                "-a",
                f"until={until}",
                "-O",
                "out.jsonl",
            ],
            cwd=tmp_path,
            host_map=server.host_map(),
        )
        fetched = {f"{r.host}{r.path}" for r in server.requests}
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_jsonl(tmp_path / "out.jsonl")
    assert sorted(r["url"] for r in records) == sorted(canonicalize_url(g["url"]) for g in wanted)
    assert {(r["outlet_name"], r["media_type"]) for r in records} == {("detikcom", "Nasional")}
    never = [g for g in pages if g not in wanted] + [{"url": "https://news.detik.com/tag/x"}]
    for page in never:
        parts = urlsplit(page["url"])
        assert f"{parts.hostname}{parts.path}" not in fetched, page["url"]


def test_without_allow_only_article_paths_of_the_source_site_are_followed():
    spider = GenericSpider(sitemap="https://www.example.co.id/sitemap.xml")
    assert spider.outlet.name == "example.co.id"
    assert spider.allowed_domains == ["example.co.id"]
    assert spider.is_article_url("https://news.example.co.id/2025/07/01/banjir-di-demak")
    assert not spider.is_article_url("https://www.example.co.id/tag/banjir")
    assert not spider.is_article_url("https://www.example.co.id/")
    assert not spider.is_article_url("https://www.example.co.id/wp-content/uploads/a.jpg")
    assert not spider.is_article_url("https://www.other.id/2025/07/01/banjir-di-demak")


def test_generic_spider_refuses_to_run_without_a_source(tmp_path: Path):
    result = run_scrapy(["crawl", "generic", "-O", "none.jsonl"], cwd=tmp_path)
    assert result.returncode != 0
    assert "-a feed=URL, -a sitemap=URL or -a url=URL" in result.stderr
