"""CSV exports of the plan, the votes, the checklist lines and the indicators: UTF-8 with a
byte-order mark, so Excel shows Thai.

Rows come from tables.py; empty cells are empty strings, decimals use a dot, times are Bangkok
time written "2026-05-09 09:02", and text that a spreadsheet would run as a formula starts
with a single quote (formulas.py).
"""
from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from .checklist_rows import checklist_table
from .formulas import csv_cell
from .tables import Table, indicators_table, plan_table, votes_table

CSV_WHATS = ("plan", "votes", "checklist", "indicators")
TIME_FORMAT = "%Y-%m-%d %H:%M"


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(_printed(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _printed(cell: Any) -> Any:
    return cell.strftime(TIME_FORMAT) if isinstance(cell, datetime) else cell


def plan_csv(export_data: dict[str, Any]) -> bytes:
    """The draft plan, one row per item in rank order, then the criteria still open."""
    return table_csv(plan_table(export_data))


def votes_csv(export_data: dict[str, Any]) -> bytes:
    """One row per vote; names only when the session is named; roles kept."""
    return table_csv(votes_table(export_data))


def export_csv(export_data: dict[str, Any], what: str = "plan") -> bytes:
    if what not in CSV_WHATS:
        raise ValueError(f"a CSV export is one of {', '.join(CSV_WHATS)}, not {what!r}")
    if what == "checklist":
        return table_csv(checklist_table(export_data))
    if what == "indicators":
        return table_csv(indicators_table(export_data))
    return plan_csv(export_data) if what == "plan" else votes_csv(export_data)
