"""WARC capture of fetched responses: one gzipped file per run and outlet.

The middleware sits closest to the downloader (order 950, past every built-in one), so it
sees each response exactly as the server sent it: redirects, error answers and every retry
attempt are recorded, and a compressed body stays compressed. What is written here is what
``crawler.archive.replay`` hands back to the other middlewares later.

Each fetch becomes a ``response`` record (the real outlet URL even when ``CRAWLER_HOST_MAP``
sent the connection elsewhere, WARC-Date = time of receipt) followed by its ``request``
record; a ``warcinfo`` record opens the file. Records are gzipped one by one and flushed, so
a killed run leaves a readable file.
"""

from __future__ import annotations

import http
import io
import logging
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Request, Response

from crawler import __version__
from crawler.archive import (
    ARTICLE_CALLBACK,
    CAPTURE_ALL,
    CAPTURE_ARTICLES,
    CAPTURE_MODES,
    REPLAYED_FLAG,
    require_warcio,
)
from crawler.downloader.host_map import parse_host_map

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: The HTTP client already undid the chunked framing, so the stored body is de-chunked; keeping
#: ``Transfer-Encoding: chunked`` would make WARC readers try to de-chunk it a second time.
FRAMING_HEADERS = frozenset({"transfer-encoding"})
#: Flags of responses that did not come from the network just now.
NOT_FETCHED_FLAGS = frozenset({"cached", REPLAYED_FLAG})
DEFAULT_FILE_TEMPLATE = "%(name)s/%(name)s-%(time)s.warc.gz"
DEFAULT_PROTOCOL = "HTTP/1.1"
#: The request line's version: the project's download handler speaks HTTP/1.1 whatever the
#: server answers with.
REQUEST_PROTOCOL = "HTTP/1.1"
WARC_FORMAT = "WARC File Format 1.0"
WARC_SPECIFICATION = (
    "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/"
)


def file_time(moment: datetime) -> str:
    """The ``%(time)s`` of a file name: UTC, like Scrapy's feed URIs, colons replaced."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace(":", "-")


def warc_date(moment: datetime) -> str:
    """WARC-Date text (WARC 1.0: UTC, second precision)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def header_pairs(headers: Headers, *, drop: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Scrapy headers as text pairs; a repeated header (Set-Cookie) stays one pair per value."""
    pairs = []
    for name, values in headers.items():
        text_name = name.decode("latin-1")
        if text_name.lower() in drop:
            continue
        pairs += [(text_name, value.decode("latin-1")) for value in values]
    return pairs


def status_line(status: int) -> str:
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def request_target(url: str) -> str:
    """The origin-form target of a request line: path and query."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def outlet_display_name(spider: scrapy.Spider) -> str:
    """The outlet's name from the registry entry of a news spider, else the spider name."""
    outlet = getattr(spider, "outlet", None)
    return getattr(outlet, "name", None) or spider.name


class WarcFile:
    """One WARC file, created with its warcinfo record on the first exchange written to it.

    A run that captures nothing (every article already delivered) leaves no file behind.
    """

    def __init__(self, path: Path, info: dict[str, str]) -> None:
        self.path = path
        self.info = info
        self.records = 0
        self._stream: Any = None
        self._writer: Any = None

    def _open(self) -> None:
        require_warcio()
        from warcio.warcwriter import WARCWriter

        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Append: two runs starting in the same second share a file instead of losing one.
        self._stream = self.path.open("ab")
        self._writer = WARCWriter(self._stream, gzip=True)
        self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, self.info))

    def write_exchange(
        self,
        request: Request,
        response: Response,
        fetched_at: datetime,
        ip_address: str | None = None,
    ) -> None:
        """Write a response record and the request record that asked for it."""
        from warcio.statusandheaders import StatusAndHeaders

        if self._writer is None:
            self._open()
        protocol = response.protocol or DEFAULT_PROTOCOL
        date = warc_date(fetched_at)
        response_fields = {"WARC-Date": date}
        if ip_address:
            response_fields["WARC-IP-Address"] = ip_address
        response_record = self._writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            length=len(response.body),
            http_headers=StatusAndHeaders(
                status_line(response.status),
                header_pairs(response.headers, drop=FRAMING_HEADERS),
                protocol=protocol,
            ),
            warc_headers_dict=response_fields,
        )
        request_headers = header_pairs(request.headers)
        if not any(name.lower() == "host" for name, _ in request_headers):
            request_headers.insert(0, ("Host", urlsplit(request.url).netloc))
        request_record = self._writer.create_warc_record(
            response.url,
            "request",
            payload=io.BytesIO(request.body),
            length=len(request.body),
            http_headers=StatusAndHeaders(
                f"{request.method} {request_target(request.url)} {REQUEST_PROTOCOL}",
                request_headers,
                is_http_request=True,
            ),
            warc_headers_dict={"WARC-Date": date},
        )
        self._writer.write_request_response_pair(request_record, response_record)
        self.records += 1

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = self._writer = None


