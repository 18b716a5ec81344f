"""Radar Tegal (radartegal.disway.id): Tegal, Brebes and Pemalang news on the Disway network.

Facts (../shared/research/outlet-evidence-2026-12.md §1; the template is the network's, see
:mod:`crawler.spiders.disway`):

* Host ``radartegal.disway.id`` [code]; no public code uses ``radartegal.jawapos.com``.
* Article URLs ``/<kategori>/read/<6-digit id>/<slug>``, e.g. ``/lokal/read/723237/...``
  [page: 92 scraped rows, 2026-02/03].
* Listing ``/kategori/lokal``, 30 cards a page, offsets ``/30``, ``/60`` [code]; the home page's
  ``h2.media-heading`` cards [code].
* Feed ``/rss`` [guess: the Disway sibling radarcirebon.disway.id has one].
* Dates ``Kamis 05-03-2026,06:50 WIB``; datelines ``PEMALANG, radartegal.com -``, ``SLAWI,
  radartegal.com –``, ``TEGAL, radartegal.com –`` [page].
"""

from __future__ import annotations

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.disway import DiswaySpider, article_url

HOST = "radartegal.disway.id"
SOURCE = "outlet-evidence-2026-12.md §1"


class RadarTegalSpider(DiswaySpider):
    name = "radartegal"
    outlet = Outlet(
        name="Radar Tegal",
        media_type="Jateng",
        domains=(HOST,),
        discovery=("rss", "listing"),
        status="experimental",
        home_region="33.76",
        notes=(
            "Disway network (outlet-evidence-2026-12.md §1); /kategori/lokal and home page "
            "cards, CodeIgniter pager for listings and paged stories; /rss guessed"
        ),
        facts=(
            Fact("host radartegal.disway.id, not jawapos.com", "seen-in-code", SOURCE),
            Fact("article URL /<kategori>/read/<id>/<slug>", "seen-in-saved-page", SOURCE),
            Fact("listing /kategori/lokal paged by offset /30, /60", "seen-in-code", SOURCE),
            Fact("cards h2.media-heading a (home and listings)", "seen-in-code", SOURCE),
            Fact("feed /rss", "guessed", f"{SOURCE}: sibling radarcirebon.disway.id/rss"),
            Fact("story div.post.text-black-1 p, title div.post h1", "seen-in-code", SOURCE),
            Fact("date span.date as 'Kamis 05-03-2026,06:50 WIB'", "seen-in-saved-page", SOURCE),
            Fact("tags ul.list-inline a[href*='/listtag/']", "seen-in-code", SOURCE),
            Fact("pages ul.pagination a[data-ci-pagination-page]", "seen-in-code", SOURCE),
            Fact("dateline 'PEMALANG, radartegal.com - '", "seen-in-saved-page", SOURCE),
            Fact("photo caption opens the story, on every page", "seen-in-saved-page", SOURCE),
            Fact("ids grow with publication time", "seen-in-saved-page", SOURCE),
            Fact("plain requests work (no challenge, no JavaScript)", "seen-in-code", SOURCE),
        ),
    )
    feed_urls = (f"https://{HOST}/rss",)
    listing_urls = (f"https://{HOST}/", f"https://{HOST}/kategori/lokal")
    article_patterns = (article_url(HOST),)
