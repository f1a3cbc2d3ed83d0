"""The dashboard's session actions as an organizer uses them: download, duplicate, delete.

Logged in as in test_organizer.py; the session is the realistic PMQA workshop of
tests/workshop_data.py (twelve people, five rounds, decisions, ideas, a plan item).
"""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.organizer_fixtures import PASSWORD, csrf_of, logged_in  # noqa: F401 (older imports)
from tests.workbooks import sheet
from tests.workshop_data import TITLE, make_workshop
from workshop.services import accounts
from workshop.services import sessions as session_service
from workshop.store.models import (Decision, Idea, IdeaUpvote, Participant, PlanItem, Round,
                                   Vote, WorkshopSession)
from workshop.web.organizer.downloads import available_exports

CHILD_TABLES = (Participant, Round, Vote, Decision, Idea, IdeaUpvote, PlanItem)
EXPORT_KEYS = [export.key for export in available_exports()]


pytestmark = pytest.mark.usefixtures("lan")


def rows_of(store, session_id: str) -> dict[str, int]:
    """How many rows of every child table belong to the session (votes and upvotes via joins)."""
    with store.session() as db:
        def count(statement):
            return db.scalar(statement)
        return {
            "participants": count(select(func.count()).select_from(Participant)
                                  .where(Participant.session_id == session_id)),
            "rounds": count(select(func.count()).select_from(Round)
                            .where(Round.session_id == session_id)),
            "votes": count(select(func.count()).select_from(Vote).join(Round)
                           .where(Round.session_id == session_id)),
            "decisions": count(select(func.count()).select_from(Decision)
                               .where(Decision.session_id == session_id)),
            "ideas": count(select(func.count()).select_from(Idea)
                           .where(Idea.session_id == session_id)),
            "upvotes": count(select(func.count()).select_from(IdeaUpvote).join(Idea)
                             .where(Idea.session_id == session_id)),
            "plan_items": count(select(func.count()).select_from(PlanItem)
                                .where(PlanItem.session_id == session_id)),
        }


def table_sizes(store) -> dict[str, int]:
    with store.session() as db:
        return {model.__tablename__: db.scalar(select(func.count()).select_from(model))
                for model in CHILD_TABLES}


def file_name_of(answer) -> str:
    """The UTF-8 file name a browser saves the download under (RFC 5987 filename*)."""
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    return unquote(re.search(r"filename\*=UTF-8''([^;\s]+)", disposition).group(1))


# --- downloads ------------------------------------------------------------------------------

def test_the_dashboard_offers_every_export_of_every_session(organizer, workshop):
    page = organizer.get("/organizer?lang=en").get_data(as_text=True)
    for key in EXPORT_KEYS:
        assert f"/organizer/sessions/{workshop.session_id}/download/{key}" in page
    assert {"json", "csv-plan", "csv-votes", "xlsx"} <= set(EXPORT_KEYS)


def test_the_archive_downloads_as_json_that_holds_the_thai_title(organizer, workshop):
    answer = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    assert file_name_of(answer) == f"{TITLE}.json"
    assert f'filename="{workshop.session_id}.json"' in answer.headers["Content-Disposition"]
    archive = json.loads(answer.data.decode("utf-8"))
    assert archive["session"]["title"] == TITLE
    assert sum(len(r["votes"]) for r in archive["rounds"]) == workshop.votes
    assert "no-store" in answer.headers["Cache-Control"]


def test_the_plan_and_votes_download_as_csv_that_excel_reads_in_thai(organizer, workshop):
    plan = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/csv-plan")
    votes = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/csv-votes")
    assert plan.mimetype == votes.mimetype == "text/csv"
    assert file_name_of(plan) == f"{TITLE}-plan.csv" and file_name_of(votes) == f"{TITLE}-votes.csv"
    assert plan.data.startswith("\ufeff".encode("utf-8"))
    plan_rows = list(csv.reader(io.StringIO(plan.data.decode("utf-8-sig"))))
    assert plan_rows[1][2] == "1.2" and "การต่อต้านการทุจริตและความโปร่งใส" in plan_rows[1][3]
    vote_rows = list(csv.reader(io.StringIO(votes.data.decode("utf-8-sig"))))
    assert len(vote_rows) == 1 + workshop.votes
    assert "สมชาย ใจดี" in {row[4] for row in vote_rows}


