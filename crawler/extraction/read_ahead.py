"""Article pages read in worker processes while the crawl's own thread goes on crawling.

:class:`ReadAheadMiddleware` (a downloader middleware, enabled in settings) sends the body of
each article page a spider is about to parse to worker processes
(``crawler.extraction.workers``) and hands the spider their reading together with the
response, so the spider's ``read_page`` does not read the page again on the crawl's one
thread. It asks the spider what to read and how (``read_ahead_arguments``); the spider uses a
reading only when it would have read the page with the same arguments.

* ``CRAWLER_READ_PROCESSES``: how many workers; 0 reads every page on the crawl's thread;
  ``"auto"`` (the default) is one worker when the process may use two CPUs or more
  (:func:`usable_cpus`), else 0. Workers make a long crawl faster on a machine with a core to
  spare, and cost CPU: the crawl's own share of the work and the pages' way to and from the
  workers stay on its thread (README, Performance, gives the measured trade).
* ``CRAWLER_READ_AHEAD_AFTER``: article pages of a run read in the crawl's process before the
  workers start, so that a run of a few new articles does not pay for starting them (about
  0.4 s of CPU each).

The workers are the process's, not a crawl's: ``scrapy crawlall`` runs every outlet in one
process, and one pool (:data:`READER_POOLS`) serves all of its crawls that read ahead; the
last of them to close stops it.

A page a worker could not read is read again in the crawl's process, where the same error
meets the spider as it would have without workers; it is counted under
``crawler/read_ahead/failed``. A worker that died or could not start is reported once,
counted under ``crawler/read_ahead/broken``, and the rest of the run reads in process. Pages
read by workers are counted under ``crawler/read_ahead/pages``; readings the spider did not
use, because it read the page with other arguments, under ``crawler/read_ahead/unused``.
"""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.reactor import is_asyncio_reactor_installed, is_reactor_installed

from crawler.extraction.workers import PageReaders, PageReadFailed, WorkerDied

logger = logging.getLogger(__name__)

PROCESSES_SETTING = "CRAWLER_READ_PROCESSES"
AFTER_SETTING = "CRAWLER_READ_AHEAD_AFTER"
PAGES_STAT = "crawler/read_ahead/pages"
FAILED_STAT = "crawler/read_ahead/failed"
BROKEN_STAT = "crawler/read_ahead/broken"
#: Counted by the spider: a reading made with other arguments than the spider reads with.
UNUSED_STAT = "crawler/read_ahead/unused"
#: Workers that ``CRAWLER_READ_PROCESSES = "auto"`` asks for on a machine with a core to spare:
#: one worker takes the page reads off the crawl's thread; the crawl's own work, and the pages'
#: way to and from the workers, keep that thread busy enough that a second adds nothing on two
#: cores (README, Performance).
AUTO_PROCESSES = 1
#: Where a container's CPU quota is (cgroup v2, then v1): ``docker run --cpus=1`` on a
#: four-core host leaves the process an affinity of four CPUs and one CPU's time.
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1_QUOTA = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
CGROUP_V1_PERIOD = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")


