"""Halo Semarang (halosemarang.id): Semarang online news on WordPress.

Facts from ../shared/research/outlets.md §13: WordPress (``wp-content/uploads``), articles
at a root slug (one example, seen inside a search-engine redirect). Discovery and page
template are WordPress defaults [guess]. A root slug cannot tell an article from a static
page, so the post-only sitemaps and the static-page slug table of the WordPress base matter
here.

outlet-evidence-2026-12.md §12 found nothing new; each fact is in ``Outlet.facts``.
"""

from __future__ import annotations

import re

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.wordpress import WordPressSpider

#: [guess] at least 15 characters, as in the one example; group 1 is the slug.
ARTICLE_URL = re.compile(r"^https?://(?:www\.)?halosemarang\.id/([a-z0-9-]{15,})/?(?:[?#].*)?$")


class HaloSemarangSpider(WordPressSpider):
    name = "halosemarang"
    outlet = Outlet(
        name="Halo Semarang",
        media_type="Jateng",
        domains=("halosemarang.id",),
        discovery=("wp-rest", "rss", "sitemap-index"),
        status="experimental",
        home_region="33.74",
        notes="WordPress defaults, not yet seen live; covers the wider province (outlets.md §13)",
        facts=(
            Fact("WordPress (wp-content/uploads)", "seen-in-code", "outlets.md §13"),
            Fact(
                "URL /<slug> (one example, inside a search-engine redirect)",
                "seen-in-code",
                "outlets.md §13",
            ),
            Fact(
                "REST API /wp-json/wp/v2/posts, feed /feed/, sitemaps wp-sitemap.xml or "
                "sitemap_index.xml",
                "guessed",
                "outlets.md §13; evidence §12: nothing new",
            ),
            Fact("page template and dateline", "guessed", "outlets.md §13"),
        ),
    )
    wp_root = "https://halosemarang.id"
    article_patterns = (ARTICLE_URL,)
