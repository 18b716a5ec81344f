"""Keep credentials out of the log: mask secret setting values wherever a line would show them.

Credentials come from the environment or settings (``AWS_ACCESS_KEY_ID`` ...), and Scrapy
prints every overridden setting at start-up ("Overridden settings"), feed URIs when storing
("Stored ... in: s3://KEY:SECRET@bucket/..."), and exception text on failures. This
extension collects the secret values of the crawl and installs one logging filter that
replaces them by ``***`` in messages and tracebacks. It is built with the other extensions,
before Scrapy logs the overridden settings, and re-attached when the spider opens in case
the log handlers were replaced (several crawlers in one process).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

MASK = "***"
#: Settings (and environment variables of the same name) whose values are secret.
SECRET_SETTINGS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
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
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        return True


#: One filter per process, shared by every crawler.
MASKING_FILTER = SecretMaskingFilter()


def secrets_in(settings: BaseSettings) -> set[str]:
    """Secret values from settings, the environment and user:password parts of feed URIs."""
    found = {str(settings.get(name) or "") for name in SECRET_SETTINGS}
    found |= {os.environ.get(name, "") for name in SECRET_SETTINGS}
    for uri in settings.getdict("FEEDS"):
        parts = urlsplit(str(uri))
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
    """Install ``MASKING_FILTER`` with the crawl's secrets."""

    def __init__(self, settings: BaseSettings) -> None:
        MASKING_FILTER.add(secrets_in(settings))
        attach(MASKING_FILTER)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SecretMaskingExtension:
        extension = cls(crawler.settings)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self) -> None:
        attach(MASKING_FILTER)
