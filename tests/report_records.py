"""Constructed delivered records for the report tests (no real article's text)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from crawler.utils.timezones import WIB
from crawler.utils.urls import url_hash

#: Official names and labels, as the region enricher writes them.
REGIONS = {
    "33.01": ("Kabupaten Cilacap", "Cilacap"),
    "33.19": ("Kabupaten Kudus", "Kudus"),
    "33.22": ("Kabupaten Semarang", "Kab. Semarang"),
    "33.72": ("Kota Surakarta", "Surakarta"),
    "33.74": ("Kota Semarang", "Semarang"),
}
INJECTION = "<script>document.title='pwned'</script><img src=x onerror=\"alert(1)\">Judul & co"


def record(
    n: int,
    day: date,
    *,
    regions: tuple[str, ...] = (),
    outlet: str = "espos",
    outlet_name: str = "Espos.id",
    title: str | None = None,
    hour: int = 9,
    sentiment: str = "neutral",
    parties: tuple[str, ...] = (),
    **fields: Any,
) -> dict[str, Any]:
    """A record as the JSON Lines feed writes it, article ``n`` of an outlet on ``day``."""
    url = f"https://{outlet}.example/berita/{n}"
    data = {
        "url": url,
        "url_hash": url_hash(url),
        "outlet": outlet,
        "outlet_name": outlet_name,
        "media_type": "Jateng",
        "title": title if title is not None else f"Berita contoh nomor {n} dari {outlet_name}",
        "published": datetime.combine(day, time(hour, n % 60), tzinfo=WIB).isoformat(),
        "authors": ["Penulis Contoh"],
        "body": ["Paragraf contoh."],
        "kab_kota": [
            {"code": code, "name": REGIONS[code][0], "label": REGIONS[code][1], "evidence": []}
            for code in regions
        ],
        "parties": list(parties),
        "sentiment": {"label": sentiment, "strength": 0 if sentiment == "neutral" else 80},
    }
    data.update(fields)
    return data


def browser_set(day: date) -> list[dict[str, Any]]:
    """The records of the browser test: known counts per kab/kota, outlet, day and party."""
    yesterday = day - timedelta(days=1)
    return [
        record(1, day, regions=("33.74",), sentiment="positif", parties=("Gerindra",)),
        record(2, day, regions=("33.74", "33.22"), sentiment="negatif", parties=("PKB", "Golkar")),
        record(
            3, yesterday, regions=("33.74",), outlet="tribunjateng", outlet_name="Tribun Jateng"
        ),
        record(4, day, regions=("33.22",), outlet="tribunjateng", outlet_name="Tribun Jateng"),
        record(5, day, regions=("33.72",), sentiment="positif", parties=("Gerindra",)),
        record(6, yesterday, regions=("33.72",), outlet="detikjateng", outlet_name="detikJateng"),
        record(7, day, regions=("33.01",), outlet="detikjateng", outlet_name="detikJateng"),
        record(8, day, outlet="detikjateng", outlet_name="detikJateng", sentiment="negatif"),
        record(
            9,
            day,
            regions=("33.19",),
            outlet="evil",
            outlet_name="<b>Evil</b> Media",
            title=INJECTION,
        ),
    ]


#: What browser_set counts, per kab/kota code (an article counts for each region it has).
BROWSER_SET_REGIONS = {"33.74": 3, "33.22": 2, "33.72": 2, "33.01": 1, "33.19": 1}
BROWSER_SET_PARTIES = {"Gerindra": 2, "PKB": 1, "Golkar": 1}


def write_jsonl(path: Path, records: list[dict[str, Any]], *extra_lines: str) -> Path:
    """The records as one JSON Lines file, followed by any raw (broken) lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path
