"""Control characters out of text: what a page may carry that no reader of a feed should get.

Pages carry NUL, BEL, terminal escape sequences (``ESC [ 31 m``) and lone UTF-16 surrogates
(from JSON-LD ``\\ud800`` escapes). They garble a terminal, break line-based layouts and make
UTF-8 writers fail, so the item pipeline and the clipping writer strip them. Whitespace
controls (tab, line feed, vertical tab, form feed, carriage return, next line) are kept:
callers turn them into spaces or line breaks as their format needs.
"""

from __future__ import annotations

import re

#: Terminal escape sequences (CSI ``ESC [ ... m`` or its 8-bit form, OSC ``ESC ] ... BEL``,
#: two-character ``ESC x``): removed whole, so no ``[31m`` is left behind.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[@-Z\\-_]"
)
#: C0 and C1 controls except the whitespace ones (tab, line feed, vertical tab, form feed,
#: carriage return, next line), DEL, lone surrogates and the two non-characters.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control_characters(text: str) -> str:
    """``text`` without escape sequences and non-whitespace control characters."""
    # Most text: one scan. Every control character, surrogate and non-character is
    # unprintable (and so is every escape sequence, which opens with one); isprintable is the
    # faster scan, and a line break or NBSP sends the text on to the exact one.
    if text.isprintable() or not _CONTROL_CHARACTERS.search(text):
        return text
    return _CONTROL_CHARACTERS.sub("", _ESCAPE_SEQUENCE.sub("", text))
