"""Radar Kudus (radarkudus.jawapos.com): the Jawa Pos radar of Kudus, Pati, Jepara and around.

Facts (../shared/research/outlet-evidence-2026-12.md §3; the platforms are the network's, see
:mod:`crawler.spiders.jawapos_radar`):

* Host ``radarkudus.jawapos.com`` [code: an article URL with a ProMedia id].
* ProMedia ids ``69…`` (9 digits, 2025) [code]; the 2026 app later [guess: the network moved].
"""

from __future__ import annotations

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.jawapos_radar import JawaPosRadarSpider, article_url

HOST = "radarkudus.jawapos.com"
SOURCE = "outlet-evidence-2026-12.md §3"


class RadarKudusSpider(JawaPosRadarSpider):
    name = "radarkudus"
    outlet = Outlet(
        name="Radar Kudus",
        media_type="Jateng",
        domains=(HOST,),
        discovery=("listing",),
        status="experimental",
        needs_browser=True,
        home_region="33.19",
        notes=(
            "Jawa Pos radar (outlet-evidence-2026-12.md §3): ProMedia read__ pages (ids 69…) "
            "joined over ?page=N, and the 2026 app's embedded JSON; dated indeks-berita per "
            "window"
        ),
        facts=(
            Fact("host radarkudus.jawapos.com", "seen-in-code", SOURCE),
            Fact("ProMedia ids 69xxxxxxx (2025)", "seen-in-code", SOURCE),
            Fact("ProMedia read__ template, .read__content", "seen-in-code", f"{SOURCE}: network"),
            Fact("?page=N pages, a.paging__link pager", "guessed", f"{SOURCE}: Magelang, PRMN"),
            Fact("index /indeks-berita?daterange=...&page=N", "guessed", f"{SOURCE}: siblings"),
            Fact("index cards .latest__item, date.latest__date", "seen-in-code", SOURCE),
            Fact("2026 app with embedded JSON", "guessed", f"{SOURCE}: the network moved"),
            Fact("dateline 'RADARKUDUS.ID, <Kota> –'", "guessed", f"{SOURCE}: Semarang's"),
            Fact("Cloudflare challenge for plain clients", "seen-in-code", f"{SOURCE}: sibling"),
            Fact("no RSS feed", "seen-in-code", f"{SOURCE}: none in any code"),
        ),
    )
    listing_urls = (f"https://{HOST}/",)
    article_patterns = (article_url(HOST),)
