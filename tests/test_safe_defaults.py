"""The settings a crawl starts with are polite and defensive, and every outlet spider stays on
its own domains."""

from __future__ import annotations

import pytest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.url import url_is_from_any_domain

from crawler import __version__
from crawler import settings as project
from crawler.downloader.user_agent import build_user_agent
from crawler.outlets.registry import project_settings, registered_outlets

SPIDERS = SpiderLoader.from_settings(project_settings())
OUTLET_SPIDERS = sorted(name for name in registered_outlets() if name != "generic")


def test_politeness_and_limits():
    assert project.ROBOTSTXT_OBEY is True
    assert project.AUTOTHROTTLE_ENABLED is True
    assert 1 <= project.CONCURRENT_REQUESTS_PER_DOMAIN <= 8
    assert 0 < project.DOWNLOAD_TIMEOUT <= 60
    assert 0 < project.DOWNLOAD_MAXSIZE <= 64 * 1024 * 1024
    assert 0 < project.RETRY_TIMES <= 5
    assert {429, 503} <= set(project.RETRY_HTTP_CODES)
    user_agent = build_user_agent(project_settings())
    assert user_agent.endswith(f"jateng-news-crawler/{__version__} (+{project.CRAWLER_CONTACT})")
    assert "crawler.downloader.user_agent.UserAgentAddon" in project.ADDONS


def test_hostile_web_guards_are_enabled():
    middlewares = project.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert middlewares["crawler.downloader.backoff.BackoffRetryMiddleware"] == 550
    assert (
        middlewares["scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware"]
        is None
    )
    assert middlewares["crawler.downloader.guards.BoundedDecompressionMiddleware"] == 590
    # Sees redirects before RedirectMiddleware (600) turns them into new requests.
    assert middlewares["crawler.downloader.guards.RedirectGuardMiddleware"] > 600
    assert "crawler.extensions.monitors.MonitorExtension" in project.EXTENSIONS


@pytest.mark.parametrize("name", OUTLET_SPIDERS)
def test_outlet_spider_allows_its_domains_and_only_requests_inside_them(name: str):
    spider = SPIDERS.load(name)
    allowed = list(getattr(spider, "allowed_domains", None) or ())
    assert allowed, f"{name} sets no allowed_domains"
    for domain in spider.outlet.domains:
        assert url_is_from_any_domain(f"https://{domain}/", allowed) or any(
            host.endswith("." + domain) or host == domain for host in allowed
        ), f"{name}: outlet domain {domain} not allowed"
    start_urls = [
        *spider.robots_urls,
        *spider.sitemap_urls,
        *spider.feed_urls,
        *spider.listing_urls,
    ]
    for url in start_urls:
        assert url_is_from_any_domain(url, allowed), f"{name}: {url} outside {allowed}"
