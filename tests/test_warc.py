"""WARC capture and replay: a crawl of the Espos fixture site archived, then replayed offline."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import SITES, read_jsonl, run_scrapy, window_args
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler import __version__
from crawler.archive.capture import WarcFile
from crawler.archive.replay import ArchiveIndex, archive_files
from crawler.testing.fixture_server import FixtureServer

EXPECTED = json.loads((SITES / "espos" / "EXPECTED.json").read_text(encoding="utf-8"))
WINDOW = window_args(EXPECTED)
ROBOTS_PATH = "/robots.txt"


def warc_records(path: Path) -> list[dict]:
    """Every record of a WARC file: type, WARC headers, HTTP status/headers and raw payload."""
    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            records.append(
                {
                    "type": record.rec_type,
                    "warc": dict(record.rec_headers.headers),
                    "statusline": record.http_headers.statusline if record.http_headers else None,
                    "status": (
                        int(record.http_headers.get_statuscode())
                        if record.rec_type == "response"
                        else None
                    ),
                    "http": dict(record.http_headers.headers) if record.http_headers else {},
                    "payload": record.raw_stream.read(),
                }
            )
    return records


def fetched_urls(server: FixtureServer) -> list[str]:
    """The real URL of every request the fixture server answered (all hosts are https)."""
    return [f"https://{request.host}{request.path}" for request in server.requests]


def without_crawl_time(records: list[dict]) -> list[dict]:
    return sorted(
        ({k: v for k, v in record.items() if k != "crawled_at"} for record in records),
        key=lambda record: record["url"],
    )


def capture_crawl(workdir: Path, mode: str, *args: str) -> dict:
    """Crawl the fixture site with WARC capture on; return the archive and what was fetched."""
    archive_dir = workdir / "archive"
    with FixtureServer(SITES / "espos") as server:
        started = datetime.now(UTC)
        result = run_scrapy(
            ["crawl", "espos", *args, "-O", "items.jsonl"],
            cwd=workdir,
            host_map=server.host_map(),
            settings={"CRAWLER_WARC_DIR": str(archive_dir), "CRAWLER_WARC_CAPTURE": mode},
        )
        finished = datetime.now(UTC)
        fetched = fetched_urls(server)
    assert result.returncode == 0, result.stderr[-3000:]
    files = sorted(archive_dir.rglob("*.warc.gz"))
    return {
        "files": files,
        "records": [record for file in files for record in warc_records(file)],
        "fetched": fetched,
        "items": read_jsonl(workdir / "items.jsonl"),
        "started": started,
        "finished": finished,
        "log": result.stderr,
    }


@pytest.fixture(scope="module")
def full_capture(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return capture_crawl(tmp_path_factory.mktemp("capture-all"), "all", *WINDOW)


@pytest.fixture(scope="module")
def article_capture(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return capture_crawl(tmp_path_factory.mktemp("capture-articles"), "articles", *WINDOW)


# --- capture -----------------------------------------------------------------------------------


def test_one_archive_file_per_run_named_after_the_outlet(full_capture):
    [archive] = full_capture["files"]
    assert archive.parent.name == "espos"
    assert archive.name.startswith("espos-") and archive.name.endswith(".warc.gz")
    # Gzipped record by record: the file is a valid gzip stream as a whole.
    assert gzip.decompress(archive.read_bytes()).startswith(b"WARC/1.0\r\n")


def test_warcinfo_opens_the_file_and_names_version_and_outlet(full_capture):
    first = full_capture["records"][0]
    assert first["type"] == "warcinfo"
    fields = dict(
        line.split(": ", 1) for line in first["payload"].decode().splitlines() if ": " in line
    )
    assert fields["software"].startswith(f"jateng-news-crawler/{__version__} ")
    assert fields["outlet"] == "espos"
    assert fields["outlet-name"] == "Espos.id"
    assert fields["capture"] == "all"
    assert sum(record["type"] == "warcinfo" for record in full_capture["records"]) == 1


def test_one_response_record_per_fetch_under_the_real_url(full_capture):
    responses = [r for r in full_capture["records"] if r["type"] == "response"]
    archived = Counter(r["warc"]["WARC-Target-URI"] for r in responses)
    assert archived == Counter(full_capture["fetched"])
    assert set(EXPECTED["discovery_urls"]) <= set(archived)
    for response in responses:
        assert "127.0.0.1" not in json.dumps(response["warc"])
        # The fixture server's address is no proof of anything: not recorded.
        assert "WARC-IP-Address" not in response["warc"]


def test_retried_and_failed_fetches_are_archived_with_their_status(full_capture):
    statuses: dict[str, list[int]] = {}
    for record in full_capture["records"]:
        if record["type"] == "response":
            statuses.setdefault(record["warc"]["WARC-Target-URI"], []).append(record["status"])
    assert statuses[EXPECTED["retried"][0]["url"]] == [500, 200]
    assert statuses[EXPECTED["fetched_but_not_exported"][0]["url"]] == [404]


def test_response_record_holds_status_headers_and_body_as_served(full_capture):
    url = next(a["url"] for a in EXPECTED["articles"] if a["fixture"] == "b")
    response = next(
        r
        for r in full_capture["records"]
        if r["type"] == "response" and r["warc"]["WARC-Target-URI"] == url
    )
    page = SITES / "espos" / "www.espos.id" / (url.rsplit("/", 1)[1] + ".html")
    assert response["statusline"] == "200 OK"
    assert response["http"]["Content-Type"] == "text/html; charset=utf-8"
    assert response["payload"] == page.read_bytes()


def test_warc_date_is_the_fetch_time(full_capture):
    start = full_capture["started"].replace(microsecond=0)
    for record in full_capture["records"]:
        fetched = datetime.strptime(record["warc"]["WARC-Date"], "%Y-%m-%dT%H:%M:%SZ")
        assert start <= fetched.replace(tzinfo=UTC) <= full_capture["finished"]


def test_every_response_has_its_request_record(full_capture):
    records = full_capture["records"]
    response_ids = {r["warc"]["WARC-Record-ID"]: r for r in records if r["type"] == "response"}
    requests = [r for r in records if r["type"] == "request"]
    assert len(requests) == len(response_ids)
    for request in requests:
        response = response_ids[request["warc"]["WARC-Concurrent-To"]]
        assert request["warc"]["WARC-Target-URI"] == response["warc"]["WARC-Target-URI"]
        host = request["warc"]["WARC-Target-URI"].split("/")[2]
        assert request["statusline"].startswith("/")
        assert request["http"]["Host"] == host


def test_articles_mode_archives_article_pages_only(article_capture):
    responses = [r for r in article_capture["records"] if r["type"] == "response"]
    archived = Counter(r["warc"]["WARC-Target-URI"] for r in responses)
    discovery = set(EXPECTED["discovery_urls"])
    articles = Counter(
        url for url in article_capture["fetched"] if url not in discovery and ROBOTS_PATH not in url
    )
    assert archived == articles
    assert {a["url"] for a in EXPECTED["articles"]} <= set(archived)


# --- replay ------------------------------------------------------------------------------------


def test_replay_never_touches_the_network_and_yields_the_same_items(full_capture, tmp_path):
    [archive] = full_capture["files"]
    # The server runs and the host map points at it: a request leaking past the replay
    # would reach it and be recorded.
    with FixtureServer(SITES / "espos") as server:
        result = run_scrapy(
            ["crawl", "espos", *WINDOW, "-O", "replayed.jsonl"],
            cwd=tmp_path,
            host_map=server.host_map(),
            settings={
                "CRAWLER_WARC_REPLAY": str(archive),
                "CRAWLER_WARC_DIR": str(tmp_path / "archive"),
            },
        )
        leaked = list(server.requests)
    assert result.returncode == 0, result.stderr[-3000:]
    assert leaked == []
    replayed = read_jsonl(tmp_path / "replayed.jsonl")
    assert without_crawl_time(replayed) == without_crawl_time(full_capture["items"])
    assert len(replayed) == len(EXPECTED["articles"])
    assert "crawler/failed/replay_missing" not in result.stderr
    # Replayed responses are not archived a second time.
    assert not (tmp_path / "archive").exists()


def test_single_article_replays_from_an_articles_archive(article_capture, tmp_path):
    article = EXPECTED["articles"][0]
    [archive] = article_capture["files"]
    result = run_scrapy(
        ["crawl", "espos", "-a", f"url={article['url']}", "-O", "one.jsonl"],
        cwd=tmp_path,
        settings={"CRAWLER_WARC_REPLAY": str(archive.parent)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [record] = read_jsonl(tmp_path / "one.jsonl")
    original = next(r for r in article_capture["items"] if r["url"] == article["url"])
    assert without_crawl_time([record]) == without_crawl_time([original])
    # Its host's robots.txt was not archived in "articles" mode: a 404, not a failure.
    assert "replay_missing" not in result.stderr


def test_url_missing_from_the_archive_is_a_counted_404(article_capture, tmp_path):
    missing = "https://www.espos.id/berita-yang-tidak-pernah-diarsipkan-2299999"
    result = run_scrapy(
        ["crawl", "espos", "-a", f"url={missing}", "-O", "none.jsonl"],
        cwd=tmp_path,
        settings={"CRAWLER_WARC_REPLAY": str(article_capture["files"][0])},
    )
    # The exit status is the operations tests' concern; this checks the accounting.
    assert "'item_scraped_count'" not in result.stderr
    assert f"replay_missing: {missing}" in result.stderr
    assert "'crawler/failed/replay_missing': 1," in result.stderr
    assert "'crawler/failed/article_http_404': 1," in result.stderr


def test_replay_of_an_absent_archive_fails_instead_of_crawling(tmp_path):
    result = run_scrapy(
        ["crawl", "espos", "-a", "url=https://www.espos.id/a-2201002", "-O", "x.jsonl"],
        cwd=tmp_path,
        settings={"CRAWLER_WARC_REPLAY": str(tmp_path / "nowhere.warc.gz")},
    )
    assert result.returncode != 0
    assert "no WARC file at" in result.stderr


# --- the archive format, without a crawl -------------------------------------------------------

URL = "https://www.espos.id/contoh-berita-2201099"


def archive_one(path: Path, body: bytes, fetched_at: datetime, **headers: str) -> None:
    warc_file = WarcFile(path, {"software": "test"})
    response = HtmlResponse(
        URL, status=200, headers={"Content-Type": "text/html", **headers}, body=body
    )
    warc_file.write_exchange(Request(URL), response, fetched_at)
    warc_file.close()


def test_newest_fetch_wins_whatever_the_file_order(tmp_path):
    now = datetime(2025, 7, 3, 8, 0, tzinfo=UTC)
    archive_one(tmp_path / "later.warc.gz", b"<p>newer</p>", now)
    archive_one(tmp_path / "earlier.warc.gz", b"<p>older</p>", now - timedelta(days=1))
    index = ArchiveIndex.from_files([tmp_path / "later.warc.gz", tmp_path / "earlier.warc.gz"])
    assert index.get(URL).body == b"<p>newer</p>"
    assert index.get(URL + "#comments").body == b"<p>newer</p>"
    assert index.get("https://www.espos.id/lain-2201098") is None


def test_compressed_body_is_archived_as_received_and_decoded_on_replay(tmp_path):
    html = "<p>Esposin, SOLO – isi berita.</p>".encode()
    archive_one(
        tmp_path / "gz.warc.gz",
        gzip.compress(html),
        datetime.now(UTC),
        **{"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"},
    )
    [_, response, _] = warc_records(tmp_path / "gz.warc.gz")
    assert gzip.decompress(response["payload"]) == html
    assert "Transfer-Encoding" not in response["http"]
    request = Request(URL)
    replayed = ArchiveIndex.from_files([tmp_path / "gz.warc.gz"]).get(URL).to_response(request)
    decoded = HttpCompressionMiddleware.from_crawler(get_crawler()).process_response(
        request, replayed
    )
    assert decoded.body == html


def test_damaged_tail_keeps_the_records_before_it(tmp_path):
    path = tmp_path / "killed.warc.gz"
    archive_one(path, b"<p>first</p>", datetime.now(UTC))
    complete = path.read_bytes()
    second = tmp_path / "second.warc.gz"
    archive_one(second, b"<p>" + b"x" * 5000 + b"</p>", datetime.now(UTC))
    path.write_bytes(complete + second.read_bytes()[:300])
    index = ArchiveIndex.from_files([path])
    assert len(index) == 1
    assert index.get(URL).body == b"<p>first</p>"


def test_replay_setting_expands_directories_and_spider_names(tmp_path):
    archive_one(tmp_path / "espos" / "espos-1.warc.gz", b"a", datetime.now(UTC))
    archive_one(tmp_path / "espos" / "espos-2.warc.gz", b"b", datetime.now(UTC))
    (tmp_path / "espos" / "notes.txt").write_text("not an archive")
    found = archive_files([str(tmp_path / "%(name)s")], "espos")
    assert [path.name for path in found] == ["espos-1.warc.gz", "espos-2.warc.gz"]
    with pytest.raises(FileNotFoundError):
        archive_files([str(tmp_path / "%(name)s")], "suaramerdeka")
