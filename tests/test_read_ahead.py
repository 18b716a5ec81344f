"""Article pages read in worker processes (crawler.extraction.workers,
crawler.extraction.read_ahead).

Every fixture site's shared crawl reads its article pages in a worker (tests/conftest.py,
READ_AHEAD_SETTINGS), so tests/test_outlets.py and the outlets' own tests check the workers'
readings against EXPECTED.json; here: a worker's reading is the page read in process, for
every article page of every fixture site, and the middleware's bookkeeping.
"""

from __future__ import annotations

import asyncio
import fcntl
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SITES, article_files
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.extraction import read_ahead
from crawler.extraction.block import decode_page
from crawler.extraction.read_ahead import ReadAheadMiddleware, ReaderPools
from crawler.extraction.workers import (
    PIPE_BYTES,
    PageReaders,
    PageReadFailed,
    PageReading,
    ReadArguments,
    WorkerDied,
    read_page,
    read_page_in_worker,
)

SPIDERS = get_spider_loader(get_project_settings())


def article_pages() -> list[tuple[str, str, Path]]:
    """(outlet, real URL, file) of every article page a fixture site's EXPECTED.json exports."""
    return [
        (site.name, url, file)
        for site in sorted(path for path in SITES.iterdir() if path.is_dir())
        for url, file in article_files(site.name).items()
    ]


ARTICLE_PAGES = article_pages()


def test_the_comparison_covers_the_fixture_sites_read_from_pages():
    """Every site but those whose articles come from WordPress REST answers."""
    assert len({name for name, _, _ in ARTICLE_PAGES}) >= 18


@pytest.mark.parametrize(("name", "url", "file"), ARTICLE_PAGES, ids=lambda v: str(v)[-60:])
def test_a_reading_from_a_worker_is_the_page_read_in_process(name: str, url: str, file: Path):
    arguments = ReadArguments(url, SPIDERS.load(name).layouts, publishers=("Espos.id",))
    body = file.read_bytes()
    decoded = decode_page(body)
    in_process = read_page(decoded, arguments)
    crossed = pickle.loads(pickle.dumps(read_page_in_worker(body, arguments)))
    assert crossed.fallback == decoded.fallback
    from_worker = crossed.page(body, arguments)
    assert from_worker.article == in_process.article
    assert from_worker.layout is in_process.layout
    assert from_worker.day == in_process.day
    # No tree crossed; the worker looked up the pager's links, so only asking for the tree
    # parses the page again.
    assert from_worker.linked_pages(url) == in_process.linked_pages(url)
    assert from_worker.tree is None
    assert from_worker.root.xpath("count(//*)") == in_process.root.xpath("count(//*)")


def test_a_worker_tells_the_encoding_it_fell_back_to():
    """The spider counts a page that needed the windows-1252 fallback, however it was read."""
    body = "<html><body><p>Kabupaten Kudus ‘x’</p></body></html>".encode("cp1252")
    reading = read_page_in_worker(body, ReadArguments("https://www.espos.id/x", ()))
    assert reading.fallback is not None
    assert reading.fallback == decode_page(body).fallback


def read_in_workers(*pages: tuple[bytes, ReadArguments], processes: int = 1) -> list:
    """What real workers answer for ``pages`` (a PageReading, or the exception raised)."""

    async def read_all() -> list:
        readers = PageReaders(processes)
        try:
            return await asyncio.gather(
                *(readers.read(body, arguments) for body, arguments in pages),
                return_exceptions=True,
            )
        finally:
            await readers.close()
            assert readers.workers == []

    return asyncio.run(read_all())


