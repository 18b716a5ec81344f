"""Which kabupaten/kota of Jawa Tengah an article is about, and the evidence for each.

A place name alone proves little: "Semarang" is a kota and a kabupaten, "Batang" is also a
word for a plant stem, "Karanganyar" is a kabupaten and a kecamatan in four others and in
Ngawi (Jawa Timur), "Sleman" lies outside the province. So every name the gazetteer finds
is read with the words around it and becomes one piece of evidence with a weight:

=============================================  ======  ======================================
evidence                                       weight  example
=============================================  ======  ======================================
the dateline                                   10      ``SEMARANG –``, ``UNGARAN, KOMPAS.com``,
                                                       ``Korandiva-BLORA.-`` (opening_place)
an explicit form, office or official           6       "Kabupaten Kudus", "Pemkot Semarang",
(first; each repeat +2)                                "Bupati Batang", "Polres Semarang"
a kecamatan with its context                   4       "Kecamatan Getasan", "di Getasan, Kab.
                                                       Semarang"
the scene of the story ("place")               4       "di Sragen", "warga Klaten",
                                                       "Boyolali, Jawa Tengah", "Semarang,
                                                       Selasa (3/9)"
a member of a list of places ("list")          4       "di Solo, Sukoharjo, dan Sragen"
a bare name, seat, town or nickname            2       "Boyolali", "Ungaran", "Kota Ukir"
a bare name, seat or town in the title         4
=============================================  ======  ======================================

A kab/kota is tagged when its evidence adds up to :data:`MIN_SCORE`, so one bare mention in
the body does not tag. Bare names that are common words count only after a locative word
("di Batang") or when the same kab/kota has stronger evidence. A bare name of a
kota/kabupaten pair goes to whichever of the two has explicit, seat, kecamatan or scene
evidence, else to the kota (outlets write the bare name for the kota); the outlet's home
region decides only between equals, and stands for a story that names no region but an
office "setempat" (local). Names in street names ("Jalan Magelang"), routes ("tol
Semarang–Solo", "menuju Semarang"), origins ("asal Klaten"), villages ("Desa Karanganyar"),
outlet names ("Radar Semarang", "Magelang Ekspres"), regional groupings ("Solo Raya") and
after an honorific ("Pak Pati") are not evidence; a name that one mention places outside the
province ("Purwodadi, Pasuruan", "Sukoharjo, Kabupaten Pringsewu") is outside in the whole
article; a kab name that is a kecamatan of the story's kabupaten ("KARANGANYAR – Pemkab
Pekalongan ...") is that kecamatan.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from crawler.enrichment.gazetteer import (
    INSTITUTION,
    KABUPATEN,
    KOTA,
    Gazetteer,
    Place,
    load_gazetteer,
)
from crawler.extraction.dateline import find_dateline
from crawler.items import ArticleItem, RegionRecord

#: Value of ``item.extraction["kab_kota"]`` when this tagger set the regions.
EXTRACTION_NAME = "region-tagger"

DATELINE_WEIGHT = 10.0
DATELINE_KECAMATAN_WEIGHT = 8.0
EXPLICIT_WEIGHT = 6.0
EXPLICIT_REPEAT_WEIGHT = 2.0
KECAMATAN_WEIGHT = 4.0
#: A bare name where something happens ("di Sragen", "Wonogiri, Jawa Tengah") or a member of
#: a list of places: enough for a tag by itself.
PLACE_WEIGHT = 4.0
NAME_WEIGHT = 2.0
TITLE_NAME_WEIGHT = 4.0
#: Least total weight for a tag: a title mention, an explicit form, or two body mentions.
MIN_SCORE = 4.0

# Kinds of context word just before a name (case-insensitive; a "(Pemkot)" aside is skipped).
# The longest match wins: "warga asal Klaten" is an origin, "warga Klaten" the scene.
_KAB, _KOTA, _BOTH, _INSTITUTION, _KECAMATAN, _LOCATIVE, _NEAR, _BLOCKED = (
    "kabupaten",
    "kota",
    "both",
    "institution",
    "kecamatan",
    "locative",
    "near",
    "blocked",
)
# fmt: off
PREFIX_WORDS: dict[str, tuple[str, ...]] = {
    _KAB: (
        "kabupaten", "kab.", "kab", "pemkab", "pemerintah kabupaten", "bupati", "wabup",
        "wakil bupati", "plt bupati", "pj bupati", "penjabat bupati", "pilbup",
    ),
    _KOTA: (
        "kota", "pemkot", "pemerintah kota", "wali kota", "walikota", "walkot", "wawali",
        "wawalkot", "wakil wali kota", "wakil walikota", "pj wali kota", "plt wali kota",
        "pilwakot", "pilwalkot",
    ),
    # "Kota dan Kabupaten Semarang" names both of a pair.
    _BOTH: ("kota dan kabupaten", "kabupaten dan kota", "kota dan kab.", "kab. dan kota"),
    # Offices, officials and local events named after the kab/kota they belong to.
    _INSTITUTION: (
        "dprd", "polres", "polresta", "polrestabes", "kapolres", "kapolresta", "kapolrestabes",
        "wakapolres", "wakapolresta", "kodim", "dandim", "kejari", "kajari", "kejaksaan negeri",
        "pengadilan negeri", "pengadilan agama", "pn", "rsud", "kpu", "kpud", "bawaslu", "bpbd",
        "pdam", "satpol pp", "sekda", "setda", "kemenag", "kantor kemenag", "bapenda", "disdik",
        "dinkes", "dishub", "pemda", "pilkada", "pemilukada", "bnnk", "lapas", "rutan", "baznas",
        "hut", "hari jadi",
    ),
    _KECAMATAN: ("kecamatan", "kec.", "kec", "camat", "polsek", "kapolsek", "koramil", "danramil"),
    # Where something happens: "di Sragen", "wilayah Wonogiri", "Alun-alun Purwokerto",
    # "warga Klaten".
    _LOCATIVE: (
        "di", "wilayah", "kawasan", "daerah", "sekitar", "alun-alun", "pendapa", "pendopo",
        "warga", "masyarakat", "penduduk",
    ),
    # A destination places a name without making it the scene: "ke Solo".
    _NEAR: ("ke",),
    # A name after these is a street, route, origin, village, outlet, holy name, old kingdom
    # or person, not the region the story is about.
    _BLOCKED: (
        "jalan", "jalan raya", "jl.", "jl", "jln.", "jln", "gang", "gg.", "roh", "kerajaan",
        "kesultanan", "karesidenan", "eks-karesidenan", "sunan", "pak", "bu", "mbah", "mas",
        "mbak", "ki", "dari", "asal", "berasal dari", "kelahiran", "lahir di", "arah", "menuju",
        "tujuan", "jurusan", "rute", "trayek", "tol", "ruas", "jalur", "lintas", "via", "desa",
        "kelurahan", "dukuh", "dusun", "kampung", "gunung", "sungai", "radar", "tribun", "inews",
        "ayo", "harian", "koran", "radio", "majalah", "berita",
    ),
}
# fmt: on
_PREFIX_KIND = {word: kind for kind, words in PREFIX_WORDS.items() for word in words}
_PREFIX_MAX_WORDS = max(len(word.split()) for word in _PREFIX_KIND)
_PREFIX_WINDOW = 48
_ASIDE = re.compile(r"\s*\([^()\n]{1,30}\)\s*$")
_DASH = re.compile(r"[-–—]")
_LEADING_PUNCTUATION = "\"'“‘(["

#: A name followed by "Raya" is a regional grouping ("Solo Raya", "Semarang Raya").
_GROUPING_AFTER = re.compile(r"\s*(?i:raya)\b")
#: A dash or slash to the next name makes a route or corridor ("Semarang–Solo").
_ROUTE_JOIN = re.compile(r"\s?[-–—/]\s?")
#: Between a place and the kab/kota (or outside place) that contains it: "Getasan, Kab. ".
_CONTAINER_JOIN = re.compile(
    r"\s*[,(]?\s*(?:(?P<admin>kabupaten|kab\.?|kota|provinsi|prov\.)\s*)?", re.IGNORECASE
)
#: "Batang, Jawa Tengah" and "Pati (Jateng)" confirm a place name that is also a word.
_PROVINCE_AFTER = re.compile(r"\s*[,(]\s*(?:Jawa Tengah|Jateng)\b")
#: "Semarang, Selasa (24/9)": the place and day of an event.
_DAY_AFTER = re.compile(
    r"\s*,\s*(?:pada\s+)?(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)\b"
)
#: A name inside an outlet's or a paper's name: "Magelang Ekspres", "Semarang.id".
_OUTLET_AFTER = re.compile(
    r"(?:\s?(?:Ekspres|Express|Pos|Post|TV|FM|News|Update|Terkini)\b|\.(?:com|id|co|net)\b)"
)
#: "Sukoharjo, Kabupaten Pringsewu": a container named in full but not in the gazetteer is
#: outside Jawa Tengah.
_UNKNOWN_CONTAINER = re.compile(
    r"\s*,\s*(?:Kabupaten|Kab\.|Kota|Provinsi)\s+(?P<name>[A-Z][\w-]+(?: [A-Z][\w-]+)?)"
)
#: Between two members of a list of places: "Solo, Sukoharjo, dan Sragen".
_LIST_JOIN = re.compile(
    r"\s*(?:(?P<comma>[,;])\s*)?(?:(?P<word>dan|serta|atau)\s+)?"
    r"(?:(?:kabupaten|kab\.|kota)\s+)?",
    re.IGNORECASE,
)
#: Members a list needs to count without context of its own.
MIN_LIST_MEMBERS = 3


@dataclass(slots=True)
class _Mention:
    """One gazetteer name found in a segment of the article."""

    place: Place
    start: int
    end: int
    surface: str


@dataclass(slots=True)
class _Observation:
    """One piece of evidence; ``codes`` holds several candidates until it is resolved."""

    codes: tuple[str, ...]
    kind: str
    weight: float
    surface: str
    position: int
    #: the gazetteer place the evidence was read from.
    place: Place | None = None
    #: a common-word name where capitals say nothing: counts only for a region confirmed by
    #: a dateline, an explicit form, a kecamatan or enough other mentions.
    gated: bool = False
    #: a kecamatan name shared by several kab/kota (or with a place outside): it goes to the
    #: candidate with the most other evidence, or nowhere.
    deferred: bool = False


@dataclass
class RegionTag:
    """A tagged kab/kota with its total weight and the evidence that produced it."""

    region: RegionRecord
    score: float
    evidence: list[str]

    def record(self) -> RegionRecord:
        """The region as an item field, with its evidence."""
        return RegionRecord(
            code=self.region.code,
            name=self.region.name,
            label=self.region.label,
            evidence=list(self.evidence),
        )


def tag_regions(
    title: str | None,
    dateline: str | None,
    body: Sequence[str],
    home_region: str | None = None,
) -> list[RegionTag]:
    """The kab/kota the article is about, most relevant first.

    *dateline* is the place token of the dateline ("SEMARANG"); when it names no place the
    opening of the first paragraphs is searched for one (:func:`opening_place`).
    *home_region* is the Kemendagri code of the outlet's home kab/kota: it breaks ties, and
    stands for a story that names no region but its local government ("Pemkab setempat").
    """
    gazetteer = load_gazetteer()
    paragraphs = [p for p in body if p]
    if not (dateline and _find_mentions(gazetteer, dateline)):
        dateline = opening_place(gazetteer, paragraphs)
    segments: list[tuple[str, str, int]] = []
    position = 0
    if dateline:
        segments.append(("dateline", dateline, position))
        position += len(dateline) + 1
    if title:
        segments.append(("title", title, position))
        position += len(title) + 1
    if paragraphs:
        text = "\n".join(paragraphs)
        offset = _dateline_end(paragraphs[0], dateline)
        segments.append(("body", text[offset:], position + offset))
    readings = [
        reading
        for segment, text, base in segments
        for reading in _read_segment(gazetteer, text, segment, base)
    ]
    senses = _senses(readings)
    observations = [o for reading in readings for o in _observe(gazetteer, reading, senses)]
    tags = _resolve(gazetteer, observations, home_region)
    if not tags and home_region:
        tags = _home_region_tag(gazetteer, [title or "", *paragraphs], home_region)
    return tags


#: The local government left unnamed: "Pemkab setempat", "Wali Kota setempat". (Offices
#: such as "Polres setempat" say nothing of the kind of region, which province-wide outlets
#: based in Kota Semarang would need.)
_LOCAL_OFFICE = re.compile(
    r"\b(?P<office>pemkab|pemerintah kabupaten|bupati|pemkot|pemerintah kota|wali ?kota)"
    r"\s+setempat\b",
    re.IGNORECASE,
)
_KOTA_OFFICES = frozenset({"pemkot", "pemerintah kota", "wali kota", "walikota"})


def _home_region_tag(
    gazetteer: Gazetteer, texts: Sequence[str], home_region: str
) -> list[RegionTag]:
    """The outlet's home region for a story that names no region but a local office.

    A local outlet writes "Pemkab setempat" or "Bupati setempat" for its own region; the
    office's kind (kabupaten or kota) must fit the home region.
    """
    for text in texts:
        match = _LOCAL_OFFICE.search(text)
        if not match:
            continue
        office = " ".join(match.group("office").casefold().split())
        wanted = KOTA if office in _KOTA_OFFICES else KABUPATEN
        if gazetteer.kind(home_region) != wanted:
            continue
        evidence = [f"home region: {' '.join(match.group().split())}"]
        return [RegionTag(gazetteer.regions[home_region], MIN_SCORE, evidence)]
    return []


#: Paragraphs whose opening may hold the dateline (menus and photo captions come first).
OPENING_PARAGRAPHS = 3
#: How far into a paragraph a dateline place may start ("KOROPAK.CO.ID – TEMANGGUNG –").
_OPENING_REACH = 50
#: What follows a dateline place: a dash, a bar, a bracketed brand or a comma.
_OPENING_AFTER = re.compile(r"\s*\.?\s*(?:-|–|—|\||\(|,)")
#: Two lower-case words in a row: running text, so a later name is no dateline.
_RUNNING_TEXT = re.compile(r"\b[a-z]{3,}\s+[a-z]{3,}\b")


def opening_place(gazetteer: Gazetteer, paragraphs: Sequence[str]) -> str | None:
    """The dateline place of an article whose dateline extraction did not recognise.

    Outlets write it many ways: ``Korandiva-BLORA.-``, ``KOROPAK.CO.ID – TEMANGGUNG –``,
    ``REMBANG | outlet.com``, ``Murianews, Grobogan –``, ``Semarang, Dalam rangka``. It is a
    gazetteer name at the start of one of the first paragraphs, or in capitals after a brand
    or date, followed by a dash, bar, bracket or comma.
    """
    for paragraph in paragraphs[:OPENING_PARAGRAPHS]:
        head = paragraph.lstrip()[: _OPENING_REACH + 40]
        mentions = _find_mentions(gazetteer, head)
        if not mentions or mentions[0].start > _OPENING_REACH:
            continue
        first = mentions[0]
        if len(mentions) > 1 and _ROUTE_JOIN.fullmatch(head, first.end, mentions[1].start):
            continue  # "Jalur Semarang-Kendal macet": a route, not a dateline
        dateline = find_dateline(paragraph)
        if dateline and first.surface in dateline:
            return first.surface
        if not _OPENING_AFTER.match(head, first.end):
            continue
        before = head[: first.start]
        if not before.strip() or (
            first.surface.isupper() and len(first.surface) >= 4 and not _RUNNING_TEXT.search(before)
        ):
            return first.surface
    return None


def _dateline_end(first_paragraph: str, dateline: str | None) -> int:
    """Where the first paragraph's text starts after its dateline, so it is not read twice."""
    if not dateline:
        return 0
    found = first_paragraph.find(dateline, 0, 60)
    if found < 0:
        return 0
    dash = _DASH.search(first_paragraph, found + len(dateline), found + 80)
    return dash.end() if dash else 0


