"""Which national political parties an article mentions, under their canonical names.

Most party names are safe to match alone ("Gerindra", "Golkar", "PDIP", any "Partai ..."
full name). Several acronyms and short names are everyday words of regional news as well:
PKB is the motor vehicle tax, PBB the land tax and the United Nations, PKS a cooperation
agreement, PPP a public-private partnership, PAN part of the ministry "PAN-RB", and "Gelora",
"Garuda" a stadium, an airline, the national team. Those *guarded* forms count only with party
context right before them ("Partai", "DPC", "Fraksi", "kader", ... or the fraction form
"F-PKB"), or inside an enumeration next to a party that counts ("PDIP, PKB, dan PKS").
Bare "buruh" (workers) and "umat" (community) never count; only "Partai Buruh" and
"Partai Ummat" do.

A political story also writes guarded acronyms bare ("PKB 2 kursi", "gabungan PAN dan PPP"):
in an article that names a party or speaks of parties, seats and candidates, an acronym in
capitals counts by itself, unless the article spells it out as something else ("pajak
kendaraan bermotor (PKB)", "Perjanjian Kerja Sama (PKS)") or uses the other sense's words
("samsat", "nota kesepahaman"). The party list, the context words, the other senses and the
political words are data: ``crawler/data/parties.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from crawler.enrichment.phrases import compile_phrases
from crawler.items import ArticleItem

#: Value of ``item.extraction["parties"]`` when this tagger set the parties.
EXTRACTION_NAME = "party-tagger"

_CONTEXT_WINDOW = 40
_LEADING_PUNCTUATION = "\"'“‘(["
_TRAILING_PUNCTUATION = "\"'”’)],:;"


@dataclass(frozen=True)
class _Form:
    """One written form of a party name."""

    party: str
    guarded: bool
    veto_after: re.Pattern[str] | None
    #: an acronym in capitals ("PKB"), which a political story may write bare.
    acronym: bool = False


@dataclass(frozen=True)
class PartyLexicon:
    """Every written form of every party, the context words, and the regex finding them."""

    forms: dict[str, _Form]
    context_before: frozenset[str]
    list_join: re.Pattern[str]
    #: words of another sense of a party's acronym, by party ("samsat" for PKB).
    other_senses: dict[str, tuple[str, ...]]
    #: words that make an article political ("kursi", "pilkada", "fraksi").
    political_words: frozenset[str]
    #: words right before an acronym that give it another sense ("penandatanganan PKS").
    other_sense_before: frozenset[str]
    pattern: re.Pattern[str] = field(repr=False)


@dataclass
class PartyTag:
    """A party the article mentions, with the mentions that counted."""

    name: str
    evidence: list[str]


@cache
def load_party_lexicon() -> PartyLexicon:
    """Read ``parties.json`` once and build the matcher."""
    with files("crawler.data").joinpath("parties.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    forms: dict[str, _Form] = {}
    other_senses: dict[str, tuple[str, ...]] = {}
    for party in data["parties"] + data["other_parties"]:
        veto = re.compile(party["not_followed_by"]) if party.get("not_followed_by") else None
        other_senses[party["canonical"]] = tuple(party.get("other_senses", ()))
        for name in party["names"]:
            for variant in (name, name.upper(), _lower_partai(name), *_capital_names(name)):
                forms[variant] = _Form(party["canonical"], guarded=False, veto_after=veto)
        for name in party["guarded"]:
            acronym = name.isupper()
            forms[name] = _Form(party["canonical"], True, veto, acronym=acronym)
            if acronym:
                # "FPKB", the fraction of the party in a council, is party context in itself.
                forms[f"F{name}"] = _Form(party["canonical"], guarded=False, veto_after=veto)
            else:
                forms[name.upper()] = _Form(party["canonical"], True, veto)
    separators = "|".join(re.escape(s) for s in data["list_separators"])
    return PartyLexicon(
        forms=forms,
        context_before=frozenset(data["context_before"]),
        list_join=re.compile(rf"\s*(?:{separators})?\s*(?:{separators})?\s*", re.IGNORECASE),
        other_senses=other_senses,
        political_words=frozenset(data["political_words"]),
        other_sense_before=frozenset(data["other_sense_before"]),
        pattern=compile_phrases(forms),
    )


def _lower_partai(name: str) -> str:
    """Body text often writes "partai Gelora" in lower case."""
    return "partai" + name[len("Partai") :] if name.startswith("Partai ") else name


def _capital_names(name: str) -> tuple[str, ...]:
    """Lists of politicians write the short name in capitals: "Partai GELORA"."""
    if not name.startswith("Partai "):
        return ()
    short = name[len("Partai ") :].upper()
    return f"Partai {short}", f"partai {short}"


#: "pajak kendaraan bermotor (PKB)" and "PKB (pajak kendaraan bermotor)": an acronym spelled
#: out in the article.
_BRACKETED_ACRONYM = re.compile(r"\(\s*([A-Z]{2,6})\s*\)")
_SPELLED_AFTER = re.compile(r"\b([A-Z]{2,6})\s*\(\s*([^()]{4,80}?)\s*\)")
_LINK_WORDS = frozenset({"dan", "and", "atau", "serta", "&"})
_WORDS = re.compile(r"\w+")
#: How far before "(PKB)" its spelled-out words are looked for.
_SPELLED_REACH = 80
#: Political words an article needs, besides a party, for bare acronyms to count.
MIN_POLITICAL_WORDS = 2


@dataclass
class _Mention:
    party: str
    start: int
    end: int
    surface: str
    accepted: bool
    acronym: bool = False


def tag_parties(title: str | None, body: Sequence[str]) -> list[PartyTag]:
    """Parties mentioned in the title and body, most mentioned first (ties: first seen)."""
    lexicon = load_party_lexicon()
    text = "\n".join([title or "", *body])
    mentions = _find_mentions(lexicon, text)
    _accept_enumerations(lexicon, text, mentions)
    _accept_bare_acronyms(lexicon, text, mentions)
    counted: dict[str, list[_Mention]] = {}
    for mention in mentions:
        if mention.accepted:
            counted.setdefault(mention.party, []).append(mention)
    ranked = sorted(counted.items(), key=lambda kv: (-len(kv[1]), kv[1][0].start))
    return [PartyTag(party, _evidence(found)) for party, found in ranked]


def _accept_bare_acronyms(lexicon: PartyLexicon, text: str, mentions: list[_Mention]) -> None:
    """In a political article, guarded acronyms in capitals count without context.

    An acronym in another sense ("penagihan PKB") keeps the acronyms listed with it out too
    ("penagihan PKB dan PBB").
    """
    waiting = [m for m in mentions if not m.accepted and m.acronym]
    if not waiting:
        return
    parties_named = any(m.accepted for m in mentions)
    folded = text.casefold()
    political_words = lexicon.political_words.intersection(_WORDS.findall(folded))
    if not parties_named and len(political_words) < MIN_POLITICAL_WORDS:
        return
    spelled_otherwise = _spelled_out_otherwise(lexicon, text)
    parties_in_other_sense = {
        party
        for party in {mention.party for mention in waiting}
        if any(word in folded for word in lexicon.other_senses.get(party, ()))
    }
    other_sense = [
        mention.surface in spelled_otherwise
        or mention.party in parties_in_other_sense
        or _word_before(text, mention.start) in lexicon.other_sense_before
        for mention in waiting
    ]
    for index in range(1, len(waiting)):
        left, right = waiting[index - 1], waiting[index]
        if other_sense[index - 1] != other_sense[index] and lexicon.list_join.fullmatch(
            text, left.end, right.start
        ):
            other_sense[index - 1] = other_sense[index] = True
    for mention, vetoed in zip(waiting, other_sense, strict=True):
        mention.accepted = not vetoed


def _word_before(text: str, start: int) -> str:
    """The word right before *start*, lower case, without punctuation."""
    words = text[max(0, start - _CONTEXT_WINDOW) : start].split()
    return words[-1].strip(_LEADING_PUNCTUATION + _TRAILING_PUNCTUATION).casefold() if words else ""


def _spelled_out_otherwise(lexicon: PartyLexicon, text: str) -> set[str]:
    """Acronyms the article spells out as something other than a party."""
    pairs = [
        (m.group(1), text[max(0, m.start() - _SPELLED_REACH) : m.start()])
        for m in _BRACKETED_ACRONYM.finditer(text)
    ]
    pairs += [(m.group(1), m.group(2)) for m in _SPELLED_AFTER.finditer(text)]
    found = set()
    for acronym, words in pairs:
        if acronym not in lexicon.forms or lexicon.pattern.search(words):
            continue
        if _initials_spell(words, acronym):
            found.add(acronym)
    return found


def _initials_spell(words: str, acronym: str) -> bool:
    """True when the initials of the words next to an acronym spell it: the last words before
    "(PBB)" or the first words inside "PBB (...)" ("Pajak Bumi dan Bangunan")."""
    parts = [w for w in re.split(r"[^\w]+", words) if w and w.casefold() not in _LINK_WORDS]
    initials = "".join(w[0] for w in parts).upper()
    return initials.endswith(acronym) or initials.startswith(acronym)


def _find_mentions(lexicon: PartyLexicon, text: str) -> list[_Mention]:
    mentions: list[_Mention] = []
    for match in lexicon.pattern.finditer(text):
        form = lexicon.forms[match.group()]
        if form.veto_after is not None and form.veto_after.match(text, match.end()):
            continue
        accepted = not form.guarded or _has_context(lexicon, text, match.start())
        mentions.append(
            _Mention(form.party, match.start(), match.end(), match.group(), accepted, form.acronym)
        )
    return mentions


def _has_context(lexicon: PartyLexicon, text: str, start: int) -> bool:
    """True when a party word stands right before, or one word before: "kader muda PKB"."""
    window = text[max(0, start - _CONTEXT_WINDOW) : start]
    if window.endswith(("F-", "F.")):
        return True
    words = [
        w.strip(_LEADING_PUNCTUATION + _TRAILING_PUNCTUATION).casefold() for w in window.split()
    ][-3:]
    candidates = {
        " ".join(words[-2:]),
        " ".join(words[-1:]),
        " ".join(words[-3:-1]),
        " ".join(words[-2:-1]),
    }
    return not candidates.isdisjoint(lexicon.context_before)


def _accept_enumerations(lexicon: PartyLexicon, text: str, mentions: list[_Mention]) -> None:
    """A guarded form listed next to a counted party counts too: "Gerindra, PKB, dan PKS"."""
    changed = True
    while changed:
        changed = False
        for left, right in zip(mentions, mentions[1:], strict=False):
            if left.accepted == right.accepted:
                continue
            if lexicon.list_join.fullmatch(text, left.end, right.start):
                left.accepted = right.accepted = changed = True


def _evidence(found: list[_Mention]) -> list[str]:
    surfaces: dict[str, int] = {}
    for mention in found:
        surfaces[mention.surface] = surfaces.get(mention.surface, 0) + 1
    return [f"{s} ({n}x)" if n > 1 else s for s, n in surfaces.items()]


class PartyEnricher:
    """Enricher that sets ``item.parties`` to the canonical names of the parties mentioned."""

    def enrich(self, item: ArticleItem) -> None:
        tags = tag_parties(item.title, item.body)
        if tags:
            item.parties = [tag.name for tag in tags]
            item.extraction["parties"] = EXTRACTION_NAME