def test_the_workbook_downloads_and_opens_with_the_thai_title(organizer, workshop):
    answer = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/xlsx")
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    assert file_name_of(answer) == f"{TITLE}.xlsx"
    book = load_workbook(io.BytesIO(answer.data))
    assert TITLE in sheet(book, "Plan")["A2"].value


def test_the_word_plan_and_the_pdf_report_download_when_this_server_makes_them(organizer, workshop):
    from docx import Document

    word = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/docx")
    assert word.mimetype.endswith("wordprocessingml.document")
    assert file_name_of(word) == f"{TITLE}.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(word.data)).paragraphs)
    assert TITLE in text
    report = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/pdf")
    assert report.mimetype == "application/pdf" and report.data.startswith(b"%PDF")
    assert file_name_of(report) == f"{TITLE}.pdf"


def test_the_word_plan_downloads_in_thai_digits_when_asked(organizer, workshop):
    from docx import Document

    word = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/docx-thai-digits")
    assert file_name_of(word) == f"{TITLE}-thai-digits.docx"
    text = "\n".join(p.text for p in Document(io.BytesIO(word.data)).paragraphs)
    assert "ปีงบประมาณ พ.ศ. ๒๕๗๐" in text and "2570" not in text
    page = organizer.get("/organizer?lang=th").get_data(as_text=True)
    assert "/download/docx-thai-digits" in page


def test_the_session_page_links_the_plan_editor_and_the_exports(organizer, workshop):
    page = organizer.get(f"/organizer/sessions/{workshop.session_id}").get_data(as_text=True)
    assert f"/organizer/sessions/{workshop.session_id}/plan" in page
    assert f"/organizer/sessions/{workshop.session_id}/download/xlsx" in page


@pytest.mark.parametrize("kind", EXPORT_KEYS)
def test_every_offered_export_is_a_named_attachment(organizer, workshop, kind):
    answer = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/{kind}")
    assert answer.status_code == 200 and len(answer.data) > 100
    assert file_name_of(answer).startswith(TITLE)


def test_an_unknown_format_or_session_is_not_found(organizer, workshop):
    assert organizer.get(f"/organizer/sessions/{workshop.session_id}/download/exe").status_code == 404
    assert organizer.get("/organizer/sessions/nope/download/json").status_code == 404


def test_a_hostile_title_cannot_break_the_download_header_or_its_folder(organizer, store, workshop):
    with store.session() as db:
        db.get(WorkshopSession, workshop.session_id).title = \
            '../../etc/passwd"; filename=evil.exe\r\nX-Evil: 1 <script>'
    answer = organizer.get(f"/organizer/sessions/{workshop.session_id}/download/csv-plan")
    disposition = answer.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "X-Evil" not in answer.headers
    assert f'filename="{workshop.session_id}-plan.csv"' in disposition
    name = file_name_of(answer)
    assert "/" not in name and '"' not in name and not name.startswith(".")
    assert name.endswith("-plan.csv") and "passwd" in name


# --- duplicate --------------------------------------------------------------------------------

