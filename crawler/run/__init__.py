"""A run of a spider, from its arguments to its verdict.

The spider arguments (declared once, checked before a crawl), the date window, the outcome
and exit status, the summary line and table, and the health report of ``scrapy outlet_health``.
"""
