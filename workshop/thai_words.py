"""Thai words a browser must not break across lines.

Thai is written without spaces; browsers find line breaks with ICU's Thai dictionary, which
splits loanwords it does not know mid-word ("แดช / บอร์ด" on a 360 px phone, issue 11). The
words below (those of the catalog ICU splits) get an invisible WORD JOINER (U+2060) between
their parts, so a line breaks before or after them, never inside. Applied to the pages'
translated strings (workshop/i18n.py), never to what people type: a form that shows a value
back would otherwise send the joiner with it.
"""
from __future__ import annotations

import re

WORD_JOINER = "\u2060"
# each word as ICU splits it; the joiner goes between the parts
KEEP_WHOLE = (("แดช", "บอร์ด"), ("คิว", "อาร์", "โค้ด"), ("อัป", "โหลด"), ("เครือ", "ข่าย"))
_PATTERN = re.compile("|".join("".join(parts) for parts in KEEP_WHOLE))
_JOINED = {"".join(parts): WORD_JOINER.join(parts) for parts in KEEP_WHOLE}


def keep_whole(text: str) -> str:
    """`text` with each word of KEEP_WHOLE joined; Markup stays Markup (the joiner is no HTML)."""
    if not isinstance(text, str) or not _PATTERN.search(text):
        return text
    return type(text)(_PATTERN.sub(lambda found: _JOINED[found.group(0)], str(text)))