@dataclass(slots=True)
class _Reading:
    """A mention with the words around it that decide what it is evidence of."""

    mention: _Mention
    segment: str
    position: int
    prefix: str | None
    prefix_written: str
    #: codes of the kab/kota named right after it ("Getasan, Kab. Semarang") ...
    container: tuple[str, ...]
    #: ... or whether the place named right after it is outside Jawa Tengah ("Kendal, Ngawi").
    outside_container: bool
    #: a common-word name where capitals say nothing (title, sentence start), no locative.
    uncertain: bool
    #: followed by ", Jawa Tengah", "(Jateng)" or ", Selasa (3/9)": the scene of the story.
    at_scene: bool = False
    #: one of a list of places with context ("di Solo, Sukoharjo, dan Sragen") or of three
    #: or more places.
    listed: bool = False


def _read_segment(gazetteer: Gazetteer, text: str, segment: str, base: int) -> list[_Reading]:
    """Mentions of one segment (dateline, title or body) that may be evidence, in context.

    Routes ("Semarang–Solo"), groupings ("Solo Raya"), outlet names ("Magelang Ekspres") and
    names after a blocking word ("Jalan Magelang", "asal Klaten", "Desa Karanganyar") are
    left out here.
    """
    mentions = _find_mentions(gazetteer, text)
    readings: list[_Reading] = []
    in_route = False
    for index, mention in enumerate(mentions):
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        joined_by_dash = following is not None and bool(
            _ROUTE_JOIN.fullmatch(text, mention.end, following.start)
        )
        if in_route or joined_by_dash:
            in_route = joined_by_dash
            continue
        if _GROUPING_AFTER.match(text, mention.end) or _OUTLET_AFTER.match(text, mention.end):
            continue
        prefix, prefix_written = _prefix(text, mention.start)
        if prefix == _BLOCKED:
            continue
        container, outside_container = _container_codes(gazetteer, text, mention, following)
        at_scene = bool(
            _PROVINCE_AFTER.match(text, mention.end) or _DAY_AFTER.match(text, mention.end)
        )
        uncertain = (
            mention.place.needs_context
            and prefix not in (_LOCATIVE, _NEAR)
            and not at_scene
            and (segment == "title" or _starts_sentence(text, mention.start))
        )
        readings.append(
            _Reading(
                mention,
                segment,
                base + mention.start,
                prefix,
                prefix_written,
                container,
                outside_container,
                uncertain,
                at_scene,
            )
        )
    _mark_lists(text, readings)
    return readings


