"""jatengprov.go.id: news of the Central Java provincial government (Pemprov Jateng).

Facts from ../shared/research/outlets.md §11: WordPress; two news streams, ``/publik/<slug>/``
(provincial news) and ``/beritadaerah/<slug>/`` ("Berita Daerah", kab/kota news), read here as
the two categories of a ``/%category%/%postname%/`` permalink [guess]: the REST listing holds
every post and only links in the two streams are articles. Agency subdomains
(``dinkes.jatengprov.go.id``, ``disnakertrans.jatengprov.go.id/publik/...``) are separate
sites and never match. Feeds per stream and the dateline ``SEMARANG –`` follow the research
notes ([guess] for the feeds).

outlet-evidence-2026-12.md §12 found nothing new; each fact is in ``Outlet.facts``.
"""

from __future__ import annotations

import re

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.wordpress import WordPressSpider

#: Group 1 is "<stream>/<slug>": the same slug in both streams would be two articles.
ARTICLE_URL = re.compile(
    r"^https?://(?:www\.)?jatengprov\.go\.id/((?:publik|beritadaerah)/"
    r"(?!(?:page|feed|amp|embed)/?(?:[?#]|$))[a-z0-9-]+)/?(?:[?#].*)?$"
)


class JatengProvSpider(WordPressSpider):
    name = "jatengprov"
    outlet = Outlet(
        name="Jatengprov.go.id",
        media_type="Jateng",
        domains=("jatengprov.go.id",),
        discovery=("wp-rest", "rss", "sitemap-index"),
        status="experimental",
        notes="streams /publik/ and /beritadaerah/ only; agency subdomains excluded; feeds "
        "and REST expected, not yet seen live (outlets.md §11)",
        facts=(
            Fact("WordPress (wp-content/uploads)", "seen-in-code", "outlets.md §11"),
            Fact(
                "streams /publik/<slug>/ and /beritadaerah/<slug>/",
                "seen-in-code",
                "outlets.md §11",
            ),
            Fact("stream feeds /publik/feed/, /beritadaerah/feed/", "guessed", "outlets.md §11"),
            Fact(
                "REST API /wp-json/wp/v2/posts, feed /feed/, sitemaps wp-sitemap.xml or "
                "sitemap_index.xml",
                "guessed",
                "outlets.md §11; evidence §12: nothing new",
            ),
            Fact("page template and dateline", "guessed", "outlets.md §11"),
        ),
    )
    wp_root = "https://jatengprov.go.id"
    wp_feed_paths = ("/publik/feed/", "/beritadaerah/feed/")
    article_patterns = (ARTICLE_URL,)
