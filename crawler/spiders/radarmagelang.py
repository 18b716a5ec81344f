"""Radar Magelang (radarmagelang.jawapos.com): Magelang's Jawa Pos radar.

Facts (../shared/research/outlet-evidence-2026-12.md §3, outlets.md §5; the platforms are the
network's, see :mod:`crawler.spiders.jawapos_radar`):

* Host ``radarmagelang.jawapos.com`` [code].
* ProMedia ids ``68…`` (9 digits) from 2024-10 to mid-February 2026 [code]; later pages on the
  2026 app [guess: the network moved].
* Long stories paged with ``?page=N`` (``…/687007325/…?page=3``) [code].
* Sections name places: ``/mungkid/`` is the seat of Kabupaten Magelang [code].
"""

from __future__ import annotations

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.jawapos_radar import JawaPosRadarSpider, article_url

HOST = "radarmagelang.jawapos.com"
SOURCE = "outlet-evidence-2026-12.md §3"


class RadarMagelangSpider(JawaPosRadarSpider):
    name = "radarmagelang"
    outlet = Outlet(
        name="Radar Magelang",
        media_type="Jateng",
        domains=(HOST,),
        discovery=("listing",),
        status="experimental",
        needs_browser=True,
        home_region="33.71",
        notes=(
            "Jawa Pos radar (outlet-evidence-2026-12.md §3): ProMedia read__ pages (ids 68…, "
            "until Feb 2026) joined over ?page=N, and the 2026 app's embedded JSON; dated "
            "indeks-berita per window"
        ),
        facts=(
            Fact("host radarmagelang.jawapos.com", "seen-in-code", "outlets.md §5"),
            Fact("ProMedia ids 68xxxxxxx until Feb 2026", "seen-in-code", SOURCE),
            Fact("?page=N pages (…?page=3)", "seen-in-code", SOURCE),
            Fact("pager a.paging__link", "guessed", f"{SOURCE}: the PRMN family"),
            Fact("ProMedia read__ template, .read__content", "seen-in-code", f"{SOURCE}: network"),
            Fact("index /indeks-berita?daterange=...&page=N", "guessed", f"{SOURCE}: siblings"),
            Fact("index cards .latest__item, date.latest__date", "seen-in-code", SOURCE),
            Fact("2026 app with embedded JSON after Feb 2026", "guessed", SOURCE),
            Fact("dateline 'RADARMAGELANG.ID, <Kota> –'", "guessed", f"{SOURCE}: Semarang's"),
            Fact("Cloudflare challenge for plain clients", "seen-in-code", f"{SOURCE}: sibling"),
            Fact("no RSS feed", "seen-in-code", f"{SOURCE}: none in any code"),
        ),
    )
    listing_urls = (f"https://{HOST}/",)
    article_patterns = (article_url(HOST),)