_STRONG_PREFIXES = frozenset({_LOCATIVE, _KAB, _KOTA, _BOTH, _INSTITUTION})


def _mark_lists(text: str, readings: list[_Reading]) -> None:
    """Give the members of a list of places the context of the list.

    "di Solo, Sukoharjo, Boyolali dan Sragen": every member is a place where the story
    happens. A list of kecamatan ("Kecamatan Sayung, Karanganyar dan Gajah", or one holding a
    name that is only a kecamatan) makes each member a kecamatan instead.
    """
    groups: list[list[_Reading]] = []
    for reading in readings:
        if groups:
            last = groups[-1][-1]
            join = (
                _LIST_JOIN.fullmatch(text, last.mention.end, reading.mention.start)
                if last.mention.end <= reading.mention.start
                else None
            )
            last_place = last.mention.place
            in_container = last.container and not (last_place.kabkota or last_place.alias_of)
            if join and (join.group("comma") or join.group("word")) and not in_container:
                groups[-1].append(reading)
                continue
        groups.append([reading])
    for group in groups:
        if len(group) < 2:
            continue
        places = [r.mention.place for r in group]
        if group[0].prefix == _KECAMATAN or any(
            not p.kabkota and not p.alias_of and p.kecamatan_of for p in places
        ):
            for reading in group:
                if reading.prefix is None:
                    reading.prefix, reading.prefix_written = _KECAMATAN, ""
            continue
        if any(p.outside and not p.kabkota for p in places) and len(group) < MIN_LIST_MEMBERS:
            continue
        strong = len(group) >= MIN_LIST_MEMBERS or any(
            r.prefix in _STRONG_PREFIXES or r.at_scene for r in group
        )
        if strong:
            for reading in group:
                reading.listed = True
                reading.uncertain = False


