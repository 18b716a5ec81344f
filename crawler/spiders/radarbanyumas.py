"""Radar Banyumas (radarbanyumas.disway.id): Banyumas, Purwokerto and around, on Disway.

Facts (../shared/research/outlet-evidence-2026-12.md §2; the template is the network's, see
:mod:`crawler.spiders.disway`, read from Radar Tegal's pages):

* Host ``radarbanyumas.disway.id`` [code]; no public code uses ``radarbanyumas.jawapos.com``.
* Article URLs ``/read/<id>/<slug>`` (2024, e.g. ``/read/117861/...``) and
  ``/purwokerto/read/153842/...`` (2026, code index id 59833345207) [code].
* Feed ``/rss/purwokerto`` [code: two 2025-26 monitors]; ``/rss`` [guess: Disway sibling].
* Listing ``/kategori/purwokerto`` [guess: the feed's section on Radar Tegal's listing
  shape]; the home page's ``h2.media-heading`` cards [guess: Radar Tegal's home].
* Page template, dates and datelines as Radar Tegal's [guess: same network].
"""

from __future__ import annotations

from crawler.outlets.entry import Fact, Outlet
from crawler.spiders.disway import DiswaySpider, article_url

HOST = "radarbanyumas.disway.id"
SOURCE = "outlet-evidence-2026-12.md §2"
#: A 2026 reference to a story, found after the evidence file was written.
INDEX_HIT = "code index id 59833345207"


class RadarBanyumasSpider(DiswaySpider):
    name = "radarbanyumas"
    outlet = Outlet(
        name="Radar Banyumas",
        media_type="Jateng",
        domains=(HOST,),
        discovery=("rss", "listing"),
        status="experimental",
        home_region="33.02",
        notes=(
            "Disway network (outlet-evidence-2026-12.md §2); section feed /rss/purwokerto; "
            "template, /rss and /kategori/purwokerto guessed from Radar Tegal"
        ),
        facts=(
            Fact("host radarbanyumas.disway.id, not jawapos.com", "seen-in-code", SOURCE),
            Fact("article URL /read/<id>/<slug> (2024)", "seen-in-code", SOURCE),
            Fact("article URL /purwokerto/read/<id>/<slug> (2026)", "seen-in-code", INDEX_HIT),
            Fact("feed /rss/purwokerto", "seen-in-code", SOURCE),
            Fact("feed /rss", "guessed", f"{SOURCE}: Disway sibling radarcirebon"),
            Fact("listing /kategori/purwokerto and home cards", "guessed", "Radar Tegal, §1"),
            Fact("template, date and dateline as Radar Tegal's", "guessed", "Radar Tegal, §1"),
        ),
    )
    feed_urls = (f"https://{HOST}/rss/purwokerto", f"https://{HOST}/rss")
    listing_urls = (f"https://{HOST}/", f"https://{HOST}/kategori/purwokerto")
    article_patterns = (article_url(HOST),)
