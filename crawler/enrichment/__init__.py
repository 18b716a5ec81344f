"""Enrichers: add regions, parties and sentiment to articles (see ``CRAWLER_ENRICHERS``)."""