def test_page_readers_read_in_other_processes():
    pages = [
        (file.read_bytes(), ReadArguments(url, SPIDERS.load(name).layouts))
        for name, url, file in ARTICLE_PAGES[:6]
    ]
    readings = read_in_workers(*pages, processes=2)
    assert [reading.article for reading in readings] == [
        read_page(decode_page(body), arguments).article for body, arguments in pages
    ]


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_a_worker_s_pipes_hold_a_whole_page_and_its_answer():
    async def pipe_sizes() -> list[int]:
        readers = PageReaders(1)
        try:
            await readers.start()
            transport = readers.workers[0].transport
            assert transport is not None
            return [
                fcntl.fcntl(
                    transport.get_pipe_transport(fd).get_extra_info("pipe").fileno(),
                    fcntl.F_GETPIPE_SZ,
                )
                for fd in (0, 1)
            ]
        finally:
            await readers.close()

    assert asyncio.run(pipe_sizes()) == [PIPE_BYTES, PIPE_BYTES]


def test_a_page_that_fails_in_a_worker_fails_alone():
    page = b"<html><body><article><p>Teks berita dari Kudus.</p></article></body></html>"
    broken = ReadArguments("https://www.espos.id/x", ("not a layout",))  # type: ignore[arg-type]
    good = ReadArguments("https://www.espos.id/x", ())
    failed, read = read_in_workers((page, broken), (page, good))
    assert isinstance(failed, PageReadFailed) and "AttributeError" in str(failed)
    assert read.article.body == ["Teks berita dari Kudus."]


def test_pages_waiting_on_a_worker_that_dies_fail_as_such():
    async def read_after_kill() -> BaseException:
        readers = PageReaders(1)
        await readers.read(b"<p>x</p>", ReadArguments("https://www.espos.id/x", ()))
        readers.workers[0].transport.kill()
        try:
            await readers.read(b"<p>y</p>", ReadArguments("https://www.espos.id/y", ()))
        except WorkerDied as error:
            return error
        finally:
            await readers.close()
        raise AssertionError("read from a killed worker")

    assert "exited" in str(asyncio.run(read_after_kill()))


