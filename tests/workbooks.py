"""The exported workbook's sheets by their English names, whatever the session's language.

The sheets are named in the session's language (labels.py, "sheet_*", translated through the
catalog with the context "workbook sheet"); tests say
`sheet(book, "Plan")` and get แผนพัฒนาองค์การ from a Thai workbook, Plan from an English one.
"""
from __future__ import annotations

from workshop.exports.labels import labels

LANGUAGES = ("th", "en")
SHEET_KEYS = {name: key for key, name in labels("en").items() if key.startswith("sheet_")}


def sheet_names(lang: str) -> list[str]:
    """Every sheet name of a workbook in `lang`, in the workbook's order."""
    words = labels(lang)
    return [words[key] for key in SHEET_KEYS.values()]


def sheet(book, english_name: str):
    """The sheet called `english_name` in an English workbook, in either language's workbook."""
    key = SHEET_KEYS[english_name]
    for words in map(labels, LANGUAGES):
        if words[key] in book.sheetnames:
            return book[words[key]]
    raise KeyError(f"no {english_name!r} sheet among {book.sheetnames}")