class WarcCaptureMiddleware:
    """Downloader middleware writing fetched responses to ``CRAWLER_WARC_DIR``.

    Settings: ``CRAWLER_WARC_DIR`` (empty: off), ``CRAWLER_WARC_FILE`` (name template with
    ``%(name)s`` and ``%(time)s``), ``CRAWLER_WARC_CAPTURE`` (``articles`` or ``all``).
    Inactive while ``CRAWLER_WARC_REPLAY`` is set: replayed responses were fetched long ago.
    """

    def __init__(self, crawler: Crawler, warc_file: WarcFile, mode: str) -> None:
        self.crawler = crawler
        self.warc_file = warc_file
        self.mode = mode
        self.mapped_hosts = set(parse_host_map(crawler.settings.get("CRAWLER_HOST_MAP")))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        directory = settings.get("CRAWLER_WARC_DIR") or ""
        if not directory:
            raise NotConfigured
        if settings.getlist("CRAWLER_WARC_REPLAY"):
            logger.info("WARC capture is off while replaying an archive")
            raise NotConfigured
        mode = (settings.get("CRAWLER_WARC_CAPTURE") or CAPTURE_ARTICLES).strip().lower()
        if mode not in CAPTURE_MODES:
            raise ValueError(f"CRAWLER_WARC_CAPTURE must be one of {CAPTURE_MODES}, not {mode!r}")
        require_warcio()
        spider = crawler.spider
        started = datetime.now(UTC)
        template = settings.get("CRAWLER_WARC_FILE") or DEFAULT_FILE_TEMPLATE
        name = template % {"name": spider.name, "time": file_time(started)}
        path = Path(directory) / name
        info = {
            "software": (
                f"jateng-news-crawler/{__version__} "
                f"(Scrapy {scrapy.__version__}; warcio {package_version('warcio')})"
            ),
            "format": WARC_FORMAT,
            "conformsTo": WARC_SPECIFICATION,
            "outlet": spider.name,
            "outlet-name": outlet_display_name(spider),
            "capture": mode,
            "started": warc_date(started),
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT") or "",
            "operator": settings.get("CRAWLER_CONTACT") or "",
        }
        middleware = cls(crawler, WarcFile(path, info), mode)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        logger.info("capturing %s responses to %s", mode, path)
        return middleware

    def wants(self, request: Request, response: Response) -> bool:
        if NOT_FETCHED_FLAGS.intersection(response.flags):
            return False
        if self.mode == CAPTURE_ALL:
            return True
        article_callback = getattr(self.crawler.spider, ARTICLE_CALLBACK, None)
        return article_callback is not None and request.callback == article_callback

    def process_response(self, request: Request, response: Response) -> Response:
        if not self.wants(request, response):
            return response
        mapped = (urlsplit(response.url).hostname or "").lower() in self.mapped_hosts
        # A mapped host was answered by a local fixture server: its address proves nothing.
        ip_address = None if mapped or response.ip_address is None else str(response.ip_address)
        self.warc_file.write_exchange(request, response, datetime.now(UTC), ip_address)
        self.crawler.stats.inc_value("crawler/warc/captured")
        return response

    def spider_closed(self) -> None:
        self.warc_file.close()
        if self.warc_file.records:
            logger.info("%d responses captured in %s", self.warc_file.records, self.warc_file.path)
