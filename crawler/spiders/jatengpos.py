"""Jateng Pos (jatengpos.co.id): Semarang daily's news site on WordPress.

Facts from ../shared/research/outlets.md §6: WordPress (``wp-content/uploads``); two
permalink shapes seen: ``/<slug>/<author-login>/`` (2024) and
``/<category>/YYYY/MM/DD/<slug>/`` (2026). The slug is the identity in both, so a post
whose old link redirects to the new shape is one article. Discovery and page template are
WordPress defaults [guess]; the dateline ``JATENGPOS.CO.ID, SEMARANG –`` is a guess that
the generic dateline reader covers.

outlet-evidence-2026-12.md §12 found nothing new; each fact is in ``Outlet.facts``.
"""

from __future__ import annotations

import re

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.wordpress import WordPressSpider

#: 2026 shape; group 1 is the slug.
DATED_URL = re.compile(
    r"^https?://(?:www\.)?jatengpos\.co\.id/[a-z0-9-]+/\d{4}/\d{2}/\d{2}/([a-z0-9-]+)/?"
    r"(?:[?#].*)?$"
)
#: 2024 shape; the long slug keeps category and tag URLs out; group 1 is the slug.
AUTHOR_SUFFIX_URL = re.compile(
    r"^https?://(?:www\.)?jatengpos\.co\.id/(?!(?:category|tag|author|page)/)([a-z0-9-]{20,})/"
    r"(?!(?:amp|feed|embed|page)/?(?:[?#]|$))[a-z0-9]+/?(?:[?#].*)?$"
)


class JatengPosSpider(WordPressSpider):
    name = "jatengpos"
    outlet = Outlet(
        name="Jateng Pos",
        media_type="Jateng",
        domains=("jatengpos.co.id",),
        discovery=("wp-rest", "rss", "sitemap-index"),
        status="experimental",
        home_region="33.74",
        notes="WordPress defaults, not yet seen live; two permalink shapes (outlets.md §6)",
        facts=(
            Fact("WordPress (wp-content/uploads)", "seen-in-code", "outlets.md §6"),
            Fact(
                "URLs /<slug>/<author-login>/ (2024) and /<category>/YYYY/MM/DD/<slug>/ (2026)",
                "seen-in-code",
                "outlets.md §6",
            ),
            Fact(
                "REST API /wp-json/wp/v2/posts, feed /feed/, sitemaps wp-sitemap.xml or "
                "sitemap_index.xml",
                "guessed",
                "outlets.md §6; evidence §12: nothing new",
            ),
            Fact("page template and dateline", "guessed", "outlets.md §6"),
        ),
    )
    wp_root = "https://jatengpos.co.id"
    article_patterns = (DATED_URL, AUTHOR_SUFFIX_URL)