_OUTSIDE = "outside"


def _senses(readings: list[_Reading]) -> dict[str, str]:
    """What an ambiguous name means in this article, where one mention makes it clear.

    "Kecamatan Purwodadi, Pasuruan" makes every "Purwodadi" of the article the one in Jawa
    Timur; "Karanganyar, Kebumen" makes every bare "Karanganyar" the kecamatan in Kebumen.
    """
    senses: dict[str, str] = {}
    for reading in readings:
        place = reading.mention.place
        if reading.prefix not in (None, _LOCATIVE, _NEAR, _KECAMATAN):
            continue
        if reading.outside_container and (place.outside_kecamatan or reading.prefix):
            senses.setdefault(place.name, _OUTSIDE)
        else:
            inside = _inside(place, reading.container)
            if inside:
                senses.setdefault(place.name, inside[0])
    return senses


def _inside(place: Place, container: tuple[str, ...]) -> list[str]:
    """The container's kab/kota that has a kecamatan or town of this name."""
    inside = [c for c in place.kecamatan_of if c in container]
    if place.alias_of in container and place.alias_of not in place.kabkota:
        inside.append(place.alias_of)
    return inside


def _find_mentions(gazetteer: Gazetteer, text: str) -> list[_Mention]:
    mentions = []
    for match in gazetteer.pattern.finditer(text):
        place = gazetteer.lookup(match.group())
        if place is not None:
            mentions.append(_Mention(place, match.start(), match.end(), match.group()))
    return mentions