def test_duplicating_copies_the_settings_for_next_year_and_nothing_that_happened(organizer, store, workshop):
    before = rows_of(store, workshop.session_id)
    answer = organizer.post(f"/organizer/sessions/{workshop.session_id}/duplicate?lang=en",
                            data={"csrf_token": organizer.csrf})
    assert answer.status_code == 302
    with store.session() as db:
        source = db.get(WorkshopSession, workshop.session_id)
        [copy] = db.scalars(select(WorkshopSession).where(WorkshopSession.id != source.id))
        assert copy.title == f"{TITLE} (copy)"
        assert copy.framework == source.framework and copy.framework_id == "pmqa-4.0"
        assert copy.agenda == ["1.1", "1.2", "2.1", "4.4"] == source.agenda
        assert copy.settings == source.settings and copy.settings["roles"][1] == "ผู้อำนวยการกอง"
        assert copy.organization == source.organization and copy.language == source.language
        assert copy.held_on is None and copy.status == "draft"
        assert copy.current_criterion == "1.1" and copy.explain_round_id is None
        assert copy.join_code != source.join_code and copy.link_nonce != source.link_nonce
        copy_id = copy.id
    assert answer.location.endswith(f"/organizer/sessions/{copy_id}")
    assert set(rows_of(store, copy_id).values()) == {0}
    assert rows_of(store, workshop.session_id) == before  # the original keeps everything
    page = organizer.get(answer.location).get_data(as_text=True)
    assert f"/facilitate/{copy_id}/" in page and f"/facilitate/{workshop.session_id}/" not in page


def test_duplicating_needs_the_form_token(organizer, store, workshop):
    answer = organizer.post(f"/organizer/sessions/{workshop.session_id}/duplicate")
    assert answer.status_code == 400
    with store.session() as db:
        assert db.scalar(select(func.count()).select_from(WorkshopSession)) == 1


def test_a_long_title_still_fits_after_the_suffix(organizer, store):
    organizer.post("/organizer/sessions", data={
        "csrf_token": organizer.csrf, "title": "ก" * 200, "framework": "pmqa-4.0",
        "language": "th", "privacy": "anonymous", "results_mode": "hidden", "roles": ""})
    with store.session() as db:
        [source] = db.scalars(select(WorkshopSession))
        copy = session_service.duplicate_session(db, source, "(สำเนา)")
        assert len(copy.title) == 200 and copy.title.endswith(" (สำเนา)")


# --- delete -----------------------------------------------------------------------------------

