"""The Excel workbook of a session: Plan, Upgrade plan (3 years), Action plan (the fiscal year's
quarters), Categories, Results, Votes, Checklist, Ideas, Indicators, Participation; the sheets
are named in the session's language (labels.py: แผนพัฒนาองค์การ, … in Thai).

Each sheet opens with a title block (what the sheet is, the session, organization and the date
in the session's language, Buddhist era in Thai), then a header row that stays frozen while
scrolling and carries an auto-filter, then the rows of tables.py. Long Thai text wraps in
wide columns; numbers stay numbers so organizers can sort and sum them. Every cell is written
through `_put`, so text that looks like a formula stays text (formulas.py).
"""
from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import format_date
from .figures import framework_of, plan_of, plan_year_of
from .formulas import could_run
from .labels import labels
from .checklist_rows import checklist_table
from .tables import (Table, action_plan_table, categories_table, ideas_table, indicators_table,
                     language, participation_table, plan_table, results_table, upgrade_table, votes_table)

HEADER_ROW = 4
HEADER_FILL = PatternFill("solid", start_color="DDE7F0")
WIDE_COLUMN = 48
MAX_WIDTH = 28
MIN_WIDTH = 8
TIME_FORMAT = "yyyy-mm-dd hh:mm"  # Bangkok time (tables.py), a real date-time Excel can sort


def export_xlsx(export_data: dict[str, Any]) -> bytes:
    """The workbook's bytes."""
    framework = framework_of(export_data)
    plan = plan_of(export_data, framework)
    words = labels(language(export_data))
    sheets = [
        (words["sheet_plan"], words["plan_title"], plan_table(export_data, framework, plan)),
        (words["sheet_upgrade"], words["upgrade_section"], upgrade_table(export_data, framework, plan)),
        (words["sheet_action_plan"], f"{words['action_plan_section']} {plan_year_of(export_data)}",
         action_plan_table(export_data, framework, plan)),
        (words["sheet_categories"], words["categories_title"], categories_table(export_data, framework, plan)),
        (words["sheet_results"], words["results_title"], results_table(export_data, framework)),
        (words["sheet_votes"], words["votes_title"], votes_table(export_data, framework)),
        (words["sheet_checklist"], words["checklist_title"], checklist_table(export_data, framework)),
        (words["sheet_ideas"], words["ideas_title"], ideas_table(export_data, framework, plan)),
        (words["sheet_indicators"], words["indicators_title"], indicators_table(export_data, framework)),
        (words["sheet_participation"], words["participation_title"], participation_table(export_data)),
    ]
    book = Workbook()
    book.remove(book.active)
    for name, title, table in sheets:
        _sheet(book.create_sheet(name), title, table, export_data)
    session = export_data["session"]
    book.properties.title = f"{words['plan_title']}: {session['title']}"
    book.properties.creator = session["organization"] or "workshop"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _subtitle(export_data: dict[str, Any]) -> str:
    session, lang = export_data["session"], language(export_data)
    words = labels(lang)
    parts = [session["title"]]
    if session["organization"]:
        parts.append(f"{words['organization']}: {session['organization']}")
    if session["held_on"]:
        parts.append(f"{words['held_on']}: {format_date(date.fromisoformat(session['held_on']), lang)}")
    return " · ".join(parts)


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one cell: text that a spreadsheet would run is kept as a quote-prefixed string."""
    cell = sheet.cell(row=row, column=column, value=value)
    if could_run(value) or cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _sheet(sheet: Worksheet, title: str, table: Table, export_data: dict[str, Any]) -> None:
    _put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    _put(sheet, 2, 1, _subtitle(export_data))
    for column, header in enumerate(table.headers, start=1):
        cell = _put(sheet, HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for offset, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = _put(sheet, HEADER_ROW + offset, column, value)
            cell.alignment = wrap if column - 1 in table.wide or _multiline(value) else top
            if isinstance(value, datetime):
                cell.number_format = TIME_FORMAT
    last = get_column_letter(max(1, len(table.headers)))
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(1, len(table.rows))}"
    _widths(sheet, table)


def _multiline(value: Any) -> bool:
    return isinstance(value, str) and "\n" in value


def _widths(sheet: Worksheet, table: Table) -> None:
    for index, header in enumerate(table.headers):
        letter = get_column_letter(index + 1)
        if index in table.wide:
            sheet.column_dimensions[letter].width = WIDE_COLUMN
            continue
        longest = max([len(str(header)) // 2 + 2] +
                      [len(str(row[index])) + 2 for row in table.rows if row[index] is not None])
        sheet.column_dimensions[letter].width = max(MIN_WIDTH, min(MAX_WIDTH, longest))
