"""The kabupaten/kota of Jawa Tengah, loaded once from the packaged data file."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files

from crawler.items import RegionRecord


@cache
def load_kabkota() -> tuple[RegionRecord, ...]:
    """All 35 kabupaten/kota, in Kemendagri code order."""
    with files("crawler.data").joinpath("kabkota.csv").open(encoding="utf-8") as fh:
        return tuple(
            RegionRecord(code=row["code"], name=row["name"], label=row["label"])
            for row in csv.DictReader(fh)
        )


@cache
def dateline_index() -> dict[str, RegionRecord]:
    """Upper-cased dateline place name -> region (bare "SEMARANG" is the kota, as outlets use it)."""
    regions = {r.code: r for r in load_kabkota()}
    index: dict[str, RegionRecord] = {}
    with files("crawler.data").joinpath("kabkota.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for place in row["dateline_names"].split(";"):
                index.setdefault(place.strip().upper(), regions[row["code"]])
    return index
