"""What a spreadsheet would run as a formula, and how the spreadsheet exports keep it text.

A vote note, an idea, a name, a role or a plan target typed as `=HYPERLINK(...)`, `+1+1`,
`-2+3` or `@SUM(...)` is data, never a formula (OWASP "CSV injection"). The text cells that
start with one of `FORMULA_STARTS` are:
- in CSV, prefixed with a single quote (`'=1+1`), which spreadsheets show as text;
- in XLSX, written as string cells marked "quote prefix" (what Excel itself does when a
  person types `'=1+1`), so the cell shows exactly what was typed and never runs.
Numbers stay numbers: only text is looked at, so a negative level or gap is still a number
organizers can sort and sum.
"""
from __future__ import annotations

from typing import Any

# OWASP's list (= + - @, tab, carriage return) and the full-width forms some
# spreadsheets also accept as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def could_run(value: Any) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell: empty for None, a quote before text that could run."""
    if value is None:
        return ""
    return "'" + value if could_run(value) else value