def test_a_worker_imports_from_where_the_crawl_does(tmp_path: Path, monkeypatch):
    """A module only the crawl's sys.path reaches (a Scrapyd egg's) is found by the worker,
    which unpickles the crawl's objects by their module's name."""
    (tmp_path / "egg_only_names.py").write_text("class Name(str):\n    pass\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    from egg_only_names import Name

    arguments = ReadArguments("https://www.espos.id/x", (), publishers=(Name("Espos.id"),))
    (reading,) = read_in_workers((b"<html><body><p>Teks.</p></body></html>", arguments))
    assert isinstance(reading, PageReading), reading


def test_a_worker_does_not_run_the_program_that_started_it(tmp_path: Path):
    """Python's ``multiprocessing`` (``spawn``) imports ``__main__`` again in each new process:
    a crawl script without an ``if __name__ == "__main__":`` guard would start again in every
    worker. Workers here are ``python -m crawler.extraction.workers``."""
    runs = tmp_path / "runs.txt"
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import asyncio\n"
        "from pathlib import Path\n"
        "from crawler.extraction.workers import PageReaders, ReadArguments\n"
        f"with Path({str(runs)!r}).open('a') as runs:\n"
        "    runs.write('started\\n')\n"
        "async def main():\n"
        "    readers = PageReaders(1)\n"
        "    page = b'<html><body><p>Teks berita dari Kudus.</p></body></html>'\n"
        "    reading = await readers.read(page, ReadArguments('https://www.espos.id/x', ()))\n"
        "    await readers.close()\n"
        "    print(reading.article.body)\n"
        "asyncio.run(main())\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Teks berita dari Kudus." in result.stdout
    assert runs.read_text(encoding="utf-8") == "started\n"


def test_page_readers_need_a_process():
    with pytest.raises(ValueError, match="at least one process"):
        PageReaders(0)


# --- the middleware, with stand-in workers -----------------------------------------------------


class StandInReaders:
    """Answers every page with ``outcome`` (a PageReading, or an exception to raise)."""

    def __init__(self, outcome: PageReading | BaseException) -> None:
        self.outcome = outcome
        self.submitted: list[str] = []
        self.closed = False

    async def read(self, body: bytes, arguments: ReadArguments) -> PageReading:
        self.submitted.append(arguments.url)
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    async def close(self) -> None:
        self.closed = True


class ArticleSpider(Spider):
    """Pages under /berita/ are articles."""

    name = "espos"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.pages_read_ahead: dict = {}

    def read_ahead_arguments(self, request: Request, response: HtmlResponse) -> ReadArguments:
        return ReadArguments(response.url, ()) if "/berita/" in response.url else None


def middleware(outcome: PageReading | BaseException, after: int = 0):
    crawler = get_crawler(ArticleSpider)
    crawler.spider = ArticleSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    readers = StandInReaders(outcome)
    pools = ReaderPools()
    pools.current[1] = readers  # type: ignore[assignment]
    middleware = ReadAheadMiddleware(crawler, 1, after, pools)
    return middleware, readers, crawler


def fetched(path: str, status: int = 200) -> tuple[Request, HtmlResponse]:
    request = Request(f"https://www.espos.id{path}")
    return request, HtmlResponse(request.url, status=status, body=b"<p>x</p>", request=request)


READING = PageReading(article=None, layout_index=None, day=None, links={})  # type: ignore[arg-type]


def respond(ahead: ReadAheadMiddleware, path: str, status: int = 200) -> HtmlResponse:
    request, response = fetched(path, status)
    assert asyncio.run(ahead.process_response(request, response)) is response
    return response


def test_an_article_page_reaches_the_spider_with_its_reading():
    ahead, readers, crawler = middleware(READING)
    response = respond(ahead, "/berita/1")
    assert crawler.spider.pages_read_ahead[response] == (
        ReadArguments(response.url, ()),
        READING,
    )
    assert crawler.stats.get_value(read_ahead.PAGES_STAT) == 1


def test_other_pages_and_error_answers_are_not_read_ahead():
    ahead, readers, crawler = middleware(READING)
    respond(ahead, "/sitemap.xml")
    respond(ahead, "/berita/2", status=404)
    assert readers.submitted == []
    assert crawler.spider.pages_read_ahead == {}


def test_the_first_pages_of_a_run_are_read_in_process():
    ahead, readers, crawler = middleware(READING, after=2)
    for number in range(4):
        respond(ahead, f"/berita/{number}")
    assert readers.submitted == ["https://www.espos.id/berita/2", "https://www.espos.id/berita/3"]


def test_a_page_a_worker_could_not_read_is_counted_and_left_to_the_spider():
    ahead, readers, crawler = middleware(PageReadFailed("ValueError: no tree"))
    respond(ahead, "/berita/1")
    assert crawler.spider.pages_read_ahead == {}
    assert crawler.stats.get_value(read_ahead.FAILED_STAT) == 1
    assert ahead.readers is readers  # one bad page does not stop the workers


def test_a_dead_worker_is_reported_once_and_the_run_reads_in_process(caplog):
    ahead, readers, crawler = middleware(
        WorkerDied("the page-reading worker exited with status -9")
    )
    respond(ahead, "/berita/1")
    respond(ahead, "/berita/2")
    assert readers.closed and ahead.readers is None and ahead.broken
    assert readers.submitted == ["https://www.espos.id/berita/1"]
    assert ahead.pools.current == {}  # no later crawl of the process is given the dead pool
    assert crawler.stats.get_value(read_ahead.BROKEN_STAT) == 1
    assert [r.levelname for r in caplog.records if "worker exited" in r.message] == ["ERROR"]


def test_no_workers_on_one_cpu_unless_asked_for(monkeypatch: pytest.MonkeyPatch):
    # Which reactor a test process has installed depends on the tests run before in it.
    monkeypatch.setattr(read_ahead, "is_reactor_installed", lambda: True)
    monkeypatch.setattr(read_ahead, "is_asyncio_reactor_installed", lambda: True)
    project, PROCESSES = get_project_settings(), read_ahead.PROCESSES_SETTING

    def workers(cpus: int, **settings: object) -> int | None:
        monkeypatch.setattr(read_ahead, "usable_cpus", lambda: cpus)
        crawler = get_crawler(ArticleSpider, {PROCESSES: project[PROCESSES], **settings})
        try:
            return ReadAheadMiddleware.from_crawler(crawler).processes
        except NotConfigured:
            return None

    assert workers(2) == read_ahead.AUTO_PROCESSES == 1  # the project's default: "auto"
    assert workers(1) is None
    assert workers(8, CRAWLER_READ_PROCESSES=0) is None
    assert workers(1, CRAWLER_READ_PROCESSES="2") == 2
    ahead = ReadAheadMiddleware.from_crawler(
        get_crawler(ArticleSpider, {"CRAWLER_READ_PROCESSES": 2, "CRAWLER_READ_AHEAD_AFTER": 7})
    )
    assert ahead.after == 7 and ahead.readers is None  # no pool before the first page
    monkeypatch.setattr(read_ahead, "is_asyncio_reactor_installed", lambda: False)
    with pytest.raises(NotConfigured, match="asyncio reactor"):
        ReadAheadMiddleware.from_crawler(get_crawler(ArticleSpider, {"CRAWLER_READ_PROCESSES": 2}))


@pytest.mark.parametrize(
    ("cpu_max", "affinity", "usable"),
    [
        ("max 100000", 4, 4),
        ("100000 100000", 4, 1),
        ("150000 100000", 4, 2),
        ("800000 100000", 2, 2),
    ],
)
def test_usable_cpus_are_cut_to_the_container_s_quota(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_max: str, affinity: int, usable: int
):
    (tmp_path / "cpu.max").write_text(cpu_max + "\n", encoding="utf-8")
    monkeypatch.setattr(read_ahead, "CGROUP_CPU_MAX", tmp_path / "cpu.max")
    monkeypatch.setattr(read_ahead.os, "sched_getaffinity", lambda pid: set(range(affinity)))
    assert read_ahead.usable_cpus() == usable


def test_a_cgroup_v1_quota_counts_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(read_ahead, "CGROUP_CPU_MAX", tmp_path / "absent")
    (tmp_path / "quota").write_text("50000\n", encoding="utf-8")
    (tmp_path / "period").write_text("100000\n", encoding="utf-8")
    monkeypatch.setattr(read_ahead, "CGROUP_V1_QUOTA", tmp_path / "quota")
    monkeypatch.setattr(read_ahead, "CGROUP_V1_PERIOD", tmp_path / "period")
    monkeypatch.setattr(read_ahead.os, "sched_getaffinity", lambda pid: {0, 1})
    assert read_ahead.usable_cpus() == 1
    (tmp_path / "quota").write_text("-1\n", encoding="utf-8")
    assert read_ahead.usable_cpus() == 2


def test_the_crawls_of_a_process_share_one_pool_of_workers():
    """scrapy crawlall: every outlet's crawl in one process, one worker between them."""

    async def crawls() -> None:
        pools = ReaderPools()
        first, second = (
            ReadAheadMiddleware(get_crawler(ArticleSpider), 1, 0, pools) for _ in range(2)
        )
        for ahead in (first, second):
            ahead.crawler.spider = ArticleSpider.from_crawler(ahead.crawler)
            request, response = fetched("/berita/1")
            await ahead.process_response(request, response)
            assert isinstance(ahead.crawler.spider.pages_read_ahead[response][1], PageReading)
        assert first.readers is second.readers
        readers = first.readers
        assert readers is not None and len(readers.workers) == 1
        await first.spider_closed()
        assert len(readers.workers) == 1  # the other crawl still reads with it
        third = ReadAheadMiddleware(get_crawler(ArticleSpider), 1, 0, pools)
        assert pools.acquire(1) is readers
        await pools.release(readers)
        await second.spider_closed()
        assert readers.workers == [] and pools.current == {} and pools.users == {}
        assert third.readers is None

    asyncio.run(crawls())
