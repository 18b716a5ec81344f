"""Article pages read in worker processes while the crawl's own thread goes on crawling.

:class:`ReadAheadMiddleware` (a downloader middleware, enabled in settings) sends the body of
each article page a spider is about to parse to worker processes
(``crawler.extraction.workers``) and hands the spider their reading together with the
response, so the spider's ``read_page`` does not read the page again on the crawl's one
thread. It asks the spider what to read and how (``read_ahead_arguments``); the spider uses a
reading only when it would have read the page with the same arguments.

* ``CRAWLER_READ_PROCESSES``: how many workers; 0 (the default) reads every page on the
  crawl's thread. Workers make a long crawl faster on a machine with a core to spare, and cost
  CPU: the crawl's own share of the work and the pages' way to and from the workers stay on
  its thread (README, Performance, gives the measured trade).
* ``CRAWLER_READ_AHEAD_AFTER``: article pages of a run read in the crawl's process before the
  workers start, so that a run of a few new articles does not pay for starting them (about
  0.4 s of CPU each).

A page a worker could not read is read again in the crawl's process, where the same error
meets the spider as it would have without workers; it is counted under
``crawler/read_ahead/failed``. A worker that died or could not start is reported once,
counted under ``crawler/read_ahead/broken``, and the rest of the run reads in process. Pages
read by workers are counted under ``crawler/read_ahead/pages``; readings the spider did not
use, because it read the page with other arguments, under ``crawler/read_ahead/unused``.
"""

from __future__ import annotations

import logging

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
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


class ReadAheadMiddleware:
    """Reads article pages in worker processes before their callback (see the module doc).

    Its order must be the lowest of the downloader middlewares with a ``process_response``,
    so that it sees only responses that reach the spider (retries, block pages, redirects and
    decompression come first).
    """

    def __init__(self, crawler: Crawler, processes: int, after: int) -> None:
        self.crawler = crawler
        self.readers: PageReaders | None = PageReaders(processes)
        self.after = after
        self.article_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReadAheadMiddleware:
        processes = crawler.settings.getint(PROCESSES_SETTING, 0)
        if processes < 1:
            raise NotConfigured(f"{PROCESSES_SETTING} is {processes}: pages are read in process")
        if is_reactor_installed() and not is_asyncio_reactor_installed():
            raise NotConfigured("read-ahead awaits its workers on the asyncio reactor")
        middleware = cls(crawler, processes, crawler.settings.getint(AFTER_SETTING, 0))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Response:
        spider = self.crawler.spider
        if self.readers is None or not 200 <= response.status < 300:
            return response
        read_ahead_arguments = getattr(spider, "read_ahead_arguments", None)
        arguments = read_ahead_arguments(request, response) if read_ahead_arguments else None
        if arguments is None:
            return response
        self.article_pages += 1
        if self.article_pages <= self.after:
            return response
        readers = self.readers
        try:
            reading = await readers.read(response.body, arguments)
        except WorkerDied as error:
            if self.readers is readers:  # reported once, by the first page it failed
                self.readers = None
                self.crawler.stats.inc_value(BROKEN_STAT)
                logger.error(
                    "%s; this run reads the rest of its pages in the crawl's process", error
                )
                await readers.close()
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
            await readers.close()

    async def spider_closed(self) -> None:
        """Scrapy waits for the workers to exit (they are reaped, their CPU counted)."""
        await self.close()
