"""Indicators from a CSV or XLSX file an organizer fills in before the day (the template is in
docs/frameworks.md, "Indicators from a file"): read the whole file, check every row, then
replace the indicators of the items the file names, all or nothing.

Hostile files are refused with a message and change nothing: a file past `FILE_LIMIT`, an XLSX
whose unpacked size passes `UNPACKED_LIMIT` (a zip bomb), more than `ROW_LIMIT` rows, a CSV that
is not UTF-8, a file that is neither. Formula cells are read as their text ("=SUM(A1)"), never
computed: in a number column that is "not a number"; as a name it stays text (and every export
keeps it text).
"""
from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..domain.framework import Framework
from ..domain.indicators import years_of
from ..errors import Refused
from ..store.models import IndicatorRow, WorkshopSession
from . import indicators
from .errors import LiveError

FILE_LIMIT = 1024 * 1024
UNPACKED_LIMIT = 16 * 1024 * 1024
ROW_LIMIT = 500
COLUMNS = ("criterion", "name", "unit", "direction", "target")
DIRECTION_WORDS = {"higher": "higher", "lower": "lower", "ยิ่งมากยิ่งดี": "higher",
                   "ยิ่งน้อยยิ่งดี": "lower", "มาก": "higher", "น้อย": "lower"}


class ImportRefused(Refused):
    """The file cannot be imported; the message says why (nothing was changed)."""


def template_csv(year: int) -> bytes:
    """The template: the header row and one example row (UTF-8 with a byte-order mark)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    years = [str(y) for y in years_of(year)]
    writer.writerow(list(COLUMNS) + years)
    writer.writerow(["7.2", "ร้อยละความพึงพอใจของผู้รับบริการ", "ร้อยละ", "higher", "85", "80", "84", "88"])
    return buffer.getvalue().encode("utf-8-sig")


def _cells(data: bytes, filename: str) -> list[list[Any]]:
    if len(data) > FILE_LIMIT:
        raise ImportRefused(f"the file is larger than {FILE_LIMIT // 1024} KB")
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _xlsx_cells(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("the file is neither an XLSX workbook nor UTF-8 CSV text") from None
    if "\x00" in text:
        raise ImportRefused("the file is neither an XLSX workbook nor UTF-8 CSV text")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_cells(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > UNPACKED_LIMIT:
                raise ImportRefused("the workbook unpacks to more than "
                                    f"{UNPACKED_LIMIT // (1024 * 1024)} MB")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except ImportRefused:
        raise
    except Exception:  # not a zip, not a workbook, broken XML: all the same to the organizer
        raise ImportRefused("the file is not a readable XLSX workbook") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > ROW_LIMIT + 1:
                break
        return rows
    finally:
        book.close()


def _number(value: Any) -> Any:
    """A cell as the service takes it: numbers stay numbers, text is read with a dot or comma."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        return str(value)  # refused by the check, naming the row


def read_rows(data: bytes, filename: str, year: int) -> list[dict[str, Any]]:
    """Every row of the file as indicator fields, or ImportRefused naming the first bad one."""
    rows = [r for r in _cells(data, filename) if any(c not in (None, "") for c in r)]
    if not rows:
        raise ImportRefused("the file is empty")
    if len(rows) > ROW_LIMIT + 1:
        raise ImportRefused(f"at most {ROW_LIMIT} indicators in one file")
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRefused(f"the first row must name the columns {', '.join(COLUMNS)} and the fiscal"
                            f" years; missing: {', '.join(missing)}")
    years = [str(y) for y in years_of(year)]
    unknown = [c for c in header if c and c not in COLUMNS and c not in years]
    if unknown:
        raise ImportRefused(f"unknown column(s) {', '.join(unknown)}: the columns are"
                            f" {', '.join(COLUMNS)} and the fiscal years {', '.join(years)}")
    found = []
    for number, row in enumerate(rows[1:], start=2):
        cell = dict(zip(header, row))
        direction = DIRECTION_WORDS.get(str(cell.get("direction") or "higher").strip().lower(),
                                        str(cell.get("direction")))
        found.append({"row": number, "criterion": str(cell.get("criterion") or "").strip(),
                      "name": "" if cell.get("name") is None else str(cell["name"]),
                      "unit": "" if cell.get("unit") is None else str(cell["unit"]),
                      "direction": direction, "target": _number(cell.get("target")),
                      "values": {y: _number(cell.get(y)) for y in years if cell.get(y) not in (None, "")}})
    return found


def import_indicators(db: Session, session: WorkshopSession, framework: Framework, data: bytes,
                      filename: str) -> int:
    """Replace the indicators of every item the file names; returns how many were written."""
    year = indicators.current_year(session)
    rows = read_rows(data, filename, year)
    checked = []
    for row in rows:
        try:
            indicators.check_results_item(framework, row["criterion"])
            checked.append((row["criterion"], indicators.clean(row, year)))
        except LiveError as error:
            raise ImportRefused(f"row {row['row']}, {error.field}: {error.message}") from None
    codes = sorted({code for code, _ in checked})
    for code in codes:
        if sum(1 for c, _ in checked if c == code) > indicators.PER_ITEM_LIMIT:
            raise ImportRefused(f"at most {indicators.PER_ITEM_LIMIT} indicators for item {code}")
    db.execute(delete(IndicatorRow).where(IndicatorRow.session_id == session.id,
                                          IndicatorRow.criterion_code.in_(codes)))
    positions: dict[str, int] = {}
    for code, fields in checked:
        position = positions[code] = positions.get(code, -1) + 1
        db.add(IndicatorRow(session_id=session.id, criterion_code=code, position=position, **fields))
    db.flush()
    return len(checked)
