"""Every organizer form read through its Flask-WTF class: a post without the form token is
refused and changes nothing, and a bad value (too long, not one of the choices, empty, a file
of the wrong type or size) is shown to the organizer, next to its field, and changes nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tests.group_data import make_grouped_workshop
from tests.test_dashboard_compare_import import sessions_count, upload as upload_archive
from tests.test_dashboard_indicators import add as add_indicator, rows as indicator_rows
from tests.test_dashboard_indicators import upload as upload_indicators
from tests.test_groups_pages import settle_form, workshop_form
from tests.test_organizer import new_session_form, sessions_in
from workshop.domain import limits
from workshop.services.indicator_import import FILE_LIMIT
from workshop.store.models import IndicatorRow, Settlement, Workshop, WorkshopSession

pytestmark = pytest.mark.usefixtures("lan")
GOOD_CSV = ("criterion,name,unit,direction,target\r\n"
            "7.1,ร้อยละการเบิกจ่ายงบประมาณ,ร้อยละ,higher,95\r\n").encode("utf-8")


def without_token(form: dict) -> dict:
    return {key: value for key, value in form.items() if key != "csrf_token"}


@pytest.fixture(autouse=True)
def in_english(organizer):
    """The organizer reads the pages in English (the `lang` cookie) unless a test asks for Thai."""
    organizer.get("/organizer?lang=en")


@pytest.fixture
def made(store):
    return make_grouped_workshop(store)


@pytest.fixture
def session_id(organizer, store):
    answer = organizer.post("/organizer/sessions", data=new_session_form(organizer.csrf,
                                                                          held_on="2026-05-09"))
    assert answer.status_code == 302
    with store.session() as db:
        return db.scalar(select(WorkshopSession.id))


def workshops_count(store) -> int:
    with store.session() as db:
        return db.scalar(select(func.count()).select_from(Workshop))


# --- a new session, a new workshop of working groups -------------------------------------------

@pytest.mark.parametrize("field, value, message", [
    ("title", "ก" * (limits.SESSION_TITLE + 1), f"At most {limits.SESSION_TITLE} characters"),
    ("organization", "ก" * (limits.SESSION_TITLE + 1), f"At most {limits.SESSION_TITLE} characters"),
    ("title", "", "A session needs a title"),
    ("language", "fr", "Choose Thai or English"),
    ("privacy", "", "Choose anonymous or named"),
    ("title", "การประชุม\x1b", "characters that cannot be stored"),
])
def test_a_new_session_with_a_bad_value_shows_it_beside_the_field_and_creates_nothing(
        organizer, store, field, value, message):
    answer = organizer.post("/organizer/sessions?lang=en",
                            data=new_session_form(organizer.csrf, **{field: value}))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and sessions_in(store) == []
    assert f'id="{field}-error"' in page and message in page.split(f'id="{field}-error"')[1][:300]


def test_a_new_session_without_the_form_token_is_refused_and_creates_nothing(organizer, store):
    answer = organizer.post("/organizer/sessions", data=without_token(new_session_form("")))
    assert answer.status_code == 400 and sessions_in(store) == []


def test_the_session_form_is_shown_again_in_thai_with_what_was_typed(organizer, store):
    answer = organizer.post("/organizer/sessions?lang=th", data=new_session_form(
        organizer.csrf, title="ประเมินตนเอง", results_mode="sometimes"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "กรุณาเลือกว่าห้องจะเห็นผลเมื่อใด" in page
    assert 'value="ประเมินตนเอง"' in page and sessions_in(store) == []


@pytest.mark.parametrize("field, value, message", [
    ("title", "ก" * (limits.SESSION_TITLE + 1), f"At most {limits.SESSION_TITLE} characters"),
    ("privacy", "everyone", "Choose anonymous or named"),
    ("groups", "กลุ่ม 1: 1\x00\nกลุ่ม 2: 2", "characters that cannot be stored"),
])
def test_a_new_workshop_with_a_bad_value_shows_it_and_creates_nothing(organizer, store, field, value, message):
    answer = organizer.post("/organizer/workshops?lang=en",
                            data=workshop_form(organizer.csrf, **{field: value}))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page and f'id="{field}-error"' in page
    assert workshops_count(store) == 0 and sessions_in(store) == []


def test_a_new_workshop_without_the_form_token_is_refused(organizer, store):
    answer = organizer.post("/organizer/workshops", data=without_token(workshop_form("")))
    assert answer.status_code == 400 and workshops_count(store) == 0


# --- indicators: the form, the file, the remove button ----------------------------------------

@pytest.mark.parametrize("fields, message", [
    ({"name": "ก" * (limits.INDICATOR_NAME + 1)}, f"At most {limits.INDICATOR_NAME} characters"),
    ({"unit": "ก" * (limits.INDICATOR_UNIT + 1)}, f"At most {limits.INDICATOR_UNIT} characters"),
    ({"direction": "up"}, "Choose whether a higher or a lower value is better"),
])
def test_an_indicator_with_a_bad_value_is_shown_beside_its_field_and_not_saved(
        organizer, session_id, store, fields, message):
    answer = add_indicator(organizer, session_id, **fields)
    page = answer.get_data(as_text=True)
    [field] = fields
    assert answer.status_code == 400 and f'id="ind-{field}-error"' in page
    assert message in page.split(f'id="ind-{field}-error"')[1][:300]
    assert indicator_rows(store) == []


def test_an_indicator_without_the_form_token_is_not_saved(organizer, session_id, store):
    answer = organizer.post(f"/organizer/sessions/{session_id}/indicators",
                            data={"criterion": "7.1", "name": "x", "direction": "higher", "target": "1"})
    assert answer.status_code == 400 and indicator_rows(store) == []


@pytest.mark.parametrize("data, name, message", [
    (GOOD_CSV, "indicators.txt", "Choose a CSV or XLSX file made from the template"),
    (GOOD_CSV, "indicators.exe", "Choose a CSV or XLSX file made from the template"),
    (b"", "indicators.csv", f"empty or larger than {FILE_LIMIT // 1024} KB"),
    (GOOD_CSV + b"," * FILE_LIMIT, "indicators.csv", f"empty or larger than {FILE_LIMIT // 1024} KB"),
])
def test_an_indicator_file_of_the_wrong_type_or_size_is_refused_and_changes_nothing(
        organizer, session_id, store, data, name, message):
    answer = upload_indicators(organizer, session_id, data, name)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'id="ind-file-error"' in page and message in page
    assert indicator_rows(store) == []


def test_an_indicator_file_without_the_form_token_changes_nothing(organizer, session_id, store):
    answer = organizer.post(f"/organizer/sessions/{session_id}/indicators/import",
                            data={"file": (io.BytesIO(GOOD_CSV), "indicators.csv")},
                            content_type="multipart/form-data")
    assert answer.status_code == 400 and indicator_rows(store) == []


def test_removing_an_indicator_needs_the_form_token(organizer, session_id, store):
    assert add_indicator(organizer, session_id).status_code == 302
    with store.session() as db:
        indicator_id = db.scalar(select(IndicatorRow.id))
    path = f"/organizer/sessions/{session_id}/indicators/{indicator_id}/delete"
    assert organizer.post(path).status_code == 400 and len(indicator_rows(store)) == 1
    assert organizer.post(path, data={"csrf_token": organizer.csrf}).status_code == 302
    assert indicator_rows(store) == []


# --- the archive import ---------------------------------------------------------------------

@pytest.mark.parametrize("data, name, message", [
    (b'{"format": "workshop-session-archive"}', "archive.txt", "Choose an archive file (.json)"),
    (b"", "archive.json", "The file is empty or larger than"),
])
def test_an_archive_of_the_wrong_type_or_empty_is_refused_beside_the_field(organizer, store, data, name, message):
    answer = upload_archive(organizer, data, name)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and message in page.split('id="archive-error"')[1][:300]
    assert sessions_count(store) == 0


def test_an_archive_without_the_form_token_imports_nothing(organizer, store, workshop):
    archive = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/json").data
    answer = organizer.post("/organizer/import", data={"archive": (io.BytesIO(archive), "a.json"),
                                                       "new_id": "1"},
                            content_type="multipart/form-data")
    assert answer.status_code == 400 and sessions_count(store) == 1


def test_a_kept_upload_answered_with_an_unknown_choice_is_kept_for_a_real_answer(organizer, store, workshop):
    archive = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/json").data
    offered = upload_archive(organizer, archive).get_data(as_text=True)
    pending = offered.split('name="pending" value="')[1].split('"')[0]
    form = {"csrf_token": organizer.csrf, "pending": pending}
    odd = organizer.post("/organizer/import/pending?lang=en", data={**form, "action": "maybe"})
    assert odd.status_code == 400 and "Choose whether to import it as a new session" in odd.get_data(as_text=True)
    assert f'value="{pending}"' in odd.get_data(as_text=True) and sessions_count(store) == 1
    assert organizer.post("/organizer/import/pending", data={**form, "action": "new_id"}).status_code == 302
    assert sessions_count(store) == 2


# --- a workshop of working groups: settle, plenary ----------------------------------------------

def test_a_settlement_note_past_its_limit_is_refused_and_settles_nothing(organizer, store, made):
    too_long = "ก" * (limits.SETTLEMENT_NOTE + 1)
    answer = organizer.post(f"/organizer/workshops/{made.id}/settle?lang=en",
                            data=settle_form(organizer, made, note=too_long), follow_redirects=True)
    assert f"At most {limits.SETTLEMENT_NOTE} characters" in answer.get_data(as_text=True)
    with store.session() as db:
        assert db.query(Settlement).count() == 0


def test_an_unknown_plenary_step_is_refused_and_moves_nothing(organizer, store, made):
    answer = organizer.post(f"/organizer/workshops/{made.id}/plenary",
                            data={"csrf_token": organizer.csrf, "step": "sideways"})
    assert answer.status_code == 400
    with store.session() as db:
        assert db.get(Workshop, made.id).plenary_position == 0


# --- confirmations ---------------------------------------------------------------------------

def test_duplicating_without_the_form_token_copies_nothing(organizer, store, session_id):
    assert organizer.post(f"/organizer/sessions/{session_id}/duplicate").status_code == 400
    assert len(sessions_in(store)) == 1
