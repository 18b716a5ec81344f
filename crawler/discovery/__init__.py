"""Discovery sources: sitemaps, robots.txt sitemap lines and feeds, all parsed safely."""

from crawler.discovery.feeds import FeedEntry, parse_feed
from crawler.discovery.sitemaps import (
    Sitemap,
    SitemapEntry,
    parse_sitemap,
    sitemap_urls_from_robots,
)
from crawler.discovery.xml import UnsafeOrInvalidXML, parse_xml_safely

__all__ = [
    "FeedEntry",
    "Sitemap",
    "SitemapEntry",
    "UnsafeOrInvalidXML",
    "parse_feed",
    "parse_sitemap",
    "parse_xml_safely",
    "sitemap_urls_from_robots",
]
