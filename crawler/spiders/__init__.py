"""One spider per outlet; shared machinery lives in :mod:`crawler.spiders.base`."""
