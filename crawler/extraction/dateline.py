"""Find the place a story was filed from in the opening words of its first paragraph.

Indonesian outlets open with a dateline in one of a few shapes: ``Esposin, SEMARANG –``,
``LHOKSEUMAWE, KOMPAS.com –``, ``Jakarta (ANTARA News) -`` (also with the province:
``Mataram, NTB (ANTARA News) -``, whose place is the city), ``Liputan6.com, Jakarta -`` or the
bare detik ``Jakarta -``. The place sits beside an outlet brand or alone; an opening that names
only the outlet (``Suara.com -``) has no place.
"""

from __future__ import annotations

import re

#: Outlet brands written without a domain in datelines.
BRAND_WORDS = frozenset(
    {"esposin", "espos", "solopos", "jibi/solopos", "murianews", "murianewscom", "smpantura"}
)

_PLACE = r"[A-Z][A-Za-z'.]*(?:[ -][A-Z][A-Za-z'.]*){0,3}"
_BRAND = r"[A-Za-z0-9/]+(?:\.[A-Za-z]{2,6})*"
_DASH = r"\s*(?:-{1,2}|–|—)"

#: Dateline shapes, tried in order; each has groups "place" and (except the bare one) "brand".
DATELINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^(?P<brand>{_BRAND})\s*,\s*(?P<place>{_PLACE}){_DASH}"),
    re.compile(rf"^(?P<place>{_PLACE})\s*,\s*(?P<brand>{_BRAND}){_DASH}"),
    re.compile(rf"^(?P<place>{_PLACE})(?:\s*,\s*{_PLACE})?\s*\((?P<brand>[^()]{{2,30}})\){_DASH}"),
    re.compile(rf"^(?P<place>{_PLACE}){_DASH}(?=\s|[A-Z])"),
)

_DOMAIN = re.compile(r"^[A-Za-z0-9/-]+(?:\.[A-Za-z]{2,6})+$")


def is_brand(token: str) -> bool:
    """True for outlet names such as "KOMPAS.com", "Suara.com", "Esposin"."""
    return bool(_DOMAIN.match(token)) or token.lower() in BRAND_WORDS


def find_dateline(first_paragraph: str, pattern: str | None = None) -> str | None:
    """The dateline place ("SEMARANG", "Jakarta") of a first paragraph, or None.

    ``pattern`` is an outlet's own regex with a group named "place"; it is tried first.
    """
    text = first_paragraph.strip()
    if pattern:
        match = re.search(pattern, text)
        if match and match.group("place"):
            return match.group("place").strip()
    for candidate in DATELINE_PATTERNS:
        match = candidate.match(text)
        if not match:
            continue
        place = match.group("place").strip()
        brand = match.groupdict().get("brand")
        if is_brand(place):
            if brand is None:
                return None
            continue
        if brand is not None and "(" not in match.group(0) and not is_brand(brand):
            continue
        return place
    return None
