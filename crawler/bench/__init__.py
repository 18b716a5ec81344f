"""Performance benchmark: our crawl next to a plain Scrapy crawl of the same pages, in one run.

``python -m crawler.bench`` (see ``crawler.bench.run``); the site it crawls is built by
``crawler.bench.site`` and served by ``crawler.bench.server``; ``python -m
crawler.bench.profile`` shows where a crawl's CPU goes.
"""
