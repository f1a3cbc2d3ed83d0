"""The organizer's pages for a workshop of working groups, as an organizer uses them: creating
one from the form, every group's links, progress as JSON, settling a conflict, moving the
plenary, and the merged exports read back (each group's decisions, the conflict settled).
Login and the CSRF token are required everywhere; the plenary link is its own credential."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.group_data import DECIDED, GROUPS, make_grouped_workshop
from workshop.services import groups as group_service
from workshop.store.models import Settlement, Workshop, WorkshopSession

pytestmark = pytest.mark.usefixtures("lan")
SETTLE_NOTE = "หลักฐานของกลุ่ม ข ครบถ้วนกว่า"


@pytest.fixture
def made(store):
    return make_grouped_workshop(store)


def workshop_form(csrf: str, **overrides) -> dict:
    return {"csrf_token": csrf, "title": "สัมมนา PMQA 4.0 แบ่งกลุ่ม", "organization": "กรมตัวอย่าง",
            "held_on": "2026-11-05", "framework": "pmqa-4.0", "language": "th",
            "privacy": "anonymous", "roles": "ผู้บริหาร", "results_mode": "hidden",
            "groups": "กลุ่ม 1: 1, 2\nกลุ่ม 2: 3, 4.1, 4.2\n", **overrides}


def settle_form(organizer, made, **overrides) -> dict:
    return {"csrf_token": organizer.csrf, "criterion": "2.1", "session_id": made.group_ids[1],
            "note": SETTLE_NOTE, **overrides}


def test_an_organizer_creates_a_workshop_of_groups_from_the_form(organizer, store):
    form = organizer.get("/organizer/workshops/new?lang=en").get_data(as_text=True)
    assert 'name="groups"' in form and 'name="agenda"' not in form
    answer = organizer.post("/organizer/workshops", data=workshop_form(organizer.csrf))
    assert answer.status_code == 302
    with store.session() as db:
        (workshop,) = db.query(Workshop).all()
        assert [(g.group_name, len(g.agenda)) for g in workshop.groups] == [("กลุ่ม 1", 8), ("กลุ่ม 2", 6)]
        codes = [g.join_code for g in workshop.groups]
    page = organizer.get(answer.headers["Location"] + "?lang=en").get_data(as_text=True)
    for code in codes:
        assert f"/qr/{code}.svg" in page and f"/j/{code}" in page
    assert page.count("/facilitate/") == 2 and page.count("/projector/") == 2
    assert "/plenary/" in page
    group_page = organizer.get(f"/organizer/sessions/{workshop.groups[0].id}").get_data(as_text=True)
    assert f"/organizer/workshops/{workshop.id}" in group_page  # back to the whole workshop


@pytest.mark.parametrize("groups, says", [
    ("กลุ่ม 1 1, 2", "colon"),
    ("กลุ่ม 1: 1, 9.9\nกลุ่ม 2: 3", "9.9"),
    ("กลุ่ม 1: 1", "from 2 to 12"),
    ("กลุ่ม 1: 1\nกลุ่ม 1: 2", "same name"),
])
def test_bad_groups_are_refused_with_a_message_and_nothing_is_created(organizer, store, groups, says):
    answer = organizer.post("/organizer/workshops?lang=en",
                            data=workshop_form(organizer.csrf, groups=groups))
    assert answer.status_code == 400 and says in answer.get_data(as_text=True)
    with store.session() as db:
        assert db.query(Workshop).count() == 0 and db.query(WorkshopSession).count() == 0


def test_every_page_needs_the_organizers_login(client, made):
    for path in (f"/organizer/workshops/{made.id}", f"/organizer/workshops/{made.id}/progress.json",
                 f"/organizer/workshops/{made.id}/renew-plenary",
                 f"/organizer/workshops/{made.id}/download/csv-plan", "/organizer/workshops/new"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/organizer/login" in answer.headers["Location"]


def test_posts_without_the_csrf_token_change_nothing(organizer, store, made):
    for path, form in ((f"/organizer/workshops/{made.id}/settle", settle_form(organizer, made)),
                       (f"/organizer/workshops/{made.id}/plenary", {"step": "next"}),
                       ("/organizer/workshops", workshop_form(organizer.csrf))):
        form = {key: value for key, value in form.items() if key != "csrf_token"}
        assert organizer.post(path, data=form).status_code == 400
    with store.session() as db:
        assert db.query(Settlement).count() == 0 and db.query(Workshop).count() == 1
        assert db.get(Workshop, made.id).plenary_position == 0


def test_the_progress_json_shows_every_group(organizer, made):
    data = organizer.get(f"/organizer/workshops/{made.id}/progress.json").get_json()
    assert [g["name"] for g in data["groups"]] == [g.name for g in GROUPS]
    assert [g["decided"] for g in data["groups"]] == [2, 2]
    assert data["conflicts"] == ["2.1"] and data["unsettled"] == ["2.1"] and data["decided"] == 3


def test_exports_wait_until_the_conflict_is_settled(organizer, made):
    for kind in ("csv-plan", "xlsx", "json"):
        answer = organizer.get(f"/organizer/workshops/{made.id}/download/{kind}?lang=en")
        assert answer.status_code == 409
        assert "2.1" in answer.get_data(as_text=True) and "Nothing was exported" in answer.get_data(as_text=True)


def test_settling_without_a_note_is_refused_and_changes_nothing(organizer, store, made):
    answer = organizer.post(f"/organizer/workshops/{made.id}/settle?lang=en",
                            data=settle_form(organizer, made, note="  "), follow_redirects=True)
    assert "a note is needed" in answer.get_data(as_text=True)
    with store.session() as db:
        assert db.query(Settlement).count() == 0


def _settled(organizer, made):
    answer = organizer.post(f"/organizer/workshops/{made.id}/settle", data=settle_form(organizer, made))
    assert answer.status_code == 302
    data = organizer.get(f"/organizer/workshops/{made.id}/progress.json").get_json()
    assert data["conflicts"] == ["2.1"] and data["unsettled"] == []


def _download(organizer, made, kind):
    answer = organizer.get(f"/organizer/workshops/{made.id}/download/{kind}")
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
    return answer.data


def test_the_merged_plan_csv_and_workbook_say_which_group_decided_what(organizer, made):
    _settled(organizer, made)
    rows = list(csv.reader(io.StringIO(_download(organizer, made, "csv-plan").decode("utf-8-sig"))))
    header = rows[0]
    by_code = {row[header.index("ประเด็น")]: row for row in rows[1:]}
    group = header.index("กลุ่มย่อยที่ลงมติ")
    assert by_code["1.1"][group] == GROUPS[0].name and by_code["2.2"][group] == GROUPS[1].name
    assert by_code["2.1"][group].startswith(GROUPS[1].name) and SETTLE_NOTE in by_code["2.1"][group]
    assert GROUPS[0].name in by_code["2.1"][group]  # the group it was chosen over
    assert by_code["2.1"][header.index("ระดับปัจจุบัน")] == "3"  # group ข's level, not ก's 1
    book = load_workbook(io.BytesIO(_download(organizer, made, "xlsx")))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    assert any(SETTLE_NOTE in c for c in cells) and GROUPS[0].name in cells


def test_the_merged_word_plan_and_pdf_report_name_each_items_group(organizer, made):
    _settled(organizer, made)
    document = Document(io.BytesIO(_download(organizer, made, "docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert GROUPS[0].name in text and GROUPS[1].name in text and SETTLE_NOTE in text
    pdf = PdfReader(io.BytesIO(_download(organizer, made, "pdf")))
    pdf_text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    assert "กลุ่มกหมวด1" in pdf_text and "กลุ่มขหมวด2" in pdf_text


def test_the_merged_archive_holds_each_groups_own_archive_and_the_settlement(organizer, made):
    _settled(organizer, made)
    archive = json.loads(_download(organizer, made, "json"))
    assert archive["format"] == "workshop-groups-archive" and archive["checksum"].startswith("sha256:")
    assert [g["name"] for g in archive["groups"]] == [g.name for g in GROUPS]
    decided = {(g["name"], d["criterion_code"], d["agreed_level"])
               for g in archive["groups"] for d in g["archive"]["decisions"]}
    assert decided == {(GROUPS[i].name, code, agreed) for i, code, _, agreed, *_ in DECIDED}
    assert archive["merge"]["settlements"]["2.1"]["note"] == SETTLE_NOTE
    assert all(g["archive"]["format"] == "workshop-session-archive" for g in archive["groups"])


def test_the_organizer_moves_the_plenary_and_its_link_opens_only_with_its_key(organizer, client, store, made, app):
    organizer.post(f"/organizer/workshops/{made.id}/plenary", data={"csrf_token": organizer.csrf, "step": "next"})
    with store.session() as db:
        workshop = group_service.get(db, made.id)
        key = group_service.plenary_key(app.config["WORKSHOP"].secret_key, workshop)
        assert workshop.plenary_position == 1
    state = client.get(f"/plenary/{made.id}/{key}/state.json").get_json()
    assert state["position"] == 1 and state["total"] == 4  # the overview and three items
    other = key[:-1] + ("A" if key[-1] != "A" else "B")  # one character off
    assert client.get(f"/plenary/{made.id}/{other}").status_code == 404
    assert client.post(f"/plenary/{made.id}/wrong/step", json={"step": "next"}).status_code == 404
    assert client.post(f"/plenary/{made.id}/{key}/step", json={"step": "sideways"}).status_code == 400
    for _ in range(5):
        state = client.post(f"/plenary/{made.id}/{key}/step", json={"step": "next"}).get_json()
    assert state["position"] == 3  # stays on the last slide
    page = client.get(f"/plenary/{made.id}/{key}").get_data(as_text=True)
    assert "2.1" in page and GROUPS[1].name in page


def test_group_names_and_notes_are_escaped_on_every_page(organizer, store, client, app):
    from workshop import catalog
    from workshop.services import merge
    from workshop.services.groups import GroupSpec
    from workshop.services.sessions import SessionSettings

    bold = "<b>กลุ่ม</b>"
    with store.session() as db:
        workshop = group_service.create_workshop(
            db, catalog.get_framework("pmqa-4.0"), SessionSettings(title="<i>สัมมนา</i>"),
            [GroupSpec(bold, ("1",)), GroupSpec("<script>alert(1)</script>", ("2",))])
        workshop_id = workshop.id
        key = group_service.plenary_key(app.config["WORKSHOP"].secret_key, workshop)
        assert merge.outcomes(db, workshop) == []
    pages = [organizer.get(f"/organizer/workshops/{workshop_id}").get_data(as_text=True),
             organizer.get("/organizer").get_data(as_text=True),
             client.get(f"/plenary/{workshop_id}/{key}").get_data(as_text=True)]
    for page in pages:
        assert "<b>กลุ่ม" not in page and "<script>alert" not in page and "<i>สัมมนา" not in page
        assert "&lt;i&gt;สัมมนา" in page


def test_renewing_the_plenary_link_asks_first_then_the_old_link_is_refused(organizer, client, store, made, app):
    secret = app.config["WORKSHOP"].secret_key
    with store.session() as db:
        old = group_service.plenary_key(secret, group_service.get(db, made.id))
        group_keys = {g.id: g.link_nonce for g in group_service.get(db, made.id).groups}
    assert client.get(f"/plenary/{made.id}/{old}").status_code == 200
    page = organizer.get(f"/organizer/workshops/{made.id}").get_data(as_text=True)
    assert f"/organizer/workshops/{made.id}/renew-plenary" in page
    confirm = organizer.get(f"/organizer/workshops/{made.id}/renew-plenary")
    assert confirm.status_code == 200 and "<form" in confirm.get_data(as_text=True)
    assert organizer.post(f"/organizer/workshops/{made.id}/renew-plenary").status_code == 400  # no CSRF token
    assert client.get(f"/plenary/{made.id}/{old}").status_code == 200  # asking changed nothing
    done = organizer.post(f"/organizer/workshops/{made.id}/renew-plenary", data={"csrf_token": organizer.csrf})
    assert done.status_code == 302
    with store.session() as db:
        workshop = group_service.get(db, made.id)
        new = group_service.plenary_key(secret, workshop)
        assert {g.id: g.link_nonce for g in workshop.groups} == group_keys  # the groups' links stay
    assert new != old
    assert client.get(f"/plenary/{made.id}/{old}").status_code == 404
    assert client.get(f"/plenary/{made.id}/{old}/state.json").status_code == 404
    assert client.post(f"/plenary/{made.id}/{old}/step", json={"step": "next"}).status_code == 404
    assert client.get(f"/plenary/{made.id}/{new}").status_code == 200
    assert new in organizer.get(f"/organizer/workshops/{made.id}").get_data(as_text=True)


def _rows(sheet_) -> tuple[list, list[list]]:
    """A workbook sheet's header row (row 4) and the rows under it."""
    rows = [list(row) for row in sheet_.iter_rows(min_row=4, values_only=True)]
    return rows[0], rows[1:]


