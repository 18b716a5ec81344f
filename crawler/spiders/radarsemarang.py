"""Radar Semarang (radarsemarang.jawapos.com): Semarang's Jawa Pos radar.

Facts (../shared/research/outlet-evidence-2026-12.md §3, outlets.md §5; the platforms are the
network's, see :mod:`crawler.spiders.jawapos_radar`):

* Host ``radarsemarang.jawapos.com`` [code].
* On the 2026 app by about May 2026: a scraper of that time keeps only ids of 10+ digits
  [guess: inferred from that filter] and renders pages in a browser [code]; earlier pages are
  ProMedia's (9-digit ids) [guess: the network's].
* Dates ``Kamis, 28 Mei 2026 | 14:09 WIB`` [code]; dateline ``RADARSEMARANG.ID, <Kota> –``
  [code]; the story ends before "Editor :", "Bagikan:", "Artikel Terkait"... [code].
* The dated index ``/indeks-berita?daterange=...`` [guess: sibling radars' code].
"""

from __future__ import annotations

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.jawapos_radar import JawaPosRadarSpider, article_url

HOST = "radarsemarang.jawapos.com"
SOURCE = "outlet-evidence-2026-12.md §3"


class RadarSemarangSpider(JawaPosRadarSpider):
    name = "radarsemarang"
    outlet = Outlet(
        name="Radar Semarang",
        media_type="Jateng",
        domains=(HOST,),
        discovery=("listing",),
        status="experimental",
        needs_browser=True,
        home_region="33.74",
        notes=(
            "Jawa Pos radar (outlet-evidence-2026-12.md §3): the 2026 app's embedded JSON "
            "(data-page, __NEXT_DATA__) and ProMedia read__ pages; dated indeks-berita per "
            "window; JavaScript-only pages rendered with the browser extra"
        ),
        facts=(
            Fact("host radarsemarang.jawapos.com", "seen-in-code", "outlets.md §5"),
            Fact("article URL /<category>/<9-10 digit id>/<slug>", "seen-in-code", SOURCE),
            Fact("on the 2026 app (10-digit YYMMDD ids) by May 2026", "guessed", SOURCE),
            Fact("app JSON in div[data-page] on radar pages", "seen-in-code", SOURCE),
            Fact("article object inside data-page", "guessed", f"{SOURCE}: key unknown"),
            Fact("pages need a browser to render", "seen-in-code", "outlets.md §5"),
            Fact("index /indeks-berita?daterange=...&page=N", "guessed", f"{SOURCE}: siblings"),
            Fact("date 'Kamis, 28 Mei 2026 | 14:09 WIB'", "seen-in-code", "outlets.md §5"),
            Fact("dateline 'RADARSEMARANG.ID, <Kota> –'", "seen-in-code", SOURCE),
            Fact("story ends at 'Editor :', 'Bagikan:'...", "seen-in-code", "outlets.md §5"),
            Fact("Cloudflare challenge for plain clients", "seen-in-code", f"{SOURCE}: sibling"),
            Fact("no RSS feed", "seen-in-code", f"{SOURCE}: none in any code"),
        ),
    )
    listing_urls = (f"https://{HOST}/",)
    article_patterns = (article_url(HOST),)
