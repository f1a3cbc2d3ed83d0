"""An item's own level statements and checklists on their way to the screens and the archive:
the phone and the projector get the current item's own words, and only the current item's."""
from __future__ import annotations

import io
import json
from html import escape

import pytest
from openpyxl import load_workbook

from tests.test_framework_checklists import complaints_framework
from tests.workbooks import sheet
from tests.workshop_data import make_workshop
from workshop import catalog
from workshop.domain.framework import parse_framework
from workshop.exports.archive import export_archive
from workshop.services.archive_import import import_archive
from workshop.exports.pdf_export import report_html
from workshop.exports.xlsx import HEADER_ROW, export_xlsx
from workshop.services.export_data import read_export_data
from workshop.services import rounds, sessions, views
from workshop.services.lookups import framework_of
from workshop.services.sessions import SessionSettings


def start(store, framework, agenda) -> str:
    with store.session() as db:
        return sessions.create_session(db, framework, SessionSettings(title="t", agenda=agenda)).id


def stage_at(store, session_id, code, role="participant") -> dict:
    with store.session() as db:
        session = sessions.get(db, session_id)
        rounds.goto(db, session, code)
    with store.session() as db:
        return views.stage(db, sessions.get(db, session_id), role)


@pytest.fixture
def room(store):
    return start(store, parse_framework(complaints_framework()), ("C1", "C2"))


def test_a_phone_sees_each_level_in_the_items_own_words_with_its_checklist(store, room):
    levels = stage_at(store, room, "C1")["criterion"]["levels"]
    assert [level["own"] for level in levels] == [False, True, True]
    assert levels[1]["descriptor"]["en"] == "Every complaint is logged"
    assert levels[0]["descriptor"]["en"] == "Nothing in place"  # the scale's own words
    assert levels[1]["checklist"] == [
        {"id": "b1", "th": "One desk logs every complaint (ไทย)", "en": "One desk logs every complaint"},
        {"id": "b2", "th": "A written standard (ไทย)", "en": "A written standard"}]
    assert levels[0]["checklist"] == []


def test_an_item_without_its_own_words_falls_back_to_the_scale(store, room):
    levels = stage_at(store, room, "C2", role="projector")["criterion"]["levels"]
    assert [level["descriptor"]["en"] for level in levels] == [
        "Nothing in place", "A shared way", "Fast and digital"]
    assert not any(level["own"] or level["checklist"] for level in levels)


def test_the_stage_carries_only_the_current_items_lines_never_the_whole_framework(store):
    pmqa = catalog.get_framework("pmqa-4.0")
    room = start(store, pmqa, tuple(c.code for c in pmqa.criteria()))
    stage = stage_at(store, room, "1.1")
    sent = json.dumps(stage, ensure_ascii=False)
    for other in pmqa.criteria():
        for level in other.checklists.values():
            for line in level:
                assert (line.th in sent) == (other.code == "1.1"), (other.code, line.id)
    with store.session() as db:
        snap = views.snapshot(db, sessions.get(db, room), "projector")
    assert all("checklist" not in level for level in snap["framework"]["levels"])
    assert snap["framework"]["levels_cumulative"] is True


def test_the_framework_copied_into_a_session_keeps_the_statements_and_checklists(store, room):
    with store.session() as db:
        frozen = framework_of(db, room)
    assert frozen == parse_framework(complaints_framework())
    assert frozen.criterion("C1").checklist(2)[0].id == "a1"


def test_an_archived_session_comes_back_with_its_items_checklists(store, room):
    with store.session() as db:
        data = export_archive(read_export_data(db, room))
    imported = import_archive(store, data, new_id=True)
    with store.session() as db:
        again = framework_of(db, imported.session_id)
    assert again.levels_cumulative is True
    assert again.criterion("C1").checklists == parse_framework(
        complaints_framework()).criterion("C1").checklists


@pytest.fixture
def pmqa_snapshot(store):
    workshop = make_workshop(store)
    with store.session() as db:
        return read_export_data(db, workshop.session_id)


def test_the_results_sheet_says_what_the_agreed_level_means_for_that_item(pmqa_snapshot):
    book = load_workbook(io.BytesIO(export_xlsx(pmqa_snapshot)))
    values = list(sheet(book, "Results").iter_rows(min_row=HEADER_ROW, values_only=True))
    rows = {(row[0], row[2]): dict(zip(values[0], row)) for row in values[1:]}
    pmqa = catalog.get_framework("pmqa-4.0")
    statement = "ความหมายของระดับตามมติที่ประชุมสำหรับประเด็นนี้"
    assert rows[("1.1", 1)]["ระดับตามมติที่ประชุม"] == 1
    assert rows[("1.1", 1)][statement] == pmqa.criterion("1.1").levels[1].th
    assert rows[("1.1", 1)][statement] != pmqa.level(1).descriptor.th
    # 1.2 was voted twice: the agreed level stands beside the round it came from
    assert rows[("1.2", 1)][statement] is None
    assert rows[("1.2", 2)][statement] == pmqa.criterion("1.2").levels[1].th
    assert rows[("4.4", 1)][statement] is None  # its decision was undone


def test_the_pdf_report_prints_the_items_own_statement_of_the_agreed_level(pmqa_snapshot):
    html = report_html(pmqa_snapshot)
    pmqa = catalog.get_framework("pmqa-4.0")
    assert escape(pmqa.criterion("2.1").levels[2].th) in html
    assert escape(pmqa.criterion("1.1").levels[1].th) in html
    assert escape(pmqa.criterion("4.4").levels[1].th) not in html
