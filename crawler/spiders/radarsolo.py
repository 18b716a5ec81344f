"""Radar Solo (radarsolo.jawapos.com): Solo Raya's Jawa Pos radar.

Facts (../shared/research/outlet-evidence-2026-12.md §3; the platforms are the network's, see
:mod:`crawler.spiders.jawapos_radar`):

* Host ``radarsolo.jawapos.com`` [code].
* ProMedia ids ``84…`` (9 digits, 2025-10), its images under ``photo/p2/84/`` [code];
  whether and when it moved to the 2026 app is not known [guess: the network moved].
* Pre-2020 ``/read/…`` and 2021 WordPress ``/<cat>/DD/MM/YYYY/<slug>/`` URLs are not crawled.
"""

from __future__ import annotations

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.jawapos_radar import JawaPosRadarSpider, article_url

HOST = "radarsolo.jawapos.com"
SOURCE = "outlet-evidence-2026-12.md §3"


class RadarSoloSpider(JawaPosRadarSpider):
    name = "radarsolo"
    outlet = Outlet(
        name="Radar Solo",
        media_type="Jateng",
        domains=(HOST,),
        discovery=("listing",),
        status="experimental",
        needs_browser=True,
        home_region="33.72",
        notes=(
            "Jawa Pos radar (outlet-evidence-2026-12.md §3): ProMedia read__ pages (ids 84…) "
            "joined over ?page=N, and the 2026 app's embedded JSON; dated indeks-berita per "
            "window"
        ),
        facts=(
            Fact("host radarsolo.jawapos.com", "seen-in-code", "outlets.md §5"),
            Fact("ProMedia ids 84xxxxxxx (2025-10)", "seen-in-code", SOURCE),
            Fact("ProMedia read__ template, .read__content", "seen-in-code", f"{SOURCE}: network"),
            Fact("?page=N pages, a.paging__link pager", "guessed", f"{SOURCE}: Magelang, PRMN"),
            Fact("index /indeks-berita?daterange=...&page=N", "guessed", f"{SOURCE}: siblings"),
            Fact("index cards .latest__item, date.latest__date", "seen-in-code", SOURCE),
            Fact("2026 app with embedded JSON", "guessed", f"{SOURCE}: the network moved"),
            Fact("dateline 'RADARSOLO.ID, <Kota> –'", "guessed", f"{SOURCE}: Semarang's"),
            Fact("Cloudflare challenge for plain clients", "seen-in-code", f"{SOURCE}: sibling"),
            Fact("no RSS feed", "seen-in-code", f"{SOURCE}: none in any code"),
        ),
    )
    listing_urls = (f"https://{HOST}/",)
    article_patterns = (article_url(HOST),)
