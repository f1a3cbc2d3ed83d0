"""The organizer enters the indicators of the results items before the day: a form, a delete
button, the import of a CSV and of an XLSX file made from the template, all behind the login
and the form token; hostile files are refused whole and change nothing."""
from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from tests.test_organizer import create
from workshop.store.models import IndicatorRow, WorkshopSession

pytestmark = pytest.mark.usefixtures("lan")


@pytest.fixture
def session_id(organizer, store):
    create(organizer, held_on="2026-05-09")  # fiscal year 2569: the years shown are 2567-2569
    with store.session() as db:
        return db.query(WorkshopSession).one().id


def rows(store):
    with store.session() as db:
        return [(r.criterion_code, r.name, r.direction, r.target, r.values)
                for r in db.query(IndicatorRow).order_by(IndicatorRow.criterion_code, IndicatorRow.position)]


def page(organizer, session_id):
    return organizer.get(f"/organizer/sessions/{session_id}/indicators").get_data(as_text=True)


def add(organizer, session_id, **fields):
    form = {"csrf_token": organizer.csrf, "criterion": "7.1", "name": "ร้อยละการเบิกจ่ายงบประมาณ",
            "unit": "ร้อยละ", "direction": "higher", "target": "95", "y2567": "90", "y2568": "93",
            "y2569": "96", **fields}
    return organizer.post(f"/organizer/sessions/{session_id}/indicators", data=form)


def upload(organizer, session_id, data: bytes, name: str):
    return organizer.post(f"/organizer/sessions/{session_id}/indicators/import",
                          data={"csrf_token": organizer.csrf, "file": (io.BytesIO(data), name)},
                          content_type="multipart/form-data")


def test_an_indicator_typed_on_the_dashboard_shows_its_trend_and_suggestion(organizer, session_id, store):
    assert add(organizer, session_id).status_code == 302
    assert rows(store) == [("7.1", "ร้อยละการเบิกจ่ายงบประมาณ", "higher", 95.0,
                            {"2567": 90.0, "2568": 93.0, "2569": 96.0})]
    shown = page(organizer, session_id)
    assert "ร้อยละการเบิกจ่ายงบประมาณ" in shown and "แนวโน้มดีขึ้น" in shown
    assert "ผลลัพธ์บ่งชี้ระดับ 3" in shown  # one indicator, met and improving: every line holds


@pytest.mark.parametrize("fields, why", [
    ({"criterion": "1.1"}, "not a results item"),
    ({"target": "มาก"}, "target"),
    ({"name": "  "}, "name"),
    ({"direction": "up"}, "direction"),
    ({"name": "ร้อยละ\uffff"}, "U+FFFF"),      # the one rule for refused characters (domain/text.py)
    ({"unit": "ร้อยละ\x1b"}, "U+001B"),
])
def test_a_bad_indicator_form_is_explained_and_saves_nothing(organizer, session_id, store, fields, why):
    answer = add(organizer, session_id, **fields)
    assert answer.status_code == 400 and why in answer.get_data(as_text=True)
    assert rows(store) == []


def test_the_forms_need_a_login_and_the_form_token(client, organizer, session_id, store):
    assert add(organizer, session_id, csrf_token="forged").status_code == 400
    assert organizer.post("/organizer/logout", data={"csrf_token": organizer.csrf}).status_code == 302
    stranger = add(organizer, session_id)
    assert stranger.status_code in (302, 400) and "/login" in stranger.headers.get("Location", "/login")
    assert rows(store) == []


def test_a_csv_from_the_template_replaces_the_items_indicators(organizer, session_id, store):
    template = organizer.get(f"/organizer/sessions/{session_id}/indicators/template.csv")
    text = template.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == "criterion,name,unit,direction,target,2567,2568,2569"
    add(organizer, session_id, criterion="7.2", name="ตัวชี้วัดเดิม")
    csv_file = (text.splitlines()[0] + "\r\n"
                "7.2,ความพึงพอใจของผู้รับบริการ,ร้อยละ,ยิ่งมากยิ่งดี,85,80,84,88\r\n"
                "7.2,\"=HYPERLINK(\"\"http://x\"\")\",นาที,lower,15,20,,16\r\n").encode("utf-8-sig")
    assert upload(organizer, session_id, csv_file, "indicators.csv").status_code == 302
    assert rows(store) == [
        ("7.2", "ความพึงพอใจของผู้รับบริการ", "higher", 85.0, {"2567": 80.0, "2568": 84.0, "2569": 88.0}),
        ("7.2", '=HYPERLINK("http://x")', "lower", 15.0, {"2567": 20.0, "2569": 16.0})]
    assert upload(organizer, session_id, csv_file, "indicators.csv").status_code == 302
    assert len(rows(store)) == 2  # the same file again: the same indicators, not twice


def test_an_xlsx_is_read_and_its_formula_cells_are_text_never_computed(organizer, session_id, store):
    book = Workbook()
    sheet = book.active
    sheet.append(["criterion", "name", "unit", "direction", "target", "2567", "2568", "2569"])
    sheet.append(["7.3", "=1+1", "ร้อยละ", "higher", 80, 70, 75, 82])
    buffer = io.BytesIO()
    book.save(buffer)
    assert upload(organizer, session_id, buffer.getvalue(), "ตัวชี้วัด.xlsx").status_code == 302
    assert rows(store) == [("7.3", "=1+1", "higher", 80.0, {"2567": 70.0, "2568": 75.0, "2569": 82.0})]
    sheet["E2"] = "=SUM(F2:H2)"  # a formula where a number belongs is refused, not computed
    buffer = io.BytesIO()
    book.save(buffer)
    refused = upload(organizer, session_id, buffer.getvalue(), "ตัวชี้วัด.xlsx")
    assert refused.status_code == 400 and "row 2, target" in refused.get_data(as_text=True)
    assert rows(store)[0][3] == 80.0  # unchanged


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize("data, name, why", [
    (b"\xff\xfe\x00t\x00h", "x.csv", "neither an XLSX workbook nor UTF-8"),
    (b"PK\x03\x04 broken", "x.xlsx", "not a readable XLSX workbook"),
    (_bomb(), "bomb.xlsx", "unpacks to more than"),
    (b"name,target\r\nx,1\r\n", "x.csv", "missing: criterion"),
    (b"criterion,name,unit,direction,target,2560\r\n7.1,x,,higher,1,5\r\n", "x.csv", "unknown column(s) 2560"),
    ("criterion,name,unit,direction,target\r\n".encode() + b"7.1,x,,higher,1\r\n" * 600, "x.csv", "at most 500"),
])
def test_a_hostile_or_broken_file_is_refused_whole_and_changes_nothing(organizer, session_id, store,
                                                                       data, name, why):
    add(organizer, session_id)
    before = rows(store)
    answer = upload(organizer, session_id, data, name)
    assert answer.status_code == 400 and why in answer.get_data(as_text=True), answer.get_data(as_text=True)[:3000]
    assert rows(store) == before


def test_deleting_a_session_deletes_its_indicators(organizer, session_id, store):
    from workshop.services.sessions import delete_session
    add(organizer, session_id)
    with store.session() as db:
        assert delete_session(db, session_id)
    assert rows(store) == []
