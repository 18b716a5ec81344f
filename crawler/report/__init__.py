"""The analyst's daily report: one self-contained HTML page from the delivered JSON Lines.

``scrapy report`` and ``python -m crawler.report`` (crawler.report.cli) read the feeds
(sources), keep the records of the report's days (dataset, records, days), count them per
kab/kota, outlet, day and party and group stories (summary, stories), and draw the page
(charts, tiles, labels, page). ``state`` remembers what the previous report saw.
"""
