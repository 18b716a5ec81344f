"""The offline fixture server: Host routing, path mapping, routes, the request log and the CLI."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from crawler.discovery import parse_feed, parse_sitemap, sitemap_urls_from_robots
from crawler.testing.fixture_server import (
    FixtureServer,
    candidate_files,
    crawl_argument,
    host_from_header,
    wait_until_ready,
)
from crawler.testing.polling import poll_until

REPO_ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site_dir = tmp_path / "site"
    write(site_dir / "www.example.id" / "index.html", "<p>beranda www</p>")
    write(site_dir / "www.example.id" / "robots.txt", "User-agent: *\n")
    write(site_dir / "www.example.id" / "sitemap.xml", "<urlset/>")
    write(site_dir / "www.example.id" / "indeks.html", "<p>indeks 1</p>")
    write(site_dir / "www.example.id" / "indeks@page=2.html", "<p>indeks 2</p>")
    write(site_dir / "www.example.id" / "feed", "<rss/>")
    write(site_dir / "www.example.id" / "rubrik" / "index.html", "<p>rubrik</p>")
    write(site_dir / "news.example.id" / "tanpa-ekstensi-2200004", "<p>berita tanpa ekstensi</p>")
    write(site_dir / "news.example.id" / "berita-2200001.html", "<p>berita</p>")
    write(site_dir / "news.example.id" / "berita-2200001" / "amp.html", "<p>versi amp</p>")
    write(site_dir / "news.example.id" / "index.html", "<p>beranda news</p>")
    write(site_dir / "news.example.id" / "gagal-2200002.html", "<p>akhirnya berhasil</p>")
    write(site_dir / "news.example.id" / "hilang-2200003.html", "<p>ada tapi 404</p>")
    write(site_dir / "_hidden" / "index.html", "not a host")
    routes = {
        "_comment": "constructed for the test",
        "www.example.id/feed": {"headers": {"Content-Type": "application/rss+xml"}},
        "news.example.id/gagal-2200002": {"status": 500, "times": 2},
        "news.example.id/hilang-2200003": {"status": 404},
        "www.example.id/lama": {"redirect": "https://news.example.id/berita-2200001"},
        "www.example.id/pindah?id=7": {"redirect": "https://www.example.id/", "status": 302},
    }
    write(site_dir / "_routes.json", json.dumps(routes))
    return site_dir


@pytest.fixture
def server(site: Path) -> FixtureServer:
    with FixtureServer(site) as running:
        yield running


def get(
    server: FixtureServer, host: str, path: str, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request(method, path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_routes_on_host_header_ignoring_its_port(server: FixtureServer) -> None:
    assert get(server, "www.example.id", "/")[2] == b"<p>beranda www</p>"
    assert get(server, "news.example.id", "/")[2] == b"<p>beranda news</p>"
    assert get(server, f"WWW.Example.id:{server.port}", "/")[2] == b"<p>beranda www</p>"
    status, _, body = get(server, "unknown.example.id", "/")
    assert status == 404
    assert b"unknown host" in body


def test_host_map_lists_every_host_directory(server: FixtureServer) -> None:
    expected = f"127.0.0.1:{server.port}"
    assert server.host_map() == {"news.example.id": expected, "www.example.id": expected}


def test_path_mapping(server: FixtureServer) -> None:
    assert get(server, "www.example.id", "/indeks")[2] == b"<p>indeks 1</p>"
    assert get(server, "www.example.id", "/indeks?page=2")[2] == b"<p>indeks 2</p>"
    assert get(server, "www.example.id", "/rubrik/")[2] == b"<p>rubrik</p>"
    assert get(server, "www.example.id", "/rubrik")[2] == b"<p>rubrik</p>"
    assert get(server, "news.example.id", "/berita-2200001")[2] == b"<p>berita</p>"
    assert get(server, "news.example.id", "/tanpa-ekstensi-2200004")[2] == (
        b"<p>berita tanpa ekstensi</p>"
    )
    assert get(server, "news.example.id", "/berita-2200001/amp")[2] == b"<p>versi amp</p>"


def test_unknown_paths_and_unexpected_queries_are_404(server: FixtureServer) -> None:
    assert get(server, "www.example.id", "/indeks?page=3")[0] == 404
    assert get(server, "news.example.id", "/berita-2200001?utm_source=x")[0] == 404
    assert get(server, "www.example.id", "/tidak-ada")[0] == 404
    assert get(server, "www.example.id", "/../site/_routes.json")[0] == 404
    assert get(server, "www.example.id", "/%2e%2e/_routes.json")[0] == 404


def test_candidate_files_rule() -> None:
    assert candidate_files("/", "") == [
        ("index", ""),
        ("index.html", ".html"),
        ("index/index.html", ".html"),
    ]
    assert candidate_files("/sitemap.xml", "") == [("sitemap.xml", ".xml")]
    assert candidate_files("/indeks", "page=2")[1] == ("indeks@page=2.html", ".html")
    assert candidate_files("/sitemap.xml", "p=1.5") == [("sitemap.xml@p=1.5", ".xml")]


def test_content_types(server: FixtureServer) -> None:
    content_type = {
        path: get(server, host, path)[1]["Content-Type"]
        for host, path in [
            ("www.example.id", "/robots.txt"),
            ("www.example.id", "/sitemap.xml"),
            ("www.example.id", "/feed"),
            ("news.example.id", "/berita-2200001"),
            ("news.example.id", "/tanpa-ekstensi-2200004"),
        ]
    }
    assert content_type["/robots.txt"].startswith("text/plain")
    assert content_type["/sitemap.xml"].startswith("application/xml")
    assert content_type["/feed"] == "application/rss+xml"
    assert content_type["/berita-2200001"].startswith("text/html")
    assert content_type["/tanpa-ekstensi-2200004"].startswith("text/html")


def test_declared_404_wins_over_an_existing_file(server: FixtureServer) -> None:
    assert get(server, "news.example.id", "/hilang-2200003")[0] == 404
    assert get(server, "news.example.id", "/hilang-2200003")[0] == 404


def test_server_error_then_success(server: FixtureServer) -> None:
    statuses = [get(server, "news.example.id", "/gagal-2200002")[0] for _ in range(4)]
    assert statuses == [500, 500, 200, 200]
    assert get(server, "news.example.id", "/gagal-2200002")[2] == b"<p>akhirnya berhasil</p>"


def test_redirects(server: FixtureServer) -> None:
    status, headers, _ = get(server, "www.example.id", "/lama")
    assert (status, headers["Location"]) == (301, "https://news.example.id/berita-2200001")
    status, headers, _ = get(server, "www.example.id", "/pindah?id=7")
    assert (status, headers["Location"]) == (302, "https://www.example.id/")


def test_delay_holds_the_first_answer_until_the_server_stops(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    site_dir = tmp_path / "slow-site"
    write(site_dir / "news.example.id" / "lambat-2200005.html", "<p>lambat</p>")
    routes = {"news.example.id/lambat-2200005": {"delay": 60, "times": 1}}
    write(site_dir / "_routes.json", json.dumps(routes))
    fixture = FixtureServer(site_dir).start()
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            held = pool.submit(get, fixture, "news.example.id", "/lambat-2200005")
            poll_until(
                lambda: fixture.was_requested("https://news.example.id/lambat-2200005"),
                timeout=10,
                what="the slow request to arrive",
            )
            assert get(fixture, "news.example.id", "/lambat-2200005")[0] == 200
            assert not held.done()
        finally:
            fixture.stop()
        status, _, body = held.result(timeout=10)
    assert (status, body) == (200, b"<p>lambat</p>")


def test_request_log(server: FixtureServer) -> None:
    get(server, "www.example.id:443", "/indeks?page=2")
    get(server, "news.example.id", "/berita-2200001", method="HEAD")
    get(server, "news.example.id", "/tidak-ada")
    logged = [(r.method, r.host, r.path) for r in server.requests]
    assert logged == [
        ("GET", "www.example.id", "/indeks?page=2"),
        ("HEAD", "news.example.id", "/berita-2200001"),
        ("GET", "news.example.id", "/tidak-ada"),
    ]
    assert server.was_requested("https://www.example.id/indeks?page=2")
    assert not server.was_requested("https://www.example.id/indeks")
    assert server.request_count("https://news.example.id/tidak-ada") == 1
    assert not server.was_requested("https://www.example.id/")


def test_concurrent_requests_are_all_logged(server: FixtureServer) -> None:
    from concurrent.futures import ThreadPoolExecutor

    paths = [f"/indeks?page={n}" for n in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda path: get(server, "www.example.id", path), paths))
    assert sorted(r.path for r in server.requests) == sorted(paths)


def test_stop_closes_the_port(site: Path) -> None:
    fixture = FixtureServer(site).start()
    port = fixture.port
    fixture.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_wait_until_ready_times_out_on_a_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TimeoutError):
        wait_until_ready("127.0.0.1", port, timeout=0.2)


def test_host_header_parsing() -> None:
    assert host_from_header("www.espos.id:8080") == "www.espos.id"
    assert host_from_header("[::1]:8080") == "[::1]"
    assert host_from_header(None) == ""


def test_duplicate_host_across_site_dirs_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "a" / "www.example.id" / "index.html", "a")
    write(tmp_path / "b" / "www.example.id" / "index.html", "b")
    with pytest.raises(ValueError, match="www.example.id"):
        FixtureServer([tmp_path / "a", tmp_path / "b"])


def test_crawl_argument_is_shell_ready() -> None:
    argument = crawl_argument({"www.espos.id": "127.0.0.1:8000"})
    assert argument == """-s CRAWLER_HOST_MAP='{"www.espos.id":"127.0.0.1:8000"}'"""


def test_command_line_serves_and_prints_the_host_map(site: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.testing.fixture_server", str(site)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in range(3)]
        argument = lines[2].strip()
        assert argument.startswith("-s CRAWLER_HOST_MAP='")
        host_map = json.loads(argument.split("=", 1)[1].strip("'"))
        assert set(host_map) == {"www.example.id", "news.example.id"}
        address, port = host_map["www.example.id"].split(":")
        connection = http.client.HTTPConnection(address, int(port), timeout=5)
        connection.request("GET", "/indeks?page=2", headers={"Host": "www.example.id"})
        assert connection.getresponse().read() == b"<p>indeks 2</p>"
        connection.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    assert process.returncode == 0


# --- the constructed Espos.id site (tests/sites/espos) -----------------------------------------

ESPOS_SITE = Path(__file__).resolve().parent / "sites" / "espos"
#: Article URL patterns from ../shared/research/outlets.md §1; group 1 is the post id.
ESPOS_ARTICLE_URL = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)?espos\.id/(?!tag/|page/)[a-z0-9-]+-(\d{5,8})(?:/amp)?/?$"
)
SOLOPOS_ARTICLE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?solopos\.com/(?:\d{4}/\d{2}/\d{2}/)?[a-z0-9-]+-(\d{5,8})/?$"
)
#: Paragraphs a clean extraction drops (the rule EXPECTED.json was written with).
NOISE_PARAGRAPH = re.compile(
    r"^(?:Advertisement$|Promosi\s|\[Baca juga:|Baca Juga:|Baca selengkapnya:|Editor:)"
)
BODY_CONTAINERS = "div.post-content, div.entry-content, div.amp-content"


def espos_expected() -> dict:
    return json.loads((ESPOS_SITE / "EXPECTED.json").read_text(encoding="utf-8"))


def fetch_url(server: FixtureServer, url: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return get(server, parts.hostname or "", path)


def article_id(url: str) -> str | None:
    match = ESPOS_ARTICLE_URL.match(url) or SOLOPOS_ARTICLE_URL.match(url)
    return match.group(1) if match else None


def clean_paragraphs(page: lxml.html.HtmlElement) -> list[str]:
    paragraphs = []
    for container in page.cssselect(BODY_CONTAINERS):
        for paragraph in container.xpath("./p"):
            text = " ".join(paragraph.text_content().split())
            if text and not NOISE_PARAGRAPH.match(text):
                paragraphs.append(text)
    return paragraphs


def meta(page: lxml.html.HtmlElement, attribute: str, name: str) -> list[str]:
    return [element.get("content") for element in page.xpath(f"//meta[@{attribute}='{name}']")]


@pytest.fixture
def espos() -> FixtureServer:
    with FixtureServer(ESPOS_SITE) as running:
        yield running


def test_espos_discovery_chain_reaches_every_expected_article(espos: FixtureServer) -> None:
    expected = espos_expected()
    robots = fetch_url(espos, "https://www.espos.id/robots.txt")[2].decode()
    assert sitemap_urls_from_robots(robots, "https://www.espos.id/robots.txt") == [
        "https://www.espos.id/sitemap.xml"
    ]
    index = parse_sitemap(fetch_url(espos, "https://www.espos.id/sitemap.xml")[2])
    assert index.kind == "sitemapindex"
    found: dict[str, set[str]] = {}
    for sitemap_url in (entry.loc for entry in index.entries):
        sitemap = parse_sitemap(fetch_url(espos, sitemap_url)[2])
        assert sitemap.kind == "urlset"
        for entry in sitemap.entries:
            assert entry.publication_date or entry.lastmod
            found.setdefault(article_id(entry.loc), set()).add(sitemap_url)
    status, headers, body = fetch_url(espos, "https://www.espos.id/feed")
    assert (status, headers["Content-Type"].split(";")[0]) == (200, "application/rss+xml")
    feed_urls = [entry.url for entry in parse_feed(body)]
    for url in feed_urls:
        found.setdefault(article_id(url.split("?")[0]), set()).add("feed")
    listing_url: str | None = "https://www.espos.id/indeks"
    pages = 0
    while listing_url:
        pages += 1
        page = lxml.html.fromstring(fetch_url(espos, listing_url)[2])
        for href in page.cssselect("div.list-news h2 a"):
            found.setdefault(article_id(href.get("href")), set()).add(listing_url)
        next_links = page.xpath("//a[@class='next']/@href | //link[@rel='next']/@href")
        listing_url = next_links[0] if next_links else None
    assert pages == 2
    for article in expected["articles"]:
        assert article_id(article["url"]) == article["id"], article["url"]
        assert article["id"] in found, article["url"]
    regional = next(a for a in expected["articles"] if a["fixture"] == "i")
    assert found[regional["id"]] == {"https://www.espos.id/indeks?page=2"}
    assert any(url.endswith("/amp") for url in feed_urls)
    assert any("utm_source=" in url and "fbclid=" in url for url in feed_urls)


def test_espos_out_of_window_article_is_dated_by_the_news_sitemap(espos: FixtureServer) -> None:
    (never,) = [entry["url"] for entry in espos_expected()["not_fetched"]]
    news = parse_sitemap(fetch_url(espos, "https://www.espos.id/sitemap-news.xml")[2])
    dated = {entry.loc: entry.publication_date for entry in news.entries}
    assert dated[never].date().isoformat() == "2025-06-01"
    listing = fetch_url(espos, "https://www.espos.id/indeks?page=2")[2].decode()
    assert never in listing
    assert fetch_url(espos, never)[0] == 200  # so a wrong fetch shows up in the request log


def test_espos_article_pages_agree_with_expected(espos: FixtureServer) -> None:
    for article in espos_expected()["articles"]:
        status, headers, body = fetch_url(espos, article["url"])
        if article["fixture"] == "h":
            assert status == 500
            status, headers, body = fetch_url(espos, article["url"])
        assert status == 200, article["url"]
        assert headers["Content-Type"].startswith("text/html")
        page = lxml.html.fromstring(body)
        assert page.xpath("//link[@rel='canonical']/@href") == [article["url"]]
        assert meta(page, "property", "og:title") == [article["title"]]
        assert meta(page, "property", "article:published_time") == [article["published"]]
        assert meta(page, "property", "article:tag") == article["tags"]
        assert meta(page, "property", "article:section") == [article["section"]]
        assert bool(page.xpath("//script[@type='application/ld+json']")) == article["has_jsonld"]
        paragraphs = clean_paragraphs(page)
        assert paragraphs == article["body"], article["url"]
        assert len(paragraphs) == article["paragraph_count"]
        assert (paragraphs[0], paragraphs[-1]) == (
            article["first_paragraph"],
            article["last_paragraph"],
        )
        assert re.match(rf"^\S+, {article['dateline']}\s*[—–-]", paragraphs[0])
        views = page.cssselect(".post-views")
        shown = int(views[0].text_content().split()[0].replace(".", "")) if views else None
        assert shown == article["views"]


def test_espos_amp_twin_points_at_its_canonical_page(espos: FixtureServer) -> None:
    (article,) = [a for a in espos_expected()["articles"] if a["fixture"] == "a"]
    status, _, body = fetch_url(espos, article["url"] + "/amp")
    assert status == 200
    page = lxml.html.fromstring(body)
    assert page.get("amp") is not None
    assert page.xpath("//link[@rel='canonical']/@href") == [article["url"]]
    assert clean_paragraphs(page) == article["body"]


def test_espos_urls_that_must_not_be_exported(espos: FixtureServer) -> None:
    expected = espos_expected()
    (missing,) = expected["fetched_but_not_exported"]
    assert fetch_url(espos, missing["url"])[0] == missing["status"]
    exported = {a["url"] for a in expected["articles"]}
    for entry in expected["not_exported"]:
        assert entry["url"] not in exported
    tracking = next(e["url"] for e in expected["not_exported"] if "fbclid=" in e["url"])
    assert fetch_url(espos, tracking)[0] == 404
