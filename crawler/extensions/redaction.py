"""Keep credentials out of the log: mask secret setting values wherever a line would show them.

Credentials come from the environment or settings (``AWS_ACCESS_KEY_ID`` ...), and Scrapy
prints every overridden setting at start-up ("Overridden settings"), feed URIs when storing
("Stored ... in: s3://KEY:SECRET@bucket/..."), and exception text on failures. This
extension collects the secret values of the crawl and installs one logging filter that
replaces them by ``***`` in messages and tracebacks. Passwords of Redis URLs
(``CRAWLER_REDIS_URL``, ``REDIS_URL``), of any ``scheme://user:password@`` URL and AWS access
key ids are masked by their shape too, and string values in the stats are masked at close.
It is built with the other extensions, before Scrapy logs the overridden settings, and
re-attached when the spider opens in case the log handlers were replaced (several crawlers
in one process).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, MutableMapping
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

MASK = "***"
#: Settings (and environment variables of the same name) whose values are secret.
SECRET_SETTINGS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
#: Settings (and environment variables) holding URLs whose ``user:password@`` part is secret.
SECRET_URL_SETTINGS = ("CRAWLER_REDIS_URL", "REDIS_URL")
#: Secrets recognised by their shape even when no setting named them: the password of any
#: ``scheme://user:password@`` URL (``redis://:pw@host``) and AWS access key ids.
SECRET_PATTERNS = (
    re.compile(r"(?<=[a-z0-9+.-]://)(?:[^\s/@:]*):([^\s/@]+)(?=@)", re.IGNORECASE),
    re.compile(r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b"),
)
#: Shorter values are not masked: they would mask ordinary words and numbers.
MIN_SECRET_LENGTH = 4
#: Loggers that print settings or feed URIs; filtered even if their records bypass handlers.
SENSITIVE_LOGGERS = ("scrapy.crawler", "scrapy.extensions.feedexport", "scrapy.statscollectors")


class SecretMaskingFilter(logging.Filter):
    """Replace known secret strings in a record's message and traceback by ``***``."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def add(self, secrets: Iterable[str]) -> None:
        self.secrets.update(s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH)

    def mask(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        for pattern in SECRET_PATTERNS:
            text = pattern.sub(_mask_group, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        return True


def _mask_group(match: re.Match[str]) -> str:
    """The match with its secret group (the password, the key) replaced by ``MASK``."""
    start, end = match.span(1)
    offset = match.start()
    text = match.group(0)
    return text[: start - offset] + MASK + text[end - offset :]


def mask_stats(stats: MutableMapping[str, Any], masking: SecretMaskingFilter) -> None:
    """Mask secrets in string stats values (error texts may quote a URL with its password)."""
    for key, value in list(stats.items()):
        if isinstance(value, str):
            stats[key] = masking.mask(value)
        elif isinstance(value, list | tuple) and any(isinstance(v, str) for v in value):
            stats[key] = [masking.mask(v) if isinstance(v, str) else v for v in value]


#: One filter per process, shared by every crawler.
MASKING_FILTER = SecretMaskingFilter()


def secrets_in(settings: BaseSettings) -> set[str]:
    """Secret values from settings, the environment and user:password parts of feed URIs."""
    found = {str(settings.get(name) or "") for name in SECRET_SETTINGS}
    found |= {os.environ.get(name, "") for name in SECRET_SETTINGS}
    urls = [str(uri) for uri in settings.getdict("FEEDS")]
    urls += [str(settings.get(name) or "") for name in SECRET_URL_SETTINGS]
    urls += [os.environ.get(name, "") for name in SECRET_URL_SETTINGS]
    for uri in urls:
        parts = urlsplit(uri)
        for part in (parts.username, parts.password):
            if part:
                found |= {part, unquote(part)}
    return found


def attach(masking: SecretMaskingFilter) -> None:
    """Put the filter on every root handler and on the loggers that print settings."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(masking)
    for name in SENSITIVE_LOGGERS:
        logging.getLogger(name).addFilter(masking)


class SecretMaskingExtension:
    """Install ``MASKING_FILTER`` with the crawl's secrets; mask the stats before their dump."""

    def __init__(self, settings: BaseSettings, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        MASKING_FILTER.add(secrets_in(settings))
        attach(MASKING_FILTER)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SecretMaskingExtension:
        extension = cls(crawler.settings, crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        attach(MASKING_FILTER)

    def spider_closed(self) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            mask_stats(self.crawler.stats.get_stats(), MASKING_FILTER)
