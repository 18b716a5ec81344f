"""Scrapy extensions of the crawler, enabled in ``EXTENSIONS`` (see crawler.settings)."""
