"""What text typed by people may hold: the one rule for characters that cannot be stored.

Text from participants, facilitators and organizers is data. It may hold any letter, mark,
digit, symbol or space of any script (Thai included, with its zero-width spaces), but not:
- control characters (Unicode category Cc: NUL, bell, escape, DEL, C1 ...), except the line
  breaks and tabs a multi-line box holds (`\\n`, `\\r`, `\\t`, multi-line fields only);
- lone surrogates (category Cs), which are not text and cannot be written as UTF-8;
- U+FFFE and U+FFFF, which XML (hence XLSX and DOCX) cannot carry.

`refused_characters(text, multiline=...)` lists what a field refuses (the input boundary:
socket payloads, forms, the plan editor, the CLI, archives); `strip_refused(text)` removes
what is already stored when an export reads it (services/export_data.py), so old data never
breaks a download. Both are this one rule, here.
"""
from __future__ import annotations

import unicodedata

LINE_WHITESPACE = "\n\r\t"  # what a multi-line box may hold besides ordinary text
NONCHARACTERS = "\ufffe\uffff"
REFUSED_CATEGORIES = ("Cc", "Cs")


def _refused(ch: str, allowed: str) -> bool:
    if ch in allowed:
        return False
    return ch in NONCHARACTERS or unicodedata.category(ch) in REFUSED_CATEGORIES


def refused_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of `text` a field refuses, in order, each once (empty when it is fine)."""
    allowed = LINE_WHITESPACE if multiline else ""
    return list(dict.fromkeys(ch for ch in text if _refused(ch, allowed)))


def describe(characters: list[str]) -> str:
    """`U+0007, U+001B`: refused characters named so a person can find them."""
    return ", ".join(f"U+{ord(ch):04X}" for ch in characters)


def refusal(text: str, *, multiline: bool = False) -> str | None:
    """A short reason when `text` holds refused characters, else None."""
    found = refused_characters(text, multiline=multiline)
    if not found:
        return None
    return f"holds control characters that cannot be stored ({describe(found)})"


def strip_refused(text: str) -> str:
    """`text` without the characters no field accepts (line breaks and tabs are kept)."""
    if text.isprintable():  # the common case: nothing to look at
        return text
    return "".join(ch for ch in text if not _refused(ch, LINE_WHITESPACE))