def _prefix(text: str, start: int) -> tuple[str | None, str]:
    """The kind of context word right before *start*, and that word as written."""
    window = text[max(0, start - _PREFIX_WINDOW) : start].rstrip()
    if window.endswith(")"):
        aside = _ASIDE.search(window)
        if aside:
            window = window[: aside.start()]
    words = window.split()[-_PREFIX_MAX_WORDS:]
    for count in range(len(words), 0, -1):
        written = " ".join(words[-count:]).lstrip(_LEADING_PUNCTUATION)
        kind = _PREFIX_KIND.get(written.casefold().removeprefix("se-"))
        if kind is not None:
            return kind, written
    return None, ""


def _container_codes(
    gazetteer: Gazetteer, text: str, mention: _Mention, following: _Mention | None
) -> tuple[tuple[str, ...], bool]:
    """Kab/kota codes of the place named right after *mention*, and whether it is outside.

    "Getasan, Kabupaten Semarang" gives (33.22,); "Kendal, Ngawi" and "Sukoharjo, Kabupaten
    Pringsewu" give ((), True).
    """
    join = (
        _CONTAINER_JOIN.fullmatch(text, mention.end, following.start)
        if following is not None
        else None
    )
    if following is None or join is None:
        unknown = _UNKNOWN_CONTAINER.match(text, mention.end)
        if unknown and gazetteer.lookup(unknown.group("name")) is None:
            return (), True
        return (), False
    place = following.place
    if place.outside and not place.kabkota:
        return (), True
    admin = (join.group("admin") or "").casefold().rstrip(".")
    if admin in ("kabupaten", "kab"):
        return tuple(c for c in place.kabkota if gazetteer.kind(c) == KABUPATEN), False
    if admin == "kota":
        return tuple(c for c in place.kabkota if gazetteer.kind(c) == KOTA), False
    return place.kabkota + ((place.alias_of,) if place.alias_of else ()), False


