"""Who wrote the article: writers credited by the page, never its editor, outlet or a place.

Structured data names an author more often than it names the right one: JSON-LD ``author``
is the *editor* on several platforms (antara, Media Indonesia, tribun), meta tags name the
outlet or its company ("Kompas Cyber Media", "PT. VIVA MEDIA BARU"), bylines name a desk
("Tim detikJateng"). So, layer by layer (JSON-LD, meta, the outlet's selectors, the page):

* a name is kept only when it reads as a person: not an outlet (the page's own site and
  publisher, every outlet of the registry, the media of ``crawler/data/bylines.json``), not a
  company ("PT ...", "... Tbk"), not a desk or role, not a place ("Pasar Gede ...");
* a structured name credited on the page as "Editor:" and not as writer is dropped; only the
  page's credit lines naming it are read for that (a targeted search, not a scan of every
  element);
* when no structured name survives, the page's visible writer credits ("Penulis:",
  "Reporter:", "Oleh", byline boxes) are used, then a reporter named in parentheses at the
  very end of the story ("... (Luh Wayanti)").
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files

from lxml import etree
from lxml import html as lxml_html

from crawler.extraction.block import class_words
from crawler.extraction.cleaning import collapse_whitespace

BYLINES_DATA = "bylines.json"
#: Class/id words of byline elements.
BYLINE_CLASS_WORDS = frozenset({"author", "byline", "penulis", "reporter", "writer"})
#: Class/id words of photo boxes, whose "author" is the photographer.
PHOTO_CLASS_WORDS = frozenset({"caption", "figure", "foto", "gambar", "image", "img", "photo"})
#: Labels that introduce a writer, and the editor label.
WRITER_LABEL = re.compile(
    r"(?:\b(?:Penulis|Reporter|Pewarta|Wartawan)\s*:|^(?:Oleh|By)\b\s*:?)\s*", re.IGNORECASE
)
EDITOR_LABEL = re.compile(r"\b(?:Editor|Redaktur|Penyunting)\s*:\s*", re.IGNORECASE)
#: Where a credited name ends: the next role label, a separator or the end.
_NAME_END = re.compile(
    r"\s*(?:\b(?:Penulis|Reporter|Pewarta|Editor|Redaktur|Sumber|Fotografer)\s*:|[|•]|$)",
    re.IGNORECASE,
)
#: "Kontributor Lhokseumawe, Masriadi": a role and place before the name.
_ROLE_PREFIX = re.compile(
    r"^(?:Kontributor|Koresponden|Wartawan|Jurnalis|Reporter)\b[^,]*,\s*", re.IGNORECASE
)
#: Web addresses, handles and numbers are not names.
_NOT_A_NAME = re.compile(r"https?:|@|\d|\.[a-z]{2,6}\b", re.IGNORECASE)
_INLINE_REPORTER = re.compile(r"\((?P<name>[A-Z][a-z']+(?:\s+[A-Z][a-z']+){1,3})\)\s*$")
#: Separators between several names in one credit.
_NAME_SEPARATORS = re.compile(r"\s*(?:,|&|\bdan\b|\band\b)\s*")
_WORDS = re.compile(r"[^\W_]+")
#: Keyword entries that are credits, not tags ("Editor:B Kunto Wibisono").
CREDIT_KEYWORD = re.compile(r"^(?:editor|penulis|reporter|pewarta)\s*:\s*(.*)$", re.IGNORECASE)
#: A site key this long or longer counts inside a name ("detikjateng" holds "detik").
MIN_CONTAINED_KEY = 4


@dataclass(frozen=True)
class NotPeople:
    """What a byline may name that is not a person (``crawler/data/bylines.json``)."""

    media: tuple[tuple[str, ...], ...]  # outlet names as word sequences
    company_first: frozenset[str]
    company_last: frozenset[str]
    desk: frozenset[str]
    place: frozenset[str]

    def reason(self, name: str, publishers: Iterable[str] = ()) -> str | None:
        """Why ``name`` is not a person ("outlet", "company", "desk", "place"), or None."""
        words = _WORDS.findall(name.casefold())
        if not words:
            return "empty"
        key = "".join(words)
        for outlet in publisher_keys(tuple(publishers)):
            if outlet == key or len(outlet) >= MIN_CONTAINED_KEY and outlet in key:
                return "outlet"
        if self.names_media(words):
            return "outlet"
        if words[0] in self.company_first or (len(words) > 1 and words[-1] in self.company_last):
            return "company"
        if words[0] in self.desk:
            return "desk"
        if words[0] in self.place:
            return "place"
        return None

    def names_media(self, words: list[str]) -> bool:
        """True when a medium occurs in ``words`` as whole words, or a long one-word medium
        opens a word ("detikjateng"); looked up by phrase length, not medium by medium."""
        prefixes, phrases = self.media_lookup
        if prefixes and any(word.startswith(prefixes) for word in words):
            return True
        return any(
            tuple(words[i : i + size]) in same_size
            for size, same_size in phrases.items()
            for i in range(len(words) - size + 1)
        )

    @functools.cached_property
    def media_lookup(self) -> tuple[tuple[str, ...], dict[int, frozenset[tuple[str, ...]]]]:
        """(long one-word media, matched as word prefixes; the other media by word count)."""
        prefixes = tuple(m[0] for m in self.media if len(m) == 1 and len(m[0]) > MIN_CONTAINED_KEY)
        phrases: dict[int, set[tuple[str, ...]]] = {}
        for medium in self.media:
            if not (len(medium) == 1 and len(medium[0]) > MIN_CONTAINED_KEY):
                phrases.setdefault(len(medium), set()).add(medium)
        return prefixes, {size: frozenset(same) for size, same in phrases.items()}


@functools.lru_cache(maxsize=256)
def publisher_keys(publishers: tuple[str, ...]) -> tuple[str, ...]:
    """Name keys of the outlet names ``publishers`` (also without a domain's ending), computed
    once per outlet rather than for every name checked against them."""
    keys = (
        key
        for publisher in publishers
        for key in (name_key(publisher), name_key(publisher.split(".")[0]))
    )
    return tuple(dict.fromkeys(key for key in keys if key))


@functools.cache
def not_people() -> NotPeople:
    """The vocabulary, read once from the package data."""
    with files("crawler.data").joinpath(BYLINES_DATA).open(encoding="utf-8") as handle:
        data = json.load(handle)
    return NotPeople(
        media=tuple(tuple(_WORDS.findall(m.casefold())) for m in data["media"]),
        company_first=frozenset(data["company_first_words"]),
        company_last=frozenset(data["company_last_words"]),
        desk=frozenset(data["desk_words"]),
        place=frozenset(data["place_words"]),
    )


def name_key(name: str) -> str:
    """A name reduced to lower-case letters and digits, for comparing credits."""
    return "".join(_WORDS.findall(name.casefold()))


def clean_name(text: str) -> str | None:
    """A name from a credit text, or None for roles, desks, addresses and junk.

    Outlets, companies and places pass here (next-data tags use it too); ``choose_authors``
    refuses them as authors.
    """
    name = _ROLE_PREFIX.sub("", collapse_whitespace(text))
    name = re.split(r"\s+[-–—|/]\s+", name)[0].strip(" ,.:;")
    words = name.split()
    if not 1 <= len(words) <= 6 or not name[:1].isupper() or _NOT_A_NAME.search(name):
        return None
    if words[0].casefold().strip(".:") in not_people().desk:
        return None
    return name


def split_names(text: str) -> list[str]:
    """Several people in one credit: "A, B dan C", "A & B"; a role prefix stays with its name."""
    text = _ROLE_PREFIX.sub("", collapse_whitespace(text))
    return [part for part in _NAME_SEPARATORS.split(text) if part]


def _credited(text: str, label: re.Pattern[str]) -> list[str]:
    """Names following ``label`` in ``text``, each up to the next label or separator."""
    names: list[str] = []
    for match in label.finditer(text):
        rest = text[match.end() :]
        end = _NAME_END.search(rest)
        candidate = rest[: end.start()] if end else rest
        names.extend(name for part in split_names(candidate) if (name := clean_name(part)))
    return names


# --- credits on the page -------------------------------------------------------------------

#: Longest visible text (collapsed) of an element read as a credit line.
CREDIT_MAX_CHARS = 120
#: Characters of an element's text collapsed to tell that it is longer than a credit line.
_CREDIT_PREFIX = 8 * CREDIT_MAX_CHARS
#: A credit line is at most this many elements above its label's or name's text: climbing
#: further only reaches containers far longer than a credit, whose text costs to read.
CREDIT_LEVELS = 4
_VISIBLE_TEXT_NODES = etree.XPath(
    "descendant-or-self::text()[not(parent::script or parent::style)]"
)
#: Words of WRITER_LABEL and EDITOR_LABEL (and "oleh"/"by" of a leading byline): a text
#: node holding none of them cannot start a credit. Searched in lower-cased text, which is
#: much faster than an IGNORECASE search. A label word split by markup ("Edi<b>tor</b>") is
#: not seen; no outlet writes one so.
_CREDIT_WORD = re.compile(r"penulis|reporter|pewarta|wartawan|editor|redaktur|penyunting|oleh|by")


@functools.lru_cache(maxsize=16)
def _text_nodes_with(count: int) -> etree.XPath:
    """Text nodes holding any of ``count`` strings ``$s0``...: one pass over the page for
    every name, where a pass per name cost half a millisecond each. ``contains`` is tested
    before the parent, which rules out most nodes sooner."""
    tests = " or ".join(f"contains(., $s{i})" for i in range(count))
    return etree.XPath(f"descendant-or-self::text()[{tests}][not(parent::script or parent::style)]")


_BYLINE_WORD = re.compile("|".join(sorted(BYLINE_CLASS_WORDS)), re.IGNORECASE)
_CLASSED_ELEMENTS = etree.XPath(
    "descendant-or-self::*[not(self::script or self::style)][self::author or @class or @id]"
)


def _holders(texts: Sequence[etree._ElementUnicodeResult], body: lxml_html.HtmlElement) -> set:
    """The elements around the given text nodes, up to ``CREDIT_LEVELS`` above each."""
    around: set[lxml_html.HtmlElement] = set()
    for text in texts:
        holder = text.getparent()
        if text.is_tail and holder is not None:
            holder = holder.getparent()
        for _ in range(CREDIT_LEVELS):
            if holder is None or holder in around:
                break
            around.add(holder)
            holder = None if holder is body else holder.getparent()
    return around


def credit_candidates(body: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Elements of ``body`` that may hold a credit, in document order.

    A superset of what ``visible_credits`` accepts: the elements around a text node holding
    a label word, elements with a byline word in class/id, and ``<author>``.
    """
    bylines = [
        element
        for element in _CLASSED_ELEMENTS(body)
        if element.tag == "author"
        or _BYLINE_WORD.search(f"{element.get('class', '')} {element.get('id', '')}")
    ]
    texts = [t for t in _VISIBLE_TEXT_NODES(body) if _CREDIT_WORD.search(t.lower())]
    around = _holders(texts, body)
    return sorted(around.union(bylines), key=_document_position)


def _document_position(element: lxml_html.HtmlElement) -> tuple[int, ...]:
    """Sort key putting elements in document order (child indexes from the root)."""
    position = []
    parent = element.getparent()
    while parent is not None:
        position.append(parent.index(element))
        element, parent = parent, parent.getparent()
    return tuple(reversed(position))


def _page_body(root: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    body = root.find("body")
    return body if body is not None else root


def _credit_text(element: lxml_html.HtmlElement) -> str | None:
    """The element's collapsed text if it is short enough to be a credit line.

    Containers around a credit hold 3-20 KB of text, and collapsing all of it was half the
    cost of reading credits; its first part collapsed is as long as that or shorter, so once
    the part is too long the whole is.
    """
    text = element.text_content()
    if (
        len(text) > _CREDIT_PREFIX
        and len(collapse_whitespace(text[:_CREDIT_PREFIX])) > CREDIT_MAX_CHARS
    ):
        return None
    text = collapse_whitespace(text)
    return text if len(text) <= CREDIT_MAX_CHARS else None


def _read_credits(elements: Iterable[lxml_html.HtmlElement]) -> tuple[list[str], list[str]]:
    writers: list[str] = []
    editors: list[str] = []
    for element in elements:
        text = _credit_text(element)
        if not text:
            continue
        editors.extend(_credited(text, EDITOR_LABEL))
        writers.extend(_credited(text, WRITER_LABEL))
        is_byline = element.tag == "author" or bool(class_words(element) & BYLINE_CLASS_WORDS)
        if is_byline and ":" not in text and not _near_label_or_photo(element):
            writers.extend(name for part in split_names(text) if (name := clean_name(part)))
    return list(dict.fromkeys(writers)), list(dict.fromkeys(editors))


def visible_credits(root: lxml_html.HtmlElement) -> tuple[list[str], list[str]]:
    """(writers, editors) credited in short visible elements such as "Penulis: X", "Editor: Y"."""
    return _read_credits(credit_candidates(_page_body(root)))


def credits_naming(
    root: lxml_html.HtmlElement, names: Iterable[str]
) -> tuple[list[str], list[str]]:
    """(writers, editors) of the credit lines that mention one of ``names``.

    What ``visible_credits`` would say about these names, from the few elements around text
    holding the longest word of each name instead of every credit on the page.
    """
    body = _page_body(root)
    words = [word for name in names if (word := max(_WORDS.findall(name), key=len, default=""))]
    forms = [(word, word.capitalize(), word.upper()) for word in words]
    strings = list(dict.fromkeys(form for group in forms for form in group))
    variables = {f"s{i}": string for i, string in enumerate(strings)}
    found = _text_nodes_with(len(strings))(body, **variables) if strings else []
    texts = [text for group in forms for text in found if any(form in text for form in group)]
    around = _holders(texts, body)
    return _read_credits(sorted(around, key=_document_position))


def _near_label_or_photo(element: lxml_html.HtmlElement) -> bool:
    """True inside an "Editor:" credit (its link, its name span) or a photo credit box."""
    for level, ancestor in enumerate(element.iterancestors()):
        if level >= 3:
            return False
        if ancestor.tag == "figure" or class_words(ancestor) & PHOTO_CLASS_WORDS:
            return True
        if EDITOR_LABEL.search(collapse_whitespace(ancestor.text_content())[:120]):
            return True
    return False


def inline_reporters(paragraphs: list[str]) -> list[str]:
    """A reporter credited in parentheses at the very end of the text: "... (Luh Wayanti)".

    Only capitalised words without digits count, so desk codes like "(E-2)" and editor
    initials like "(mea/mea)" are not mistaken for names, and a place ("(Pasar Gede
    Hardjonagoro)") is not one either.
    """
    names = []
    for paragraph in paragraphs:
        match = _INLINE_REPORTER.search(paragraph)
        if match and clean_name(match["name"]) and not_people().reason(match["name"]) is None:
            names.append(match["name"])
    return names


# --- the choice ----------------------------------------------------------------------------


def choose_authors(
    root: lxml_html.HtmlElement,
    candidates: Sequence[tuple[list[str], str]],
    *,
    publishers: Iterable[str] = (),
    keywords: Iterable[str] = (),
    body: Sequence[str] = (),
    fallback: Sequence[str] = (),
) -> tuple[list[str], str | None]:
    """Writers of the article and the layer that named them (see the module docstring).

    ``candidates``: (names, layer) of the structured and selector layers, best first;
    ``publishers``: names of the outlet (site, publisher, registry); ``keywords``: JSON-LD
    keywords, which some CMSs use for "Editor:X"; ``body``: the story, for an inline reporter;
    ``fallback``: names from trafilatura's metadata, last.
    """
    publishers = tuple(p for p in publishers if p)
    keyword_editors = [m.group(1) for k in keywords if (m := CREDIT_KEYWORD.match(k))]

    def people(names: Iterable[str], editor_keys: set[str]) -> list[str]:
        kept = (
            name
            for raw in names
            if (name := clean_name(raw))
            and not_people().reason(name, publishers) is None
            and name_key(name) not in editor_keys
        )
        return list(dict.fromkeys(kept))

    for names, layer in candidates:
        named = people(names, set())
        if not named:
            continue
        writers, editors = credits_naming(root, named)
        editor_keys = {name_key(e) for e in [*editors, *keyword_editors]}
        editor_keys -= {name_key(w) for w in writers}
        if kept := people(named, editor_keys):
            return kept, layer
    writers, editors = visible_credits(root)
    editor_keys = {name_key(e) for e in [*editors, *keyword_editors]}
    editor_keys -= {name_key(w) for w in writers}
    for names in (writers + inline_reporters(list(body[-1:])), fallback):
        if kept := people(names, editor_keys):
            return kept, "generic"
    return [], None
