"""The 35 kab/kota as tiles of the Central Java tile-grid map (``crawler/data/kabkota_tiles.csv``).

A tile grid gives every kab/kota the same size, so the five small kota are as visible as
Cilacap, while rough geographic positions keep the map recognisable: the north coast on top,
Brebes in the west, Rembang and Blora in the east, Wonogiri in the south-east.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from crawler.enrichment.gazetteer import load_kabkota

TILES_FILE = "kabkota_tiles.csv"


@dataclass(frozen=True)
class Tile:
    """A kab/kota, its names and its cell on the map grid (row 0 is the north)."""

    code: str
    name: str
    label: str
    abbr: str
    row: int
    col: int


@cache
def load_tiles() -> tuple[Tile, ...]:
    """Every kab/kota of kabkota.csv with its tile, in code order; a missing tile is an error."""
    with files("crawler.data").joinpath(TILES_FILE).open(encoding="utf-8") as handle:
        cells = {row["code"]: row for row in csv.DictReader(handle)}
    regions = load_kabkota()
    missing = sorted({region.code for region in regions} - set(cells))
    unknown = sorted(set(cells) - {region.code for region in regions})
    if missing or unknown:
        raise ValueError(f"{TILES_FILE}: no tile for {missing}, unknown codes {unknown}")
    return tuple(
        Tile(
            code=region.code,
            name=region.name,
            label=region.label,
            abbr=cells[region.code]["abbr"],
            row=int(cells[region.code]["row"]),
            col=int(cells[region.code]["col"]),
        )
        for region in regions
    )