def _observe(gazetteer: Gazetteer, reading: _Reading, senses: dict[str, str]) -> list[_Observation]:
    """What one reading is evidence of; empty when it is no evidence for a Jateng region."""
    mention, prefix = reading.mention, reading.prefix
    place = mention.place
    in_title = reading.segment == "title"
    if in_title:
        named_weight = TITLE_NAME_WEIGHT
    elif prefix == _LOCATIVE or reading.at_scene or reading.listed:
        named_weight = PLACE_WEIGHT
    else:
        named_weight = NAME_WEIGHT
    kecamatan_weight = TITLE_NAME_WEIGHT if in_title else KECAMATAN_WEIGHT

    def found(codes: Iterable[str], kind: str, weight: float, **flags: bool) -> list[_Observation]:
        surface = mention.surface
        if kind in ("explicit", "kecamatan") and reading.prefix_written:
            surface = f"{reading.prefix_written} {surface}"
        if reading.segment == "dateline":
            weight = DATELINE_KECAMATAN_WEIGHT if kind == "kecamatan" else DATELINE_WEIGHT
            kind = "dateline"
            flags["gated"] = False
        elif kind in ("name", "alias") and reading.listed:
            kind = "list"
        elif kind in ("name", "alias") and named_weight == PLACE_WEIGHT and not in_title:
            kind = "place"
        return [_Observation(tuple(codes), kind, weight, surface, reading.position, place, **flags)]

    if place.alias_kind == INSTITUTION and place.alias_of:
        return found((place.alias_of,), "explicit", EXPLICIT_WEIGHT)
    if prefix == _BOTH and len(place.kabkota) == 2:
        return [o for code in place.kabkota for o in found((code,), "explicit", EXPLICIT_WEIGHT)]
    if prefix in (_KAB, _KOTA):
        wanted = KABUPATEN if prefix == _KAB else KOTA
        codes = [c for c in place.kabkota if gazetteer.kind(c) == wanted]
        if codes:
            return found(codes, "explicit", EXPLICIT_WEIGHT)
        if prefix == _KOTA and place.kabkota:
            return found(place.kabkota, "explicit", EXPLICIT_WEIGHT)  # "Kota Kudus": the town
        if place.alias_of:
            return found((place.alias_of,), "explicit", EXPLICIT_WEIGHT)
        if place.outside or not place.kabkota:
            return []
    if prefix == _INSTITUTION:
        if place.kabkota:
            return found(place.kabkota, "explicit", EXPLICIT_WEIGHT)
        if place.alias_of:
            return found((place.alias_of,), "explicit", EXPLICIT_WEIGHT)
        return []
    if reading.outside_container and (place.outside_kecamatan or prefix == _KECAMATAN):
        return []  # "Kendal, Ngawi", "Wonosari, Gunungkidul"
    inside = _inside(place, reading.container)
    if inside:
        return found(inside[:1], "kecamatan", kecamatan_weight)  # "Karanganyar, Kebumen"
    sense = senses.get(place.name)
    if sense == _OUTSIDE:
        return []
    if sense is not None:
        return found((sense,), "kecamatan", kecamatan_weight)
    if prefix == _KECAMATAN:
        if not place.kecamatan_of:
            return []
        ambiguous = len(place.kecamatan_of) > 1 or place.outside_kecamatan
        return found(place.kecamatan_of, "kecamatan", kecamatan_weight, deferred=ambiguous)
    gated = reading.uncertain
    if place.kabkota:
        return found(place.kabkota, "name", named_weight, gated=gated)
    if place.alias_of:
        return found((place.alias_of,), "alias", named_weight, gated=gated)
    if reading.segment == "dateline" and place.kecamatan_of and not place.outside_kecamatan:
        ambiguous = len(place.kecamatan_of) > 1
        return found(place.kecamatan_of, "kecamatan", kecamatan_weight, deferred=ambiguous)
    return []


