"""Remove what is not the story from a list of body paragraphs.

Every extraction layer hands its paragraphs through here, so the same captions, "Baca juga"
boxes, ads, promos and credit lines are dropped whatever the source; a paragraph that is only
a widget's label is known by the labels of ``crawler/data/boilerplate.json``. Cleaning only
ever drops whole paragraphs or cuts a trailing editor code after a line break: it never
rewrites text, so every output paragraph is a substring of the (entity-decoded,
whitespace-collapsed) input.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from crawler.extraction.boilerplate import boilerplate

_I = re.IGNORECASE

#: Editor or desk initials in parentheses: "(mea/mea)", "(FHM)", "(Cas/Isk)", "(fyk/ash)".
_INITIALS = r"\(\s*[A-Za-z]{2,5}(?:\s*/\s*[A-Za-z]{2,5}){0,2}\s*\)"

#: Paragraphs that are dropped whole: name -> pattern, matched against the collapsed text.
NOISE_PARAGRAPHS: dict[str, re.Pattern[str]] = {
    # photo captions and credits
    "caption_outlet_prefix": re.compile(r"^(?:ESPOS\.ID|SOLOPOS\.COM)\s*[-–—]"),
    "caption_foto": re.compile(r"^(?=.{0,300}$)(?:.*[.\s(])?Foto\s*:\s*.{1,100}$", _I),
    "caption_bracket_credit": re.compile(r"\[\s*[\w.-]+\.(?:com|id)\s*/[^\]]{1,60}\]$", _I),
    "caption_wire_photo": re.compile(r"\((?:ANTARA\s+)?FOTO\s*/[^)]{1,80}\)$", _I),
    # related-article boxes
    "baca_juga": re.compile(r"^\W{0,3}baca(?:\s+(?:juga|selengkapnya))?\s*:", _I),
    "tribun_bullet": re.compile(r"^•\s*\S"),
    # ads and promos
    "promosi": re.compile(r"^Promosi\s+.{5,150}(?<![.!?\"”])$"),
    "video_promo": re.compile(
        r"^(?:simak|lihat\s+juga|saksikan(?:\s+juga)?|tonton(?:\s+juga)?)\s+video\b|^\[Gambas:[^\]]*\]$",
        _I,
    ),
    "epaper_promo": re.compile(r"^Simak\b.{0,120}E-?Paper\b", _I),
    # credit, tag and pager lines
    "credit_line": re.compile(
        r"^(?:editor|penulis|sumber|pewarta|reporter|redaktur|penyunting|fotografer|"
        r"kontributor)\s*:",
        _I,
    ),
    "tag_line": re.compile(r"^tags?\s*:", _I),
    "pager": re.compile(
        r"^(?:halaman|page)\b[\s:\d]*(?:selanjutnya|berikutnya|sebelumnya|next|prev)?[\s\d]*"
        r"(?:selanjutnya|berikutnya)?$",
        _I,
    ),
    "syndication_footer": re.compile(r"^Artikel ini telah (?:naik|tayang|terbit)\b", _I),
    "separator": re.compile(r"^(?:[-–—_=*•~.]\s*){3,}$"),
    "date_line": re.compile(
        r"^(?:[A-Z][A-Z ]{2,30}\s)?(?i:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad),?\s*)?"
        r"\d{1,2}[\s/.-]+(?:\d{1,2}|[A-Za-z]{3,9})[\s/.-]+\d{4}\W{0,4}(?i:pukul\s*)?"
        r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?i:WIB|WITA|WIT)?\W{0,3}$",
    ),
    "editor_initials": re.compile(rf"^{_INITIALS}$"),
    "lihat_foto": re.compile(r"^lihat foto$", _I),
    "copyright": re.compile(r"^(?:copyright|hak cipta)\b|^©", _I),
    "comment_count": re.compile(r"^\d*\s*(?:komentar|comments?)$", _I),
    # social and newsletter prompts
    "social_prompt": re.compile(
        r"^(?=.{0,250}$).*(?:google news|whatsapp channel|saluran whatsapp|channel whatsapp|"
        r"telegram channel|newsletter)",
        _I,
    ),
    "follow_prompt": re.compile(
        r"^(?:ikuti (?:kami|kanal|berita|akun)|follow\b|dapatkan (?:update|berita|informasi)|"
        r"jangan sampai ketinggalan|cek berita dan artikel|share (?:on|article)\b)",
        _I,
    ),
}

#: Editor initials left after a line break at the end of a paragraph's text.
TRAILING_INITIALS = re.compile(rf"\n\s*{_INITIALS}\s*$")
#: A last paragraph that is only a name or agency in capitals ("DINI TEJA", "ANTARA") is the
#: writer's or source's credit line.
TRAILING_CREDIT = re.compile(r"^\(?[A-Z][A-Z.'/ -]{1,40}\)?$")


def collapse_whitespace(text: str) -> str:
    """Single spaces only (NBSP and other Unicode spaces count), trimmed.

    ``str.split()`` splits on exactly the characters ``\\s`` matches in a str pattern, and is
    several times faster than a regex substitution; extraction calls this thousands of times
    per page.
    """
    return " ".join(text.split())


#: The rule name of a paragraph that is only the label of a related list or of an ad slot
#: ("Baca Juga", "Berita Terkait", "ADVERTISEMENT"; the labels of
#: ``crawler/data/boilerplate.json``). Other labels ("Bagikan:", "KONTEN PROMOSI") are left to
#: the generic reader and to outlets that end a story at them.
WIDGET_LABEL = "widget_label"
CLEANED_LABEL_KINDS = frozenset({"related", "ads"})


def noise_rule(paragraph: str) -> str | None:
    """Name of the first noise rule that matches a collapsed paragraph, or None."""
    for name, pattern in NOISE_PARAGRAPHS.items():
        if pattern.search(paragraph):
            return name
    if boilerplate().label_kind(paragraph) in CLEANED_LABEL_KINDS:
        return WIDGET_LABEL
    return None


def clean_paragraphs(paragraphs: Iterable[str]) -> list[str]:
    """Decode entities, collapse whitespace and drop noise paragraphs, keeping order.

    The last paragraph is also dropped when it is only a credit in capitals.
    """
    cleaned: list[str] = []
    for raw in paragraphs:
        text = TRAILING_INITIALS.sub("", html.unescape(raw))
        text = collapse_whitespace(text)
        if text and noise_rule(text) is None:
            cleaned.append(text)
    if cleaned and TRAILING_CREDIT.match(cleaned[-1]):
        cleaned.pop()
    return cleaned