def test_both_groups_rounds_of_the_conflicting_item_say_which_group_held_them(organizer, made):
    from tests.workbooks import sheet

    _settled(organizer, made)
    first, second = GROUPS[0].name, GROUPS[1].name  # ก voted 2.1 all 1, ข all 3; ข's decision stands
    book = load_workbook(io.BytesIO(_download(organizer, made, "xlsx")))
    header, rows = _rows(sheet(book, "Results"))
    round_col, group_col = header.index("รอบ"), header.index("กลุ่มย่อย")
    level_1 = next(n for n, h in enumerate(header) if str(h).startswith("1 "))
    level_3 = next(n for n, h in enumerate(header) if str(h).startswith("3 "))
    assert [(row[round_col], row[level_1], row[level_3], row[group_col]) for row in rows if row[0] == "2.1"] == [
        (1, 3, 0, first), (2, 0, 3, second)]
    header, rows = _rows(sheet(book, "Votes"))
    votes = sorted((row[header.index("ระดับ")], row[header.index("กลุ่มย่อย")]) for row in rows if row[0] == "2.1")
    assert votes == [(1, first)] * 3 + [(3, second)] * 3
    header, rows = _rows(sheet(book, "Participation"))
    assert f"ลงคะแนน 2.1 รอบ 1 · {first}" in header and f"ลงคะแนน 2.1 รอบ 2 · {second}" in header
    voted = list(csv.DictReader(io.StringIO(_download(organizer, made, "csv-votes").decode("utf-8-sig"))))
    assert sorted((row["ระดับ"], row["กลุ่มย่อย"]) for row in voted if row["ประเด็น"] == "2.1") == \
        [("1", first)] * 3 + [("3", second)] * 3
    pdf = PdfReader(io.BytesIO(_download(organizer, made, "pdf")))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pdf.pages))
    results_section = text.split("สรุปผลรายหมวด")[0].split("2.1", 1)[1]
    assert re.sub(r"\s+", "", first) in results_section and re.sub(r"\s+", "", second) in results_section


