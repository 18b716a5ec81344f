"""Live progress on a terminal: one line per running outlet, redrawn every few seconds.

Someone watching ``scrapy crawl`` or ``scrapy crawlall`` wants to see that outlets are moving
without reading the log. Under cron there is nobody to look and the redraw codes would
litter the log file, so the lines appear only when stderr is a terminal. Every crawler of the
process shares one board per stream; a log record about to be written to that stream first
erases the block, which comes back at the next redraw, so log lines and progress never mix.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any, ClassVar, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.run.summary import OutletSummary

try:
    from scrapy.utils.asyncio import create_looping_call
except ImportError:  # Scrapy < 2.14
    from twisted.internet.task import LoopingCall as create_looping_call

DEFAULT_INTERVAL = 3.0
FALLBACK_WIDTH = 100
#: ANSI sequences: cursor up N lines, then clear from the cursor to the end of the screen.
CURSOR_UP = "\x1b[{}A"
CLEAR_TO_END = "\x1b[J"


def progress_wanted(stream: TextIO, interval: float) -> bool:
    """Progress is drawn only for a person: a terminal, not a dumb one, and a positive interval."""
    if interval <= 0 or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def format_progress_line(summary: OutletSummary, elapsed: float, width: int) -> str:
    """``espos  found 11  new 10  delivered 9  dropped 1  errors 0  0:42``, cut to ``width``."""
    minutes, seconds = divmod(int(elapsed), 60)
    line = (
        f"{summary.outlet:<12} found {summary.found:>5}  new {summary.new:>5}  "
        f"delivered {summary.delivered:>5}  dropped {summary.dropped_total:>4}  "
        f"errors {summary.errors_total:>4}  {minutes}:{seconds:02d}"
    )
    return line[: max(width - 1, 1)]


class ProgressBoard:
    """The block of live lines on one terminal stream, shared by every crawler of the process."""

    _boards: ClassVar[dict[int, ProgressBoard]] = {}

    def __init__(self, stream: TextIO, interval: float) -> None:
        self.stream = stream
        self.interval = interval
        self.rows: dict[str, Callable[[int], str]] = {}
        self.drawn_lines = 0
        self.timer: Any = None
        self.log_filter = _EraseBeforeLog(self)

    @classmethod
    def for_stream(cls, stream: TextIO, interval: float) -> ProgressBoard:
        board = cls._boards.get(id(stream))
        if board is None:
            board = cls._boards[id(stream)] = cls(stream, interval)
        return board

    def add(self, name: str, render: Callable[[int], str]) -> None:
        self.rows[name] = render
        if self.timer is None:
            self._attach_log_filter()
            self.timer = create_looping_call(self.draw)
            self.timer.start(self.interval, now=True)
        else:
            self.draw()

    def remove(self, name: str) -> None:
        self.rows.pop(name, None)
        if self.rows:
            self.draw()
            return
        self.erase()
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        self.timer = None
        self._detach_log_filter()
        self._boards.pop(id(self.stream), None)

    def draw(self) -> None:
        width = self._width()
        lines = [render(width) for render in self.rows.values()]
        self.erase()
        if lines:
            self.stream.write("".join(line + "\n" for line in lines))
            self.stream.flush()
        self.drawn_lines = len(lines)

    def erase(self) -> None:
        if self.drawn_lines:
            self.stream.write(CURSOR_UP.format(self.drawn_lines) + "\r" + CLEAR_TO_END)
            self.stream.flush()
            self.drawn_lines = 0

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or FALLBACK_WIDTH
        except (AttributeError, ValueError, OSError):
            return FALLBACK_WIDTH

    def _handlers(self) -> list[logging.Handler]:
        return [
            handler
            for handler in logging.getLogger().handlers
            if getattr(handler, "stream", None) is self.stream
        ]

    def _attach_log_filter(self) -> None:
        for handler in self._handlers():
            if self.log_filter not in handler.filters:
                handler.addFilter(self.log_filter)

    def _detach_log_filter(self) -> None:
        for handler in self._handlers():
            handler.removeFilter(self.log_filter)


class _EraseBeforeLog(logging.Filter):
    """Lets every record through, erasing the progress block first so the record lands clean."""

    def __init__(self, board: ProgressBoard) -> None:
        super().__init__()
        self.board = board

    def filter(self, record: logging.LogRecord) -> bool:
        self.board.erase()
        return True


class ProgressExtension:
    """Put this crawler's outlet on the terminal's progress board while its spider runs."""

    def __init__(self, crawler: Crawler, stream: TextIO, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.name = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        interval = crawler.settings.getfloat("CRAWLER_PROGRESS_INTERVAL", DEFAULT_INTERVAL)
        if not progress_wanted(sys.stderr, interval):
            # No message: Scrapy would log it as a warning, on every run under cron.
            raise NotConfigured
        extension = cls(crawler, sys.stderr, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.name = self.crawler.spider.name if self.crawler.spider is not None else "?"
        ProgressBoard.for_stream(self.stream, self.interval).add(self.name, self.render)

    def spider_closed(self) -> None:
        ProgressBoard.for_stream(self.stream, self.interval).remove(self.name)

    def render(self, width: int) -> str:
        summary = OutletSummary.from_stats(self.name, self.crawler.stats.get_stats(), live=True)
        return format_progress_line(summary, time.monotonic() - self.started, width)