def cgroup_cpu_quota() -> float | None:
    """CPUs' worth of time the process's cgroup may use, or None where there is no limit."""
    try:
        if CGROUP_CPU_MAX.exists():
            quota, period = CGROUP_CPU_MAX.read_text().split()[:2]
        else:
            quota = CGROUP_V1_QUOTA.read_text().strip()
            period = CGROUP_V1_PERIOD.read_text().strip()
        if quota in ("max", "-1"):
            return None
        return int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def usable_cpus() -> int:
    """CPUs this process may keep busy: its CPU affinity, cut to its cgroup's quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    quota = cgroup_cpu_quota()
    return cpus if quota is None else max(1, min(cpus, math.ceil(quota)))


def read_processes(settings: BaseSettings) -> int:
    """``CRAWLER_READ_PROCESSES`` as a number of workers (``"auto"`` resolved here)."""
    value = settings.get(PROCESSES_SETTING, 0)
    if str(value).strip().lower() == "auto":
        return AUTO_PROCESSES if usable_cpus() >= 2 else 0
    return settings.getint(PROCESSES_SETTING, 0)


class ReaderPools:
    """The process's page-reading workers, one pool per number of workers asked for, shared
    by the crawls that read ahead (``scrapy crawlall`` runs every outlet in one process: a
    pool per crawl would be a worker per outlet). A pool stops when the last crawl using it
    lets go; one whose worker died is given to no further crawl."""

    def __init__(self) -> None:
        self.current: dict[int, PageReaders] = {}
        self.users: dict[PageReaders, int] = {}

    def acquire(self, processes: int) -> PageReaders:
        readers = self.current.get(processes)
        if readers is None:
            readers = self.current[processes] = PageReaders(processes)
        self.users[readers] = self.users.get(readers, 0) + 1
        return readers

    async def release(self, readers: PageReaders, broken: bool = False) -> None:
        users = self.users.pop(readers, 1) - 1
        if broken or users == 0:
            self.current = {n: pool for n, pool in self.current.items() if pool is not readers}
        if users > 0:
            self.users[readers] = users
            return
        await readers.close()


#: The one set of pools of this process.
READER_POOLS = ReaderPools()


class ReadAheadMiddleware:
    """Reads article pages in worker processes before their callback (see the module doc).

    Its order must be the lowest of the downloader middlewares with a ``process_response``,
    so that it sees only responses that reach the spider (retries, block pages, redirects and
    decompression come first).
    """

    def __init__(
        self, crawler: Crawler, processes: int, after: int, pools: ReaderPools = READER_POOLS
    ) -> None:
        self.crawler = crawler
        self.processes = processes
        self.after = after
        self.pools = pools
        #: The pool this crawl reads with, taken at its first page past ``after``.
        self.readers: PageReaders | None = None
        #: A worker of this crawl's pool died: the rest of the run reads in process.
        self.broken = False
        self.article_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReadAheadMiddleware:
        processes = read_processes(crawler.settings)
        if processes < 1:
            raise NotConfigured(f"{PROCESSES_SETTING} gives {processes}: pages are read in process")
        if is_reactor_installed() and not is_asyncio_reactor_installed():
            raise NotConfigured("read-ahead awaits its workers on the asyncio reactor")
        middleware = cls(crawler, processes, crawler.settings.getint(AFTER_SETTING, 0))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Response:
        spider = self.crawler.spider
        if self.broken or not 200 <= response.status < 300:
            return response
        read_ahead_arguments = getattr(spider, "read_ahead_arguments", None)
        arguments = read_ahead_arguments(request, response) if read_ahead_arguments else None
        if arguments is None:
            return response
        self.article_pages += 1
        if self.article_pages <= self.after:
            return response
        if self.readers is None:
            self.readers = self.pools.acquire(self.processes)
        readers = self.readers
        try:
            reading = await readers.read(response.body, arguments)
        except WorkerDied as error:
            if self.readers is readers:  # reported once, by the first page it failed
                self.readers, self.broken = None, True
                self.crawler.stats.inc_value(BROKEN_STAT)
                logger.error(
                    "%s; this run reads the rest of its pages in the crawl's process", error
                )
                await self.pools.release(readers, broken=True)
            return response
        except PageReadFailed as error:
            self.crawler.stats.inc_value(FAILED_STAT)
            logger.info(
                "%s was not read in a worker (%s); reading it in the crawl's process",
                response.url,
                error,
            )
            return response
        spider.pages_read_ahead[response] = (arguments, reading)
        self.crawler.stats.inc_value(PAGES_STAT)
        return response

    async def close(self) -> None:
        readers, self.readers = self.readers, None
        if readers is not None:
            await self.pools.release(readers)

    async def spider_closed(self) -> None:
        """Scrapy waits for the pool's workers to exit when this crawl is its last user (they
        are reaped, their CPU counted)."""
        await self.close()
