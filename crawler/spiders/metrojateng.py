"""Metro Jateng (metrojateng.com): Central Java online news on WordPress.

Facts from ../shared/research/outlets.md §14: WordPress (``wp-content/uploads``), dated
permalinks ``/YYYY/MM/DD/<slug>/``. Discovery and page template are WordPress defaults
[guess]. Not to be confused with metrosemarang.com.
"""

from __future__ import annotations

import re

from crawler.outlets import Outlet
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
    )
    wp_root = "https://metrojateng.com"
    article_patterns = (ARTICLE_URL,)
