"""Performance benchmark: our crawl next to Scrapy's own ceiling and trafilatura, in one run.

``python -m crawler.bench`` (see ``crawler.bench.run``); the fixture site it crawls is built by
``crawler.bench.site`` and served by ``crawler.bench.server``.
"""