def _every_row(store, session_ids) -> dict[str, int]:
    from tests.test_dashboard import rows_of
    from workshop.store.models import ChecklistAnswer, IndicatorRow, Round

    found = {}
    for session_id in session_ids:
        for table, count in rows_of(store, session_id).items():
            found[table] = found.get(table, 0) + count
    with store.session() as db:
        found["answers"] = db.query(ChecklistAnswer).join(Round).filter(Round.session_id.in_(session_ids)).count()
        found["indicators"] = db.query(IndicatorRow).filter(IndicatorRow.session_id.in_(session_ids)).count()
    return found


def test_deleting_a_workshop_asks_for_its_title_then_every_group_and_row_goes_and_other_sessions_stay(
        organizer, store, made, app):
    from tests.workshop_data import make_workshop
    from workshop.services import merge

    other = make_workshop(store)  # a session on its own that keeps everything
    kept = _every_row(store, [other.session_id])
    with store.session() as db:
        merge.settle(db, group_service.get(db, made.id), "2.1", made.group_ids[1], SETTLE_NOTE, "organizer")
    before = _every_row(store, made.group_ids)
    assert before["participants"] == 6 and before["votes"] == 12 and before["decisions"] == 4
    dashboard = organizer.get("/organizer").get_data(as_text=True)
    assert f"/organizer/workshops/{made.id}/delete" in dashboard
    asked = organizer.get(f"/organizer/workshops/{made.id}/delete?lang=en")
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "6 participants" in text and "12 votes" in text
    assert GROUPS[0].name in text and GROUPS[1].name in text
    with store.session() as db:
        title = group_service.get(db, made.id).title
    for form in ({"csrf_token": organizer.csrf, "title": "another title"},  # the wrong title
                 {"title": title}):  # no CSRF token
        assert organizer.post(f"/organizer/workshops/{made.id}/delete?lang=en", data=form).status_code == 400
    assert _every_row(store, made.group_ids) == before
    done = organizer.post(f"/organizer/workshops/{made.id}/delete",
                          data={"csrf_token": organizer.csrf, "title": f"  {title} "})
    assert done.status_code == 302
    assert all(count == 0 for count in _every_row(store, made.group_ids).values())
    with store.session() as db:
        assert db.query(Workshop).count() == 0 and db.query(Settlement).count() == 0
        assert [s.id for s in db.query(WorkshopSession)] == [other.session_id]
    assert _every_row(store, [other.session_id]) == kept
    assert organizer.get(f"/organizer/workshops/{made.id}").status_code == 404
    assert organizer.get(f"/organizer/workshops/{made.id}/delete").status_code == 404