def test_deleting_asks_for_the_join_code_first_and_asking_deletes_nothing(organizer, store, workshop):
    page = organizer.get(f"/organizer/sessions/{workshop.session_id}/delete?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and workshop.join_code in text
    assert "12 participants" in text and f"{workshop.votes} votes" in text
    assert "3 decided criteria" in text and "1 plan item<" in text
    refused = organizer.post(f"/organizer/sessions/{workshop.session_id}/delete?lang=en",
                             data={"csrf_token": organizer.csrf, "join_code": "WRONG1"})
    assert refused.status_code == 400 and "nothing was deleted" in refused.get_data(as_text=True)
    empty = organizer.post(f"/organizer/sessions/{workshop.session_id}/delete",
                           data={"csrf_token": organizer.csrf})
    assert empty.status_code == 400
    assert rows_of(store, workshop.session_id)["votes"] == workshop.votes


def test_deleting_without_the_form_token_is_refused(organizer, store, workshop):
    answer = organizer.post(f"/organizer/sessions/{workshop.session_id}/delete",
                            data={"join_code": workshop.join_code})
    assert answer.status_code == 400
    forged = organizer.post(f"/organizer/sessions/{workshop.session_id}/delete",
                            data={"csrf_token": "forged", "join_code": workshop.join_code})
    assert forged.status_code == 400
    assert rows_of(store, workshop.session_id)["participants"] == workshop.participants


def test_deleting_removes_the_session_and_every_row_of_its_participants_data(organizer, store, app, workshop):
    other = make_workshop(store)  # a second session that must keep everything
    other_rows = rows_of(store, other.session_id)
    with store.session() as db:
        links = session_service.links(db.get(WorkshopSession, workshop.session_id), "",
                                      app.config["WORKSHOP"].secret_key)
    assert organizer.get(links["facilitator"]).status_code == 200
    answer = organizer.post(f"/organizer/sessions/{workshop.session_id}/delete",
                            data={"csrf_token": organizer.csrf,
                                  "join_code": f" {workshop.join_code.lower()} "})
    assert answer.status_code == 302 and answer.location.endswith("/organizer")
    with store.session() as db:
        assert db.get(WorkshopSession, workshop.session_id) is None
    assert set(rows_of(store, workshop.session_id).values()) == {0}
    left = {"participants": 12, "rounds": 5, "votes": other_rows["votes"], "decisions": 5,
            "ideas": 8, "idea_upvotes": other_rows["upvotes"], "plan_items": 1}
    assert table_sizes(store) == left  # every row left is the other session's
    assert rows_of(store, other.session_id) == other_rows
    for link in (links["facilitator"], links["projector"], links["join"]):
        assert organizer.get(link).status_code == 404
    assert organizer.get(f"/organizer/sessions/{workshop.session_id}").status_code == 404
    assert TITLE in organizer.get("/organizer").get_data(as_text=True)  # the other one is listed


# --- login and escaping -------------------------------------------------------------------------

NEW_GETS = ["/organizer/sessions/abc/download/json", "/organizer/sessions/abc/delete",
            "/organizer/compare?s=a&s=b", "/organizer/import"]
NEW_POSTS = ["/organizer/sessions/abc/duplicate", "/organizer/sessions/abc/delete",
             "/organizer/import", "/organizer/import/pending"]


@pytest.mark.parametrize("path", NEW_GETS)
def test_every_new_page_sends_a_stranger_to_the_login(client, store, path):
    with store.session() as db:
        accounts.set_password(db, "organizer", PASSWORD)
    answer = client.get(path)
    assert answer.status_code == 302 and "/organizer/login" in answer.location


@pytest.mark.parametrize("path", NEW_POSTS)
def test_every_new_action_needs_a_login_even_with_a_valid_form_token(client, store, workshop, path):
    csrf = csrf_of(client.get("/organizer/login"))
    answer = client.post(path.replace("abc", workshop.session_id),
                         data={"csrf_token": csrf, "join_code": workshop.join_code})
    assert answer.status_code == 302 and "/organizer/login" in answer.location
    with store.session() as db:
        assert db.scalar(select(func.count()).select_from(WorkshopSession)) == 1


def test_a_stranger_cannot_download_a_real_session(client, store, workshop):
    answer = client.get(f"/organizer/sessions/{workshop.session_id}/download/json")
    assert answer.status_code == 302 and TITLE.encode() not in answer.data


def test_hostile_titles_are_shown_as_text_on_the_new_pages(organizer, store, workshop):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with store.session() as db:
        db.get(WorkshopSession, workshop.session_id).title = hostile
    organizer.post(f"/organizer/sessions/{workshop.session_id}/duplicate",
                   data={"csrf_token": organizer.csrf})
    with store.session() as db:
        [(copy_id, copy_code)] = db.execute(select(WorkshopSession.id, WorkshopSession.join_code)
                                            .where(WorkshopSession.id != workshop.session_id))
    pages = [organizer.get("/organizer"),
             organizer.get(f"/organizer/sessions/{workshop.session_id}/delete"),
             organizer.get(f"/organizer/compare?s={workshop.session_id}&s={copy_id}"),
             organizer.post(f"/organizer/sessions/{copy_id}/delete",
                            data={"csrf_token": organizer.csrf, "join_code": "x"})]
    organizer.post(f"/organizer/sessions/{copy_id}/delete",
                   data={"csrf_token": organizer.csrf, "join_code": copy_code})
    pages.append(organizer.get("/organizer"))  # the notice naming the deleted session
    for page in pages:
        text = page.get_data(as_text=True)
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert" in text


def test_deleting_a_session_cascades_on_sqlite_and_on_postgresql(backend_url):
    from workshop.store.db import Store

    store = Store.open(backend_url)
    try:
        gone, kept = make_workshop(store), make_workshop(store)
        kept_rows = rows_of(store, kept.session_id)
        with store.session() as db:
            assert session_service.delete_session(db, gone.session_id)
            assert not session_service.delete_session(db, "no-such-session")
        assert set(rows_of(store, gone.session_id).values()) == {0}
        assert rows_of(store, kept.session_id) == kept_rows and kept_rows["votes"] > 0
    finally:
        store.dispose()
