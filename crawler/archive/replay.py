"""Replay of WARC archives: the crawl reads responses from the archive, never the network.

Use it to re-extract old crawls after a parser fix, or to run the spiders offline.
``CRAWLER_WARC_REPLAY`` names WARC files, directories holding them, or glob patterns
(``%(name)s`` is the spider name, so one setting serves ``crawlall``). The files are indexed
by URL when the crawl starts; for a URL archived more than once the newest fetch wins.

The middleware sits closest to the downloader and answers every request itself (bar local
``data:`` and ``file:`` ones), so none reaches a network download handler. An archived URL
gets its archived status, headers and body (the other middlewares then follow redirects, retry
and decompress as they did live); a URL not in the archive gets a 404, counted as
``crawler/failed/replay_missing``.
A missing ``robots.txt`` is not a failure: ROBOTSTXT_OBEY reads a 404 as "no rules".

A full replay needs an archive captured with ``CRAWLER_WARC_CAPTURE=all`` (discovery pages
too); an ``articles`` archive replays single articles given with ``-a url=...``.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url

from crawler.archive import REPLAYED_FLAG, WARC_SUFFIXES, require_warcio

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Schemes whose handlers read local data: the only requests replay lets through.
LOCAL_SCHEMES = ("data:", "file:")
ROBOTS_PATH = "/robots.txt"
MISSING_STATUS = 404
MISSING_REASON = "replay_missing"
GLOB_CHARACTERS = frozenset("*?[")
READ_CHUNK = 64 * 1024


def url_key(url: str) -> str:
    """The index key of a URL: canonical form (sorted query, no fragment), as Scrapy's
    request fingerprints see it, so a request finds its record despite cosmetic differences."""
    return canonicalize_url(url, keep_fragments=False)


def archive_files(patterns: Iterable[str], spider_name: str) -> list[Path]:
    """Expand ``CRAWLER_WARC_REPLAY`` entries into WARC files, in the order given.

    A directory stands for the WARC files below it, sorted by path (file names carrying the run
    time sort chronologically). An entry that matches nothing is an error: a replay must never
    quietly turn into an empty crawl.
    """
    files: list[Path] = []
    for pattern in patterns:
        text = pattern % {"name": spider_name} if "%(" in pattern else pattern
        path = Path(text).expanduser()
        if GLOB_CHARACTERS.intersection(text):
            matches = [Path(match) for match in sorted(glob.glob(str(path), recursive=True))]
        elif path.is_dir():
            matches = sorted(p for p in path.rglob("*") if p.name.endswith(WARC_SUFFIXES))
        else:
            matches = [path] if path.is_file() else []
        if not matches:
            raise FileNotFoundError(f"CRAWLER_WARC_REPLAY: no WARC file at {text!r}")
        files += [match for match in matches if match not in files]
    return files


@dataclass(frozen=True)
class RecordLocation:
    """Where a response record starts, and how recent it is (fetch time, then read order)."""

    path: Path
    offset: int
    fetched_at: datetime
    sequence: int

    @property
    def recency(self) -> tuple[datetime, int]:
        return (self.fetched_at, self.sequence)


@dataclass(frozen=True)
class ArchivedResponse:
    """A response as the archive holds it: the body exactly as it was received."""

    url: str
    status: int
    protocol: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime

    def to_response(self, request: Request) -> Response:
        headers = Headers()
        for name, value in self.headers:
            headers.appendlist(name, value)
        response_class = responsetypes.from_args(headers=headers, url=request.url, body=self.body)
        return response_class(
            url=request.url,
            status=self.status,
            headers=headers,
            body=self.body,
            flags=[REPLAYED_FLAG],
            request=request,
            protocol=self.protocol or None,
        )


def payload_is_complete(payload: Any) -> bool:
    """Read a record payload to its end; False when the file ends before its declared length."""
    while payload.read(READ_CHUNK):
        pass
    return getattr(payload, "limit", 0) == 0


class ArchiveIndex:
    """The newest response record of every URL in a set of WARC files."""

    def __init__(self) -> None:
        self.locations: dict[str, RecordLocation] = {}
        self.files: list[Path] = []
        self._sequence = 0

    @classmethod
    def from_files(cls, paths: Sequence[Path]) -> ArchiveIndex:
        index = cls()
        for path in paths:
            index.add_file(path)
        return index

    def __len__(self) -> int:
        return len(self.locations)

    def __contains__(self, url: str) -> bool:
        return url_key(url) in self.locations

    def add_file(self, path: Path) -> None:
        require_warcio()
        from warcio.archiveiterator import ArchiveIterator
        from warcio.timeutils import iso_date_to_datetime

        self.files.append(path)
        indexed = 0
        with path.open("rb") as stream:
            records = ArchiveIterator(stream)
            try:
                for record in records:
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    date = record.rec_headers.get_header("WARC-Date")
                    if record.rec_type != "response" or not (url and date and record.http_headers):
                        continue
                    offset = records.get_record_offset()
                    if not payload_is_complete(record.raw_stream):
                        raise EOFError(f"response record of {url} is cut short")
                    self._sequence += 1
                    indexed += 1
                    location = RecordLocation(
                        path, offset, iso_date_to_datetime(date, tz_aware=True), self._sequence
                    )
                    known = self.locations.get(url_key(url))
                    if known is None or location.recency > known.recency:
                        self.locations[url_key(url)] = location
            except Exception as exc:  # warcio raises assorted error types on a broken record
                # A run killed mid-write leaves a damaged tail; the records before it still count.
                logger.warning("%s is damaged after %d responses: %r", path, indexed, exc)

    def get(self, url: str) -> ArchivedResponse | None:
        location = self.locations.get(url_key(url))
        if location is None:
            return None
        from warcio.archiveiterator import ArchiveIterator

        with location.path.open("rb") as stream:
            stream.seek(location.offset)
            record = next(iter(ArchiveIterator(stream)))
            body = record.raw_stream.read()
        http_headers = record.http_headers
        return ArchivedResponse(
            url=record.rec_headers.get_header("WARC-Target-URI"),
            status=int(http_headers.get_statuscode()),
            protocol=http_headers.protocol,
            headers=tuple(http_headers.headers),
            body=body,
            fetched_at=location.fetched_at,
        )


class WarcReplayMiddleware:
    """Downloader middleware answering every network request from ``CRAWLER_WARC_REPLAY``."""

    def __init__(self, crawler: Crawler, index: ArchiveIndex) -> None:
        self.crawler = crawler
        self.index = index

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcReplayMiddleware:
        patterns = crawler.settings.getlist("CRAWLER_WARC_REPLAY")
        if not patterns:
            raise NotConfigured
        files = archive_files(patterns, crawler.spider.name)
        index = ArchiveIndex.from_files(files)
        logger.info("replaying %d archived URLs from %d WARC files", len(index), len(files))
        return cls(crawler, index)

    def process_request(self, request: Request) -> Response | None:
        if request.url.startswith(LOCAL_SCHEMES):
            return None
        archived = self.index.get(request.url)
        stats = self.crawler.stats
        if archived is not None:
            stats.inc_value("crawler/warc/replayed")
            return archived.to_response(request)
        if urlsplit(request.url).path == ROBOTS_PATH:
            logger.debug("no archived robots.txt for %s: replayed as 404", request.url)
        else:
            stats.inc_value(f"crawler/failed/{MISSING_REASON}")
            logger.warning("%s: %s (not in the archive)", MISSING_REASON, request.url)
        return Response(request.url, status=MISSING_STATUS, flags=[REPLAYED_FLAG], request=request)
