"""Comparing two years of one framework, and importing an archive through the dashboard.

Last year's workshop is the realistic one of tests/workshop_data.py (9 May 2026):
1.1 agreed 1 target 2, 1.2 agreed 1 target 3, 2.1 agreed 2 target 3, 4.4 undone (open).
This year's (5 May 2027), hand-made below: 1.1 agreed 2 target 3 (up), 1.2 agreed 1 target 2
(same level, lower target), 4.4 agreed 1 target 2 (decided only now), 2.1 not decided (only
then). Category 1 means: then (1 + 1) / 2 = 1.00, now (2 + 1) / 2 = 1.50, up.
"""
from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from tests.organizer_fixtures import logged_in
from tests.test_dashboard import rows_of
from tests.workshop_data import TITLE, make_workshop
from workshop import catalog, create_app
from workshop.config import Config
from workshop.services import sessions as session_service
from workshop.services.sessions import SessionSettings
from workshop.store.decisions import record_decision
from workshop.store.models import WorkshopSession
from workshop.web.organizer import imports

THIS_YEAR = "ประเมินตนเองตามเกณฑ์ PMQA 4.0 ปีงบประมาณ 2570"


def make_this_year(store, framework_id: str = "pmqa-4.0") -> str:
    from datetime import date
    framework = catalog.get_framework(framework_id)
    codes = ["1.1", "1.2", "2.1", "4.4"] if framework_id == "pmqa-4.0" else []
    with store.session() as db:
        session = session_service.create_session(db, framework, SessionSettings(
            title=THIS_YEAR, held_on=date(2027, 5, 5), agenda=tuple(codes)))
        for code, agreed, target in (("1.1", 2, 3), ("1.2", 1, 2), ("4.4", 1, 2)):
            if code in codes:
                record_decision(db, session_id=session.id, criterion_code=code,
                                agreed_level=agreed, target_level=target, importance=3)
        return session.id


