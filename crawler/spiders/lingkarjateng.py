"""Lingkar Jateng (lingkarjateng.id, formerly lingkarjateng.com): Central Java news on WordPress.

Facts from ../shared/research/outlets.md §10: the site moved from lingkarjateng.com (2020)
to lingkarjateng.id (2023); articles at a root slug (one example). The slug is the article's
identity on both domains, so an old ``.com`` link and the ``.id`` page are one article.
Discovery and page template are WordPress defaults [guess].

outlet-evidence-2026-12.md §12 found nothing new; each fact is in ``Outlet.facts``.
"""

from __future__ import annotations

import re

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.wordpress import WordPressSpider

#: [guess] at least 15 characters, as in the one example; group 1 is the slug.
ARTICLE_URL = re.compile(
    r"^https?://(?:www\.)?lingkarjateng\.(?:id|com)/([a-z0-9-]{15,})/?(?:[?#].*)?$"
)


class LingkarJatengSpider(WordPressSpider):
    name = "lingkarjateng"
    outlet = Outlet(
        name="Lingkar Jateng",
        media_type="Jateng",
        domains=("lingkarjateng.id", "lingkarjateng.com"),
        discovery=("wp-rest", "rss", "sitemap-index"),
        status="experimental",
        notes="WordPress defaults, not yet seen live; .com is the pre-2023 domain (outlets.md §10)",
        facts=(
            Fact("WordPress (wp-content/uploads)", "seen-in-code", "outlets.md §10"),
            Fact(
                "URL /<slug>/ (one example); .com before 2023, .id after",
                "seen-in-code",
                "outlets.md §10",
            ),
            Fact(
                "REST API /wp-json/wp/v2/posts, feed /feed/, sitemaps wp-sitemap.xml or "
                "sitemap_index.xml",
                "guessed",
                "outlets.md §10; evidence §12: nothing new",
            ),
            Fact("page template and dateline", "guessed", "outlets.md §10"),
        ),
    )
    wp_root = "https://lingkarjateng.id"
    article_patterns = (ARTICLE_URL,)
