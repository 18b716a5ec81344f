"""Any outlet without a spider of its own, configured on the command line.

``scrapy crawl generic -a feed=URL`` (or ``-a sitemap=URL``, or ``-a url=URL``) with
``-a outlet_name=...``, ``-a media_type=...`` and ``-a allow=<regex>``. Pages are read with
structured data (JSON-LD, meta) and the generic extractor only, so a user can follow a new
outlet without writing code; poor results from it are the sign an outlet needs its own spider.

``feed``, ``sitemap`` and ``url`` each take one URL or several separated by spaces. Without
``allow``, an article is any page on the sources' own sites whose path is not a known
non-article path (tags, categories, authors, static pages); with ``allow``, the regex decides
(searched in the whole URL) and other sites may be followed too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import scrapy

from crawler.outlets.entry import Outlet
from crawler.run.arguments import (
    COMMON_ARGUMENTS,
    SpiderArgument,
    check_regex,
    check_urls,
)
from crawler.spiders.base import NewsSpider
from crawler.utils.urls import canonicalize_url, registrable_domain

#: Path segments that mark listing and static pages on news sites, never articles.
NON_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "topik",
        "category",
        "kategori",
        "kanal",
        "author",
        "penulis",
        "page",
        "search",
        "cari",
        "feed",
        "wp-json",
        "wp-content",
    }
)
#: File types a feed or sitemap may list that are not article pages.
NON_ARTICLE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".pdf", ".mp4", ".xml")
DEFAULT_MEDIA_TYPE = "Jateng"
SOURCE_NEEDED = "the generic spider needs -a feed=URL, -a sitemap=URL or -a url=URL"


def url_list(value: str | None) -> tuple[str, ...]:
    """One or several space-separated URLs (a URL never holds a raw space)."""
    return tuple(value.split()) if value else ()


def site_of(url: str) -> str:
    return registrable_domain(urlsplit(url).hostname or "")


def looks_like_article_path(url: str) -> bool:
    """False for the home page, listing/static paths and media files."""
    path = urlsplit(url).path
    segments = [segment.lower() for segment in path.split("/") if segment]
    if not segments or path.lower().endswith(NON_ARTICLE_SUFFIXES):
        return False
    return not NON_ARTICLE_SEGMENTS.intersection(segments)


class GenericSpider(NewsSpider):
    name = "generic"
    outlet = Outlet(
        name="(per run: -a outlet_name)",
        media_type=DEFAULT_MEDIA_TYPE,
        domains=(),
        discovery=("news-sitemap", "sitemap-index", "rss"),
        status="experimental",
        notes=(
            "the generic spider, for any outlet without its own: -a feed=URL, -a sitemap=URL "
            "or -a url=URL, with -a outlet_name, -a media_type (default Jateng), -a allow=REGEX; "
            "structured data and the generic extractor only"
        ),
    )

    arguments = (
        *(argument for argument in COMMON_ARGUMENTS if argument.name != "url"),
        SpiderArgument(
            "feed", "RSS/Atom feed URL(s) of the outlet, space-separated", check_urls, "URL"
        ),
        SpiderArgument(
            "sitemap", "sitemap or sitemap index URL(s), space-separated", check_urls, "URL"
        ),
        SpiderArgument(
            "url", "article URL(s) to fetch, space-separated; no window", check_urls, "URL"
        ),
        SpiderArgument("outlet_name", "the outlet's name in the records (default: its site)"),
        SpiderArgument("media_type", f"media type in the records (default {DEFAULT_MEDIA_TYPE})"),
        SpiderArgument(
            "allow",
            "regex an article URL must contain (default: article paths of the site)",
            check_regex,
            "REGEX",
        ),
    )

    @classmethod
    def check_argument_values(cls, values: Mapping[str, str]) -> None:
        """One source at least: the generic spider knows no outlet of its own."""
        if not any(values.get(name) for name in ("feed", "sitemap", "url")):
            raise ValueError(SOURCE_NEEDED)

    def __init__(
        self,
        *args: Any,
        feed: str | None = None,
        sitemap: str | None = None,
        url: str | None = None,
        outlet_name: str | None = None,
        media_type: str | None = None,
        allow: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, url=url, **kwargs)
        self.article_urls = url_list(url)
        self.feed_urls = url_list(feed)
        self.sitemap_urls = url_list(sitemap)
        sources = (*self.feed_urls, *self.sitemap_urls, *self.article_urls)
        if not sources:
            raise ValueError(SOURCE_NEEDED)
        self.allow = re.compile(allow) if allow else None
        self.source_sites = tuple(dict.fromkeys(site_of(source) for source in sources))
        self.outlet = replace(
            type(self).outlet,
            name=outlet_name or self.source_sites[0],
            media_type=media_type or DEFAULT_MEDIA_TYPE,
            domains=self.source_sites,
        )
        # With an explicit pattern the user decides which sites count, so no offsite filter.
        self.allowed_domains = None if self.allow else list(self.source_sites)

    @property
    def outlet_key(self) -> str:
        """Per outlet, not per spider: ``generic:<outlet_name>``, else ``generic:<site>``, so
        two outlets crawled with this spider keep their own windows, runs and locks."""
        return f"{self.name}:{self.outlet.name}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not self.article_urls:
            async for request in super().start():
                yield request
            return
        self.logger.info("single pages, window not applied: %s", " ".join(self.article_urls))
        for article_url in self.article_urls:
            identity = self.article_identity(article_url)
            if identity in self.requested or self.already_delivered(article_url):
                continue
            self.requested.add(identity)
            yield self.article_request(article_url)

    def canonical_url(self, url: str, hint: str | None = None) -> str:
        """As the base, but an http URL stays http: any site may be one without https."""
        return canonicalize_url(url, canonical_hint=hint, keep_scheme=True)

    def is_article_url(self, url: str) -> bool:
        if urlsplit(url).scheme not in ("http", "https") or not looks_like_article_path(url):
            return False
        if self.allow is not None:
            return bool(self.allow.search(url))
        return site_of(url) in self.source_sites
