"""Suara Baru (suarabaru.id): Central Java online news on WordPress with a working REST API.

Facts from ../shared/research/outlets.md §15: the REST API answers for keyword search (seen
in public code), so the REST listing is the main source; permalinks are dated
(``/YYYY/MM/DD/<slug>``, no trailing slash in the examples). The dateline style is a guess.

outlet-evidence-2026-12.md §12 found nothing new; each fact is in ``Outlet.facts``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from crawler.extraction.layouts import Layout
from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.wordpress import WORDPRESS_THEME, WordPressSpider

ARTICLE_URL = re.compile(
    r"^https?://(?:www\.)?suarabaru\.id/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?(?:[?#].*)?$"
)
#: [guess] "SEMARANG (SUARABARU.ID) –"; not confirmed on a page.
DATELINE = r"^(?P<place>[A-Z][A-Z .'-]+?)\s*\(SUARABARU\.ID\)\s*[—–-]{1,2}"


class SuaraBaruSpider(WordPressSpider):
    name = "suarabaru"
    outlet = Outlet(
        name="Suara Baru",
        media_type="Jateng",
        domains=("suarabaru.id",),
        discovery=("wp-rest", "rss", "sitemap-index"),
        status="experimental",
        notes="WP REST API confirmed in public code; dateline and page template guessed "
        "(outlets.md §15)",
        facts=(
            Fact(
                "WordPress REST API /wp-json/wp/v2/posts answers",
                "seen-in-code",
                "outlets.md §15",
            ),
            Fact("URL /YYYY/MM/DD/<slug>", "seen-in-code", "outlets.md §15"),
            Fact("feed /feed/, sitemaps", "guessed", "outlets.md §15"),
            Fact(
                "dateline 'SEMARANG (SUARABARU.ID) –' and page template",
                "guessed",
                "outlets.md §15",
            ),
        ),
    )
    wp_root = "https://suarabaru.id"
    article_patterns = (ARTICLE_URL,)
    layouts = (Layout("suarabaru-wordpress", replace(WORDPRESS_THEME, dateline_pattern=DATELINE)),)
