"""Constructed sample records for the README screenshot of the report: no real article's text.

Deterministic (a seeded generator), so the screenshot changes only when the page does. The
outlets come from the outlet registry and the kab/kota from the gazetteer; titles are made
from a few invented headline patterns, and some events are run by several outlets with
slightly different titles, as happens in real news, so the page shows grouped stories.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from crawler.enrichment.gazetteer import load_kabkota
from crawler.outlets.registry import registered_outlets
from crawler.utils.timezones import WIB
from crawler.utils.urls import url_hash

SEED = 15
#: (headline pattern, sentiment, whether its party names are tagged) of the invented events.
HEADLINES = (
    ("Banjir Rendam {n} Desa di {place}, Warga Mengungsi", "negatif", False),
    ("Harga Cabai Rawit di Pasar {place} Naik Lagi", "negatif", False),
    ("Kecelakaan Truk di Jalur Utama {place}, {n} Orang Luka", "negatif", False),
    ("Jembatan Gantung Baru di {place} Mulai Dipakai Warga", "positif", False),
    ("UMKM Batik {place} Tembus Pasar Ekspor", "positif", False),
    ("Festival Budaya {place} Ramai Dikunjungi Wisatawan", "positif", False),
    ("DPRD {place} Bahas Anggaran Perubahan, Fraksi {party} Beri Catatan", "neutral", True),
    ("{party} {place} Gelar Rapat Kerja Cabang", "neutral", True),
    ("Jadwal Pemadaman Listrik di {place} Pekan Ini", "neutral", False),
    ("Kader {party} dan {other} Bagikan Sembako di {place}", "positif", True),
)
#: How other outlets retitle an event they also run.
RETITLES = ("{title}", "{title}, Begini Kata Warga", "Foto: {title}")
PARTIES = ("PDI Perjuangan", "Gerindra", "Golkar", "PKB", "PKS", "NasDem", "Demokrat", "PAN")
#: Kab/kota codes that get more news (the province capital and Solo), as in real coverage.
BUSY = ("33.74", "33.72", "33.74", "33.02", "33.19")


def sample_records(first_day: date, days: int = 2, events: int = 70) -> list[dict[str, Any]]:
    """JSON-ready records from ``first_day`` 00:00 to 06:00 of the last of ``days`` WIB days."""
    rng = random.Random(SEED)
    outlets = [(name, o) for name, o in registered_outlets().items() if o.domains][:8]
    regions = {region.code: region for region in load_kabkota()}
    records = []
    for event in range(events):
        code = rng.choice(BUSY) if rng.random() < 0.35 else rng.choice(list(regions))
        region = regions[code]
        pattern, sentiment, with_party = rng.choice(HEADLINES)
        party, other = rng.sample(PARTIES, 2)
        place = region.name if region.label.startswith("Kab.") else region.label
        title = pattern.format(n=rng.randint(2, 9), place=place, party=party, other=other)
        parties = [p for p in (party, other) if with_party and p in title]
        strength = 0 if sentiment == "neutral" else rng.randint(40, 95)
        moment = datetime.combine(first_day, time(0), tzinfo=WIB) + timedelta(
            minutes=rng.randint(0, (days - 1) * 24 * 60 + 5 * 60)
        )
        runs = rng.sample(outlets, rng.choice((1, 1, 1, 2, 3, 4)))
        for copy, (name, outlet) in enumerate(runs):
            url = f"https://{outlet.domains[0]}/contoh/{event}-{copy}"
            records.append(
                {
                    "url": url,
                    "url_hash": url_hash(url),
                    "outlet": name,
                    "outlet_name": outlet.name,
                    "title": RETITLES[copy % len(RETITLES)].format(title=title),
                    "published": (moment + timedelta(minutes=37 * copy)).isoformat(),
                    "kab_kota": [
                        {"code": code, "name": region.name, "label": region.label, "evidence": []}
                    ],
                    "parties": parties,
                    "sentiment": {"label": sentiment, "strength": strength},
                }
            )
    return records


def earlier_records(records: list[dict[str, Any]], before: datetime) -> Iterator[str]:
    """url_hash of the records published before ``before`` (what a previous report saw)."""
    for record in records:
        if datetime.fromisoformat(record["published"]) < before:
            yield record["url_hash"]