def _starts_sentence(text: str, start: int) -> bool:
    """True where capitals say nothing: at the start of a paragraph or sentence.

    Elsewhere in body text a capitalised "Batang" or "Solo" is a name, because the word
    ("batang pohon", "album solo") is written in lower case.
    """
    before = text[max(0, start - 3) : start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


#: Evidence that lets uncertain mentions of a common-word name count for the same region.
_CONFIRMING_KINDS = frozenset({"dateline", "explicit", "kecamatan", "place", "list"})
#: Evidence that decides a kota/kabupaten pair.
_PAIR_DECIDING_KINDS = frozenset({"explicit", "kecamatan", "alias", "dateline", "place", "list"})
#: Readings of a bare kab name that may be the kecamatan of the same name elsewhere.
_BARE_KINDS = frozenset({"dateline", "name", "place", "list"})


def _resolve(
    gazetteer: Gazetteer, observations: list[_Observation], home_region: str | None
) -> list[RegionTag]:
    """Settle pairs and shared kecamatan names, then score, filter and order the regions."""
    settled: list[tuple[str, _Observation]] = []
    pairs: list[_Observation] = []
    deferred: list[_Observation] = []
    for observation in observations:
        if observation.deferred:
            deferred.append(observation)
        elif len(observation.codes) > 1:
            pairs.append(observation)
        else:
            settled.append((observation.codes[0], observation))

    settled = _kecamatan_homonyms(settled)
    strong: Counter[str] = Counter()
    for code, observation in settled:
        if observation.kind in _PAIR_DECIDING_KINDS:
            strong[code] += observation.weight
    for observation in pairs:
        code = _pick_of_pair(gazetteer, observation.codes, strong, home_region)
        settled.append((code, observation))

    ungated: Counter[str] = Counter()
    confirmed: set[str] = set()
    for code, observation in settled:
        if not observation.gated:
            ungated[code] += observation.weight
            if observation.kind in _CONFIRMING_KINDS:
                confirmed.add(code)
    for observation in deferred:
        candidates = [c for c in observation.codes if ungated[c] > 0]
        if candidates:
            best = max(candidates, key=lambda c: (ungated[c], c == home_region))
            settled.append((best, observation))
            ungated[best] += observation.weight
            confirmed.add(best)
    confirmed.update(code for code, score in ungated.items() if score >= MIN_SCORE)

    by_code: dict[str, list[_Observation]] = defaultdict(list)
    for code, observation in settled:
        if observation.gated and code not in confirmed:
            continue
        by_code[code].append(observation)
    tags = []
    for code, found in by_code.items():
        score = _score(found)
        if score >= MIN_SCORE:
            tags.append(RegionTag(gazetteer.regions[code], score, _evidence(found)))
    first_seen = {code: min(o.position for o in found) for code, found in by_code.items()}
    tags.sort(key=lambda t: (-t.score, t.region.code != home_region, first_seen[t.region.code]))
    return tags


def _kecamatan_homonyms(settled: list[tuple[str, _Observation]]) -> list[tuple[str, _Observation]]:
    """Bare names of a kabupaten that are the kecamatan of that name in the story's kabupaten.

    "KARANGANYAR – Pemerintah Kabupaten Pekalongan ..." is filed from the kecamatan
    Karanganyar of Kabupaten Pekalongan: when the kabupaten of the bare name has no explicit
    evidence and another kab/kota with a kecamatan of that name has, the name is that
    kecamatan.
    """
    explicit = {code for code, observation in settled if observation.kind == "explicit"}
    result = []
    for code, observation in settled:
        place = observation.place
        if observation.kind in _BARE_KINDS and place and place.kabkota and code not in explicit:
            others = [c for c in place.kecamatan_of if c != code and c in explicit]
            if others:
                observation = replace(observation, kind="kecamatan", codes=(others[0],))
                code = others[0]
        result.append((code, observation))
    return result


def _pick_of_pair(
    gazetteer: Gazetteer, codes: tuple[str, ...], strong: Counter[str], home_region: str | None
) -> str:
    """Kab or kota for a bare pair name (dateline or text): the one with stronger evidence.

    Ties go to the kota, as outlets write the bare name for the kota; with no evidence
    either way the outlet's home region decides.
    """
    kota = next(c for c in codes if gazetteer.kind(c) == KOTA)
    kab = next(c for c in codes if gazetteer.kind(c) == KABUPATEN)
    if strong[kab] == strong[kota] == 0:
        return kab if home_region == kab else kota
    return kab if strong[kab] > strong[kota] else kota


def _score(found: list[_Observation]) -> float:
    """Sum of weights; explicit forms after the first add less, so repetition is not proof."""
    score = 0.0
    explicit_seen = False
    for observation in sorted(found, key=lambda o: o.position):
        if observation.kind == "explicit" and explicit_seen:
            score += EXPLICIT_REPEAT_WEIGHT
            continue
        explicit_seen = explicit_seen or observation.kind == "explicit"
        score += observation.weight
    return score


_EVIDENCE_ORDER = {
    "dateline": 0,
    "explicit": 1,
    "kecamatan": 2,
    "place": 3,
    "list": 4,
    "alias": 5,
    "name": 6,
}


def _evidence(found: list[_Observation]) -> list[str]:
    """Readable evidence, strongest kind first: ``explicit: Pemkot Semarang (3x)``."""
    counts = Counter((o.kind, " ".join(o.surface.split())) for o in found)
    ordered = sorted(counts, key=lambda k: (_EVIDENCE_ORDER[k[0]], -counts[k], k[1]))
    return [
        f"{kind}: {surface}" + (f" ({counts[kind, surface]}x)" if counts[kind, surface] > 1 else "")
        for kind, surface in ordered
    ]


class RegionEnricher:
    """Enricher that sets ``item.kab_kota`` from the evidence-weighted region tagger.

    The outlet's home region is the ``home_region`` (a Kemendagri code) of the running
    spider's registry entry (``spider.outlet``), when it declares one.
    """

    def __init__(self, home_region: str | None = None, crawler: Any = None) -> None:
        self._home_region = home_region
        self._crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> RegionEnricher:
        return cls(crawler=crawler)

    @property
    def home_region(self) -> str | None:
        if self._home_region is None and self._crawler is not None:
            outlet = getattr(getattr(self._crawler, "spider", None), "outlet", None)
            self._home_region = getattr(outlet, "home_region", None)
        return self._home_region

    def enrich(self, item: ArticleItem) -> None:
        tags = tag_regions(item.title, item.dateline, item.body, self.home_region)
        if tags:
            item.kab_kota = [tag.record() for tag in tags]
            item.extraction["kab_kota"] = EXTRACTION_NAME
