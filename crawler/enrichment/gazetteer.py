"""Place names of Jawa Tengah and of its neighbours, loaded once from the packaged data files.

The region tagger needs to know, for any capitalised name in an article, every role that name
can play: the bare name of a kabupaten and/or kota ("Semarang" is both), the seat or another
name of one ("Ungaran", "Solo"), a kecamatan of one or more kab/kota ("Karanganyar" is a
kecamatan in five), or a place outside the province ("Sleman", "Sampang" in Madura). This
module merges the data files (described in ``crawler/data/gazetteer.md``) into one
:class:`Place` per name and one regex that finds all of them.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files

from crawler.enrichment.phrases import compile_phrases
from crawler.items import RegionRecord

KABUPATEN = "kabupaten"
KOTA = "kota"
#: ``region_aliases.csv`` kind of an office named after the kab/kota it serves.
INSTITUTION = "institution"


@dataclass(frozen=True)
class Place:
    """Every role one name plays; ``codes`` are Kemendagri kab/kota codes of Jawa Tengah."""

    name: str
    #: kab/kota whose bare name this is (two codes for Semarang, Magelang, Pekalongan, Tegal).
    kabkota: tuple[str, ...] = ()
    #: kab/kota this is the seat, town, nickname or other name of ("Solo" -> Kota Surakarta).
    alias_of: str | None = None
    #: what the alias is (``region_aliases.csv`` kind): "seat", "town", "institution", ...
    alias_kind: str | None = None
    #: kab/kota that have a kecamatan of this name.
    kecamatan_of: tuple[str, ...] = ()
    #: names a kab/kota or province outside Jawa Tengah ("Sleman", "Jawa Timur").
    outside: bool = False
    #: a kecamatan of this name exists outside Jawa Tengah ("Kendal" in Ngawi).
    outside_kecamatan: bool = False
    #: a common word too ("batang" = stem): a bare mention needs context to count.
    needs_context: bool = False


@dataclass(frozen=True)
class Gazetteer:
    """All places, keyed by case-folded name, and the regex that finds them in text."""

    regions: Mapping[str, RegionRecord]
    kinds: Mapping[str, str]
    places: Mapping[str, Place]
    pattern: re.Pattern[str] = field(repr=False)

    def lookup(self, name: str) -> Place | None:
        """The place a matched or dateline name stands for, whatever its capitalisation."""
        return self.places.get(" ".join(name.split()).casefold())

    def kind(self, code: str) -> str:
        """``"kabupaten"`` or ``"kota"``."""
        return self.kinds[code]


def _rows(filename: str) -> Iterator[dict[str, str]]:
    with files("crawler.data").joinpath(filename).open(encoding="utf-8") as fh:
        yield from csv.DictReader(fh)


@cache
def load_kabkota() -> tuple[RegionRecord, ...]:
    """All 35 kabupaten/kota, in Kemendagri code order."""
    return tuple(
        RegionRecord(code=row["code"], name=row["name"], label=row["label"])
        for row in _rows("kabkota.csv")
    )


@cache
def load_gazetteer() -> Gazetteer:
    """Merge the data files into one place per name (built once per process)."""
    places: dict[str, Place] = {}

    def update(name: str, **changes: object) -> None:
        key = name.casefold()
        places[key] = replace(places.get(key) or Place(name=name), **changes)

    kinds: dict[str, str] = {}
    bare_names: dict[str, str] = {}
    for row in _rows("kabkota.csv"):
        kinds[row["code"]] = row["kind"]
        bare_names[row["code"]] = row["bare_name"]
        place = places.get(row["bare_name"].casefold())
        update(
            row["bare_name"],
            kabkota=(place.kabkota if place else ()) + (row["code"],),
            needs_context=row["needs_context"] == "1",
        )
    town_words: dict[str, set[str]] = defaultdict(set)
    for row in _rows("region_aliases.csv"):
        for alias in _alias_forms(row["alias"], row["kind"]):
            update(
                alias,
                alias_of=row["code"],
                alias_kind=row["kind"],
                needs_context=row["needs_context"] == "1",
            )
        if row["kind"] == "seat":
            town_words[row["code"]].add(row["alias"])
    for row in _rows("kecamatan.csv"):
        if row["name"].startswith("Kota "):
            continue  # "Kecamatan Kota Kudus" reads as the explicit form "Kota Kudus"
        place = places.get(row["name"].casefold())
        update(
            row["name"], kecamatan_of=(place.kecamatan_of if place else ()) + (row["kabkota_code"],)
        )
        # "Semarang Tengah", "Purwokerto Utara": a kecamatan named after its own kab/kota or
        # its seat is as telling as a town name.
        names = town_words[row["kabkota_code"]] | {bare_names[row["kabkota_code"]]}
        if row["name"] not in names and not names.isdisjoint(row["name"].split()):
            update(row["name"], alias_of=row["kabkota_code"])
    for row in _rows("outside_places.csv"):
        if row["kind"] == "kecamatan":
            update(row["name"], outside_kecamatan=True)
        else:
            update(row["name"], outside=True)

    regions = {record.code: record for record in load_kabkota()}
    surfaces = {variant for place in places.values() for variant in _case_variants(place.name)}
    return Gazetteer(regions=regions, kinds=kinds, places=places, pattern=compile_phrases(surfaces))


def _alias_forms(alias: str, kind: str) -> tuple[str, ...]:
    """An alias and, for a police office, its chief and deputy: "Kapolres Semarang"."""
    if kind == INSTITUTION and alias.startswith("Polres"):
        office = "p" + alias[1:]
        return alias, f"Ka{office}", f"Waka{office}"
    return (alias,)


def _case_variants(name: str) -> tuple[str, str]:
    """Names are proper nouns: match them as written and in capitals (datelines, headlines)."""
    return name, name.upper()
