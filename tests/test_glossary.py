"""The Thai catalog and the exports' Thai labels follow docs/glossary.md.

The glossary's "not" column is the single list of words a Thai screen or export must not use;
these tests read it from the page itself, so changing the rule means changing the doc.
"""
import re

from babel.messages.pofile import read_po

from workshop.config import PROJECT_ROOT
from workshop.exports.labels import LABELS

GLOSSARY = PROJECT_ROOT / "docs" / "glossary.md"
CATALOG = PROJECT_ROOT / "workshop" / "translations" / "th" / "LC_MESSAGES" / "messages.po"


def _glossary_lines():
    return GLOSSARY.read_text(encoding="utf-8").splitlines()


def forbidden_words():
    """Words of the "not" columns; entries qualified in parentheses or quotes need a reader."""
    words = set()
    for line in _glossary_lines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or line.startswith("|---") or cells[0] == "concept":
            continue
        for entry in re.split(r"[,/]", cells[-1]):
            entry = entry.strip().removesuffix(" in Thai text")
            if entry and not re.search(r"[()\"]", entry):
                words.add(entry)
    return words


def allowed_compounds():
    line = next(l for l in _glossary_lines() if l.startswith("Allowed compounds:"))
    return [w.strip() for w in line.removeprefix("Allowed compounds:").split(",") if w.strip()]


def words_against_the_glossary(text):
    for compound in allowed_compounds():
        text = text.replace(compound, " ")
    return sorted(w for w in forbidden_words() if re.search(_as_a_word(w), text))


def _as_a_word(word):
    """Thai is written without spaces, so a Thai word is found anywhere; a Latin one (KPI, Q)
    only standing alone, not inside IQR or PMQA."""
    if word.isascii():
        return rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])"
    return re.escape(word)


def thai_msgstrs():
    with CATALOG.open("rb") as handle:
        for message in read_po(handle):
            if message.id:
                strings = [message.string] if isinstance(message.string, str) else message.string
                yield message.id, " ".join(strings)


def test_the_glossary_lists_the_words_a_reviewer_looks_for():
    words = forbidden_words()
    assert {"โหวต", "คุณ", "เวิร์กช็อป", "ไอเดีย", "KPI"} <= words
    assert not any("(" in w for w in words)
    assert words_against_the_glossary("กรุณาโหวตเลยค่ะ คุณ") == ["คุณ", "โหวต"]
    assert words_against_the_glossary("ขอบคุณ เกณฑ์คุณภาพ ส่วนราชการ IQR PMQA") == []
    assert words_against_the_glossary("เช่น Q1/2570") == ["Q"]


def test_every_thai_message_speaks_in_the_register_of_government_work():
    offending = {msgid: words_against_the_glossary(text) for msgid, text in thai_msgstrs()}
    assert {msgid: words for msgid, words in offending.items() if words} == {}


def test_every_thai_export_label_speaks_in_the_register_of_government_work():
    offending = {key: words_against_the_glossary(text) for key, text in LABELS["th"].items()}
    assert {key: words for key, words in offending.items() if words} == {}
