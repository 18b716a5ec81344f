"""Expected network failures in one line, without a traceback.

A site that is down makes Scrapy's robots.txt middleware log an ERROR with a 60-line
traceback for what is an ordinary connection failure, and retries end in "Gave up retrying"
ERROR lines, although the spider's errback logs every failed request once with its reason
(``crawler/failed/<reason>``). Under cron these read like crashes and hide the one line that
matters. So the robots.txt failure becomes one INFO line ("its rules are not applied"), and
Scrapy's give-up line goes to DEBUG (``RETRY_GIVE_UP_LOG_LEVEL`` in ``crawler.settings``).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.crawler import Crawler

#: The logger of Scrapy's robots.txt middleware and the start of its download-error message.
ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
ROBOTS_ERROR_PREFIX = "Error downloading"


class RobotsFailureInOneLine(logging.Filter):
    """An INFO line without traceback instead of Scrapy's robots.txt download ERROR."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and str(record.msg).startswith(ROBOTS_ERROR_PREFIX):
            error = record.exc_info[1] if record.exc_info else None
            request = record.args.get("request") if isinstance(record.args, dict) else None
            site = urlsplit(getattr(request, "url", "")).netloc or "a site"
            record.msg = "robots.txt of %s could not be fetched (%s: %s): its rules are not applied"
            record.args = (site, type(error).__name__, error)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


ROBOTS_FILTER = RobotsFailureInOneLine()


class QuietLogsExtension:
    """Installs the filter on Scrapy's robots.txt logger (once per process)."""

    def __init__(self) -> None:
        robots_logger = logging.getLogger(ROBOTS_LOGGER)
        if ROBOTS_FILTER not in robots_logger.filters:
            robots_logger.addFilter(ROBOTS_FILTER)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietLogsExtension:
        return cls()
