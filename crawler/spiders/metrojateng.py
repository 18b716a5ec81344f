"""Metro Jateng (metrojateng.com): Central Java online news on WordPress.

Facts from ../shared/research/outlets.md §14: WordPress (``wp-content/uploads``), dated
permalinks ``/YYYY/MM/DD/<slug>/``. Discovery and page template are WordPress defaults
[guess]. Not to be confused with metrosemarang.com.

outlet-evidence-2026-12.md §12 found nothing new; each fact is in ``Outlet.facts``.
"""

from __future__ import annotations

import re

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.wordpress import WordPressSpider

ARTICLE_URL = re.compile(
    r"^https?://(?:www\.)?metrojateng\.com/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/?(?:[?#].*)?$"
)


class MetroJatengSpider(WordPressSpider):
    name = "metrojateng"
    outlet = Outlet(
        name="Metro Jateng",
        media_type="Jateng",
        domains=("metrojateng.com",),
        discovery=("wp-rest", "rss", "sitemap-index"),
        status="experimental",
        notes="WordPress defaults, not yet seen live (outlets.md §14)",
        facts=(
            Fact("WordPress (wp-content/uploads)", "seen-in-code", "outlets.md §14"),
            Fact("URL /YYYY/MM/DD/<slug>/", "seen-in-code", "outlets.md §14"),
            Fact(
                "REST API /wp-json/wp/v2/posts, feed /feed/, sitemaps wp-sitemap.xml or "
                "sitemap_index.xml",
                "guessed",
                "outlets.md §14; evidence §12: nothing new",
            ),
            Fact("page template and dateline", "guessed", "outlets.md §14"),
        ),
    )
    wp_root = "https://metrojateng.com"
    article_patterns = (ARTICLE_URL,)
