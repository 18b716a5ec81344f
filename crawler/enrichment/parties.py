"""Which national political parties an article mentions, under their canonical names.

Most party names are safe to match alone ("Gerindra", "Golkar", "PDIP", any "Partai ..."
full name). Several acronyms and short names are everyday words of regional news as well:
PKB is the motor vehicle tax, PBB the land tax and the United Nations, PKS a cooperation
agreement, PPP a public-private partnership, PAN part of the ministry "PAN-RB", and "Gelora",
"Garuda" a stadium, an airline, the national team. Those *guarded* forms count only with party
context right before them ("Partai", "DPC", "Fraksi", "kader", ... or the fraction form
"F-PKB"), or inside an enumeration next to a party that counts ("PDIP, PKB, dan PKS").
Bare "buruh" (workers) and "umat" (community) never count; only "Partai Buruh" and
"Partai Ummat" do. The party list and the context words are data: ``crawler/data/parties.json``.
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


@dataclass(frozen=True)
class PartyLexicon:
    """Every written form of every party, the context words, and the regex finding them."""

    forms: dict[str, _Form]
    context_before: frozenset[str]
    list_join: re.Pattern[str]
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
    for party in data["parties"]:
        veto = re.compile(party["not_followed_by"]) if party.get("not_followed_by") else None
        for name in party["names"]:
            for variant in (name, name.upper(), _lower_partai(name)):
                forms[variant] = _Form(party["canonical"], guarded=False, veto_after=veto)
        for name in party["guarded"]:
            forms[name] = _Form(party["canonical"], guarded=True, veto_after=veto)
            if name.isupper():
                # "FPKB", the fraction of the party in a council, is party context in itself.
                forms[f"F{name}"] = _Form(party["canonical"], guarded=False, veto_after=veto)
    separators = "|".join(re.escape(s) for s in data["list_separators"])
    return PartyLexicon(
        forms=forms,
        context_before=frozenset(data["context_before"]),
        list_join=re.compile(rf"\s*(?:{separators})?\s*(?:{separators})?\s*", re.IGNORECASE),
        pattern=compile_phrases(forms),
    )


def _lower_partai(name: str) -> str:
    """Body text often writes "partai Gelora" in lower case."""
    return "partai" + name[len("Partai") :] if name.startswith("Partai ") else name


@dataclass
class _Mention:
    party: str
    start: int
    end: int
    surface: str
    accepted: bool


def tag_parties(title: str | None, body: Sequence[str]) -> list[PartyTag]:
    """Parties mentioned in the title and body, most mentioned first (ties: first seen)."""
    lexicon = load_party_lexicon()
    text = "\n".join([title or "", *body])
    mentions = _find_mentions(lexicon, text)
    _accept_enumerations(lexicon, text, mentions)
    counted: dict[str, list[_Mention]] = {}
    for mention in mentions:
        if mention.accepted:
            counted.setdefault(mention.party, []).append(mention)
    ranked = sorted(counted.items(), key=lambda kv: (-len(kv[1]), kv[1][0].start))
    return [PartyTag(party, _evidence(found)) for party, found in ranked]


def _find_mentions(lexicon: PartyLexicon, text: str) -> list[_Mention]:
    mentions: list[_Mention] = []
    for match in lexicon.pattern.finditer(text):
        form = lexicon.forms[match.group()]
        if form.veto_after is not None and form.veto_after.match(text, match.end()):
            continue
        accepted = not form.guarded or _has_context(lexicon, text, match.start())
        mentions.append(_Mention(form.party, match.start(), match.end(), match.group(), accepted))
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