def row(page: str, attribute: str, code: str) -> list[str]:
    """The cells of one table row, tags stripped."""
    found = re.search(rf'<tr [^>]*{attribute}="{re.escape(code)}">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


# --- compare ------------------------------------------------------------------------------

def test_comparing_two_years_shows_each_criterion_then_and_now_with_the_change(organizer, store):
    last_year = make_workshop(store).session_id
    this_year = make_this_year(store)
    # chosen in either order, the earlier workshop is "then"
    answer = organizer.get(f"/organizer/compare?s={this_year}&s={last_year}&lang=en")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert page.index(TITLE) < page.index(THIS_YEAR)
    assert "9 May 2026" in page and "5 May 2027" in page
    assert row(page, "data-criterion", "1.1")[1:6] == ["1", "2", "↑", "2", "3"]
    assert row(page, "data-criterion", "1.2")[1:6] == ["1", "1", "=", "3", "2"]
    assert row(page, "data-criterion", "2.1")[1:7] == ["2", "–", "", "3", "–", "decided only then"]
    assert row(page, "data-criterion", "4.4")[1:7] == ["–", "1", "", "–", "2", "decided only now"]
    assert row(page, "data-category", "1")[1:4] == ["1.00 (2 decided)", "1.50 (2 decided)", "↑"]
    assert row(page, "data-category", "2")[1:4] == ["2.00 (1 decided)", "– (0 decided)", ""]
    assert row(page, "data-category", "4")[1:4] == ["– (0 decided)", "1.00 (1 decided)", ""]


def test_a_level_that_fell_is_shown_going_down(organizer, store):
    last_year = make_workshop(store).session_id
    this_year = make_this_year(store)
    with store.session() as db:
        record_decision(db, session_id=this_year, criterion_code="2.1", agreed_level=1,
                        target_level=3, importance=3)
    page = organizer.get(f"/organizer/compare?s={last_year}&s={this_year}").get_data(as_text=True)
    assert row(page, "data-criterion", "2.1")[1:4] == ["2", "1", "↓"]


def test_sessions_of_different_frameworks_are_not_compared(organizer, store):
    pmqa = make_workshop(store).session_id
    digital = make_this_year(store, "digital-maturity-5")
    answer = organizer.get(f"/organizer/compare?s={pmqa}&s={digital}&lang=en")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "use different frameworks" in text and "pmqa-4.0" in text
    assert "digital-maturity-5" in text and "data-criterion" not in text


@pytest.mark.parametrize("query", ["", "?s={a}", "?s={a}&s={a}", "?s={a}&s=gone"])
def test_compare_needs_two_different_sessions(organizer, store, query):
    a = make_workshop(store).session_id
    answer = organizer.get("/organizer/compare" + query.format(a=a) + ("&" if query else "?") + "lang=en")
    assert answer.status_code == 400
    assert re.search(r"Choose (exactly )?two|no such session", answer.get_data(as_text=True))


def test_the_dashboard_lets_the_organizer_tick_two_sessions_to_compare(organizer, store):
    a = make_workshop(store).session_id
    page = organizer.get("/organizer").get_data(as_text=True)
    assert 'form id="compare-form" method="get" action="/organizer/compare"' in page
    assert f'name="s" value="{a}" form="compare-form"' in page


# --- import -------------------------------------------------------------------------------

@pytest.fixture
def empty_instance(tmp_path):
    """A second server on its own data folder, with no session at all."""
    folder = tmp_path / "empty-instance"
    folder.mkdir()
    app = create_app(Config.from_env({}, data_dir=folder, async_mode="threading", testing=True))
    yield app
    app.extensions["workshop.store"].dispose()


def upload(client, data: bytes, name: str = "archive.json", **fields):
    form = {"csrf_token": client.csrf, "archive": (io.BytesIO(data), name), **fields}
    return client.post("/organizer/import?lang=en", data=form,
                       content_type="multipart/form-data")


def sessions_count(store) -> int:
    with store.session() as db:
        return db.scalar(select(func.count()).select_from(WorkshopSession))


def test_export_import_into_an_empty_instance_and_export_again_gives_the_same_archive(organizer, store, empty_instance):
    workshop = make_workshop(store)
    first = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/json").data
    other_store = empty_instance.extensions["workshop.store"]
    assert sessions_count(other_store) == 0
    there = logged_in(empty_instance.test_client(), other_store)
    answer = upload(there, first)
    assert answer.status_code == 302
    assert answer.location.endswith(f"/organizer/sessions/{workshop.session_id}")
    again = there.get(f"/organizer/sessions/{workshop.session_id}/download/json").data
    assert again == first
    assert json.loads(again)["session"]["title"] == TITLE
    assert rows_of(other_store, workshop.session_id) == rows_of(store, workshop.session_id)


@pytest.mark.parametrize("damage, message", [
    (lambda data: data.replace("ใจดี".encode(), "ใจร้าย".encode(), 1), "does not match its checksum"),
    (lambda data: data[: len(data) // 2].decode("utf-8", "ignore").encode(), "the json breaks at line"),
    (lambda data: b"%PDF-1.7 not an archive", "not a workshop archive"),
    (lambda data: data.replace(b'"version": 1', b'"version": 99', 1), "version 99 is not known"),
])
def test_a_damaged_or_foreign_file_is_refused_with_its_reason_and_nothing_is_imported(organizer, store, empty_instance, damage, message):
    workshop = make_workshop(store)
    good = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/json").data
    other_store = empty_instance.extensions["workshop.store"]
    there = logged_in(empty_instance.test_client(), other_store)
    answer = upload(there, damage(good))
    text = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "nothing was imported" in text and message in text.lower()
    assert sessions_count(other_store) == 0
    assert set(rows_of(other_store, workshop.session_id).values()) == {0}


def test_an_upload_without_a_file_is_explained(organizer, store):
    answer = organizer.post("/organizer/import?lang=en", data={"csrf_token": organizer.csrf},
                            content_type="multipart/form-data")
    assert answer.status_code == 400 and "Choose an archive file" in answer.get_data(as_text=True)


def test_an_archive_whose_id_exists_is_offered_as_a_new_session(organizer, store):
    workshop = make_workshop(store)
    archive = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/json").data
    answer = upload(organizer, archive)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "exists on this server already" in text
    assert sessions_count(store) == 1
    pending = re.search(r'name="pending" value="([^"]+)"', text).group(1)
    assert organizer.post("/organizer/import/pending",
                          data={"pending": pending, "action": "new_id"}).status_code == 400  # CSRF
    done = organizer.post("/organizer/import/pending?lang=en",
                          data={"csrf_token": organizer.csrf, "pending": pending, "action": "new_id"})
    assert done.status_code == 302
    with store.session() as db:
        copies = db.scalars(select(WorkshopSession).where(WorkshopSession.id != workshop.session_id)).all()
        [copy] = copies
        assert copy.title == TITLE and copy.join_code != workshop.join_code
    assert rows_of(store, copy.id) == rows_of(store, workshop.session_id)
    gone = organizer.post("/organizer/import/pending?lang=en",
                          data={"csrf_token": organizer.csrf, "pending": pending, "action": "new_id"})
    assert gone.status_code == 410 and sessions_count(store) == 2  # used once, then forgotten


def test_the_new_id_box_imports_a_second_copy_straight_away(organizer, store):
    workshop = make_workshop(store)
    archive = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/json").data
    assert upload(organizer, archive, new_id="1").status_code == 302
    assert sessions_count(store) == 2


def test_a_pending_name_cannot_reach_another_file(organizer, data_dir):
    (data_dir / "secret_key.json").write_text("{}")
    for name in ("../secret_key", "../../etc/passwd", "x" * 10):
        answer = organizer.post("/organizer/import/pending",
                                data={"csrf_token": organizer.csrf, "pending": name,
                                      "action": "new_id"})
        assert answer.status_code == 410


def test_a_file_over_the_size_limit_is_refused(organizer, store, monkeypatch):
    monkeypatch.setattr(imports, "UPLOAD_LIMIT", 1024)
    answer = upload(organizer, b"{" + b" " * 200_000 + b"}")
    assert answer.status_code == 413 and "too large" in answer.get_data(as_text=True)
    assert sessions_count(store) == 0
