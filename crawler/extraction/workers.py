"""Article pages read in worker processes, so that the crawl's one thread keeps crawling.

A Scrapy process runs every callback on one thread, and reading a page (parse, structured
data, selectors, cleaning) is most of what a crawl spends its CPU on (README, Performance):
in process, a crawl runs at the speed of its page reads. :class:`PageReaders` hands the
page's bytes to worker processes that run :func:`~crawler.extraction.layouts.read_article`,
the same one path from page to fields, and gives back a :class:`PageReading`: the page's
fields without its lxml tree, which cannot cross processes. ``ArticlePage.root`` parses the
page again for the rare caller that needs the tree after such a read.

A worker is ``python -m crawler.extraction.workers``: a fresh interpreter that imports only
``crawler.extraction`` (never the program that started it, as ``multiprocessing`` would), a
child of the crawl whose CPU time is the crawl's. It reads each page on its stdin as the
lengths of its pickled arguments and of its body, the arguments, then the body's bytes as they
are (``page_message``), and answers each page, in order, with a length-prefixed pickle on its
stdout. The crawl's side lives in its asyncio event loop: no threads of its own, so nothing
contends with the crawl's thread for the interpreter lock.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import sys
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from crawler.extraction.block import DecodedPage, decode_page
from crawler.extraction.layouts import ArticlePage, Layout, read_article
from crawler.extraction.result import ExtractedArticle
from crawler.utils.garbage_collection import garbage_collection_paused

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

#: Bytes of the big-endian length before each pickled message.
LENGTH_BYTES = 8
#: Bytes the pipes to and from a worker hold (``widen_pipes``); Linux's default of 64 KiB is
#: less than one bench page, and its default ``pipe-max-size`` is 1 MiB.
PIPE_BYTES = 1 << 20
#: Seconds a worker has to exit after its stdin closes before it is killed.
EXIT_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class ReadArguments:
    """What ``read_article`` is given besides the page: equal arguments, equal reading."""

    url: str
    layouts: tuple[Layout, ...]
    discovered: datetime | None = None
    publishers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageReading:
    """An ``ArticlePage`` as it crosses processes: the chosen layout by its index."""

    article: ExtractedArticle
    layout_index: int | None
    day: date | None
    #: The pages the article's pager links to, from the page's own URL.
    links: dict[int, str]
    #: The encoding bytes that UTF-8 could not decode were read as (``decode_page``).
    fallback: str | None = None

    def page(self, source: DecodedPage | bytes, arguments: ReadArguments) -> ArticlePage:
        layout = None if self.layout_index is None else arguments.layouts[self.layout_index]
        return ArticlePage(
            self.article, layout, source, self.day, links={arguments.url: self.links}
        )


class PageReadFailed(Exception):
    """Reading the page raised in the worker (its type and message)."""


class WorkerDied(Exception):
    """A worker process ended, or could not be started, with pages still to read."""


def read_page(source: DecodedPage | bytes, arguments: ReadArguments) -> ArticlePage:
    """The page read as a spider reads it, the cyclic garbage collector paused meanwhile
    (a page's tree and fields are acyclic garbage; a collection pass would only walk them)."""
    with garbage_collection_paused():
        return read_article(
            source,
            arguments.url,
            arguments.layouts,
            discovered=arguments.discovered,
            publishers=arguments.publishers,
        )


def read_page_in_worker(body: bytes, arguments: ReadArguments) -> PageReading:
    """Run in a worker: the page read from its bytes, returned without its tree."""
    decoded = decode_page(body)
    page = read_page(decoded, arguments)
    index = next((i for i, layout in enumerate(arguments.layouts) if layout is page.layout), None)
    return PageReading(
        page.article, index, page.day, page.linked_pages(arguments.url), decoded.fallback
    )


def frame(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(payload).to_bytes(LENGTH_BYTES, "big") + payload


def page_message(body: bytes, arguments: ReadArguments) -> tuple[bytes, bytes]:
    """A page for a worker as two writes: the lengths and the pickled arguments, then the
    body itself, which is not copied into a pickle and out again (100 KB a page, twice)."""
    pickled = pickle.dumps(arguments, protocol=pickle.HIGHEST_PROTOCOL)
    lengths = len(pickled).to_bytes(LENGTH_BYTES, "big") + len(body).to_bytes(LENGTH_BYTES, "big")
    return lengths + pickled, body


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """The worker's loop: answer every page (``page_message``) with ``(True, PageReading)``
    or ``(False, "Type: message")``, until its input ends."""
    while lengths := requests.read(2 * LENGTH_BYTES):
        arguments_size = int.from_bytes(lengths[:LENGTH_BYTES], "big")
        body_size = int.from_bytes(lengths[LENGTH_BYTES:], "big")
        arguments = pickle.loads(requests.read(arguments_size))
        body = requests.read(body_size)
        try:
            answer: tuple[bool, object] = (True, read_page_in_worker(body, arguments))
        except Exception as error:  # the crawl's side raises it as PageReadFailed
            answer = (False, f"{type(error).__name__}: {error}")
        answers.write(frame(answer))
        answers.flush()


class PageReaderProcess(asyncio.SubprocessProtocol):
    """The crawl's end of one worker: pages out on its stdin, readings back in order."""

    def __init__(self) -> None:
        self.transport: asyncio.SubprocessTransport | None = None
        self.waiting: deque[asyncio.Future[PageReading]] = deque()
        self.received = bytearray()
        self.exited: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def read(self, body: bytes, arguments: ReadArguments) -> asyncio.Future[PageReading]:
        reading: asyncio.Future[PageReading] = asyncio.get_running_loop().create_future()
        if self.exited.done() or self.transport is None:
            reading.set_exception(WorkerDied("the page-reading worker has exited"))
            return reading
        self.waiting.append(reading)
        stdin = self.transport.get_pipe_transport(0)
        assert isinstance(stdin, asyncio.WriteTransport)
        for part in page_message(body, arguments):
            stdin.write(part)
        return reading

    def pipe_data_received(self, fd: int, data: bytes | str) -> None:
        self.received += data if isinstance(data, bytes) else data.encode()
        try:
            self.answer_readers()
        except Exception as error:  # an answer that does not unpickle: no later one can be trusted
            self.fail_waiting(f"the page-reading worker gave an unreadable answer ({error})")
            if self.transport is not None:
                self.transport.kill()

    def answer_readers(self) -> None:
        """Resolve the waiting readings, in order, with every whole answer received."""
        while len(self.received) >= LENGTH_BYTES:
            size = int.from_bytes(self.received[:LENGTH_BYTES], "big")
            if len(self.received) < LENGTH_BYTES + size:
                return
            ok, value = pickle.loads(self.received[LENGTH_BYTES : LENGTH_BYTES + size])
            del self.received[: LENGTH_BYTES + size]
            reading = self.waiting.popleft()
            if reading.done():  # its reader gave up waiting
                continue
            if ok:
                reading.set_result(value)
            else:
                reading.set_exception(PageReadFailed(value))

    def fail_waiting(self, reason: str) -> None:
        while self.waiting:
            reading = self.waiting.popleft()
            if not reading.done():
                reading.set_exception(WorkerDied(reason))

    def connection_lost(self, exc: Exception | None) -> None:
        """The worker has exited and its answers are all in (asyncio calls ``process_exited``
        sooner, perhaps before the last answers are read)."""
        status = self.transport.get_returncode() if self.transport else None
        self.fail_waiting(f"the page-reading worker exited with status {status}")
        if not self.exited.done():
            self.exited.set_result(status)

    async def close(self) -> None:
        """End its input, wait for it to exit (so it is reaped and its CPU time counted)."""
        if self.transport is None or self.exited.done():
            return
        stdin = self.transport.get_pipe_transport(0)
        if stdin is not None:
            stdin.close()
        try:
            await asyncio.wait_for(asyncio.shield(self.exited), EXIT_GRACE_SECONDS)
        except TimeoutError:
            self.transport.kill()
            await self.exited
        self.transport.close()


def widen_pipes(worker: PageReaderProcess) -> None:
    """Give the worker's pipes room for a whole page and its answer (Linux; elsewhere, and
    where ``/proc/sys/fs/pipe-max-size`` forbids it, they keep the system's size).

    A 64 KiB pipe takes a 100 KB page in two writes with a wake-up of the crawl's event loop
    between them, and answers in pieces: a 3,000-article bench crawl with one worker made
    32,583 passes of its event loop with Linux's default and 3,186-5,566 with 1 MiB pipes
    (798-819 in process), and spent 10-11 against 7.3-8.7 ms of CPU an article.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl else None
    if set_size is None or worker.transport is None:
        return
    for fd in (0, 1):
        pipe = worker.transport.get_pipe_transport(fd)
        if pipe is None:
            continue
        try:
            fcntl.fcntl(pipe.get_extra_info("pipe").fileno(), set_size, PIPE_BYTES)
        except OSError as error:
            logger.debug("the page-reading worker's pipe keeps its size: %s", error)


class PageReaders:
    """``processes`` worker processes reading pages, started at the first page; each page
    goes to the worker with the fewest pages waiting."""

    def __init__(self, processes: int) -> None:
        if processes < 1:
            raise ValueError(f"PageReaders needs at least one process, not {processes}")
        self.processes = processes
        self.workers: list[PageReaderProcess] = []
        self.started: asyncio.Future[None] | None = None

    async def read(self, body: bytes, arguments: ReadArguments) -> PageReading:
        if self.started is None:
            self.started = asyncio.ensure_future(self.start())
        await asyncio.shield(self.started)
        worker = min(self.workers, key=lambda worker: len(worker.waiting))
        return await worker.read(body, arguments)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(self.processes):
            try:
                _, worker = await loop.subprocess_exec(
                    PageReaderProcess,
                    sys.executable,
                    "-m",
                    __name__,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=None,  # a worker's warnings and tracebacks go where the crawl's do
                    # The crawl's import path: the project may be importable only through it
                    # (a Scrapyd egg put on sys.path by its runner).
                    env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))},
                )
            except OSError as error:
                raise WorkerDied(f"could not start a page-reading worker: {error}") from error
            widen_pipes(worker)
            self.workers.append(worker)
        logger.info("Started %d page-reading worker(s)", self.processes)

    async def close(self) -> None:
        """Stop the workers and wait for them."""
        if self.started is not None and not self.started.done():
            await asyncio.gather(self.started, return_exceptions=True)
        await asyncio.gather(*(worker.close() for worker in self.workers))
        self.workers = []


if __name__ == "__main__":
    # The module's own copy, not this __main__ one: readings unpickle as its classes.
    from crawler.extraction import workers

    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not break the answers' framing
    workers.serve(sys.stdin.buffer, answers)
