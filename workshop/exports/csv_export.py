"""CSV exports of the plan and of the votes: UTF-8 with a byte-order mark, so Excel shows Thai.

Rows come from tables.py; empty cells are empty strings, decimals use a dot, times are Bangkok
time written "2026-05-09 09:02"; text a spreadsheet would run as a formula (starting with =, +,
-, @, a tab or a carriage return) is written after an apostrophe.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from .tables import Table, indicators_table, plan_table, votes_table

CSV_WHATS = ("plan", "votes", "indicators")
TIME_FORMAT = "%Y-%m-%d %H:%M"


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_printed(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _printed(cell: Any) -> Any:
    if cell is None:
        return ""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell  # a spreadsheet opening the file shows it, never runs it
    return cell.strftime(TIME_FORMAT) if isinstance(cell, datetime) else cell


def plan_csv(snapshot: dict[str, Any]) -> bytes:
    """The draft plan, one row per item in rank order, then the criteria still open."""
    return table_csv(plan_table(snapshot))


def votes_csv(snapshot: dict[str, Any]) -> bytes:
    """One row per vote; names only when the session is named; roles kept."""
    return table_csv(votes_table(snapshot))


def export_csv(snapshot: dict[str, Any], what: str = "plan") -> bytes:
    if what not in CSV_WHATS:
        raise ValueError(f"a CSV export is one of {', '.join(CSV_WHATS)}, not {what!r}")
    if what == "indicators":
        return table_csv(indicators_table(snapshot))
    return plan_csv(snapshot) if what == "plan" else votes_csv(snapshot)
