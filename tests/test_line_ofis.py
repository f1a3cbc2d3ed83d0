"""The checklist lines a decision leaves unmet become OFIs of the plan (issue 9): once each,
whatever is resent or decided again, only after the round's reveal, and the facilitator's
edits, merges and drops stand. Three phones of a PMQA group answer item 1.2: Basic and
Advance all met, s1 and s2 not met, s3 met; the decision is Advance (2) with target 3, so s1
and s2 are the OFIs (worked out by hand from the answers)."""
from __future__ import annotations

import json

import pytest

from workshop import catalog
from workshop.exports.archive import export_archive
from workshop.exports.figures import plan_of
from workshop.services.export_data import read_export_data
from workshop.services import checklists, decisions, idea_curation, participants, rounds, sessions
from workshop.services.sessions import SessionSettings
from workshop.store.models import Idea

FRAMEWORK = catalog.get_framework("pmqa-4.0")
ITEM = FRAMEWORK.criterion("1.2")
ANSWERS = {**{line: "met" for line in ("b1", "b2", "b3", "a1", "a2", "a3", "s3")},
           "s1": "not_met", "s2": "not_met"}
UNMET = [ITEM.checklist_line(line).th for line in ("s1", "s2")]


@pytest.fixture
def answered(store):
    """The session id and its closed (not yet revealed) checklist round on 1.2."""
    with store.session() as db:
        session = sessions.create_session(db, FRAMEWORK, SessionSettings(
            title="กลุ่มย่อย หมวด 1", agenda=("1.1", "1.2"), language="th"))
        opened = rounds.open_round(db, session, "1.2", kind="checklist", lines=list(ANSWERS))
        for n in range(3):
            phone = participants.join(db, session, client_key=f"p{n}", secret_key="s").participant
            checklists.answer(db, session.id, phone.id, round_id=opened.id, answers=ANSWERS)
        rounds.close_round(db, session, opened.id)
        return session.id, opened.id


def _decide(db, session_id, importance=4):
    return decisions.decide(db, sessions.get(db, session_id), criterion="1.2", agreed_level=2,
                            target_level=3, importance=importance)


def _ofis(db, session_id):
    return list(db.query(Idea).filter_by(session_id=session_id, kind="ofi").order_by(Idea.id))


def test_the_unmet_lines_of_the_target_become_kept_ofis_once_however_often_it_is_decided(store, answered):
    session_id, round_id = answered
    with store.session() as db:
        rounds.reveal(db, sessions.get(db, session_id), round_id)
        assert _decide(db, session_id)["checklist"]["proposed_ofis"] == ["s1", "s2"]
    for importance in (4, 4, 5):  # a resent decision, then the decision taken again
        with store.session() as db:
            _decide(db, session_id, importance)
    with store.session() as db:
        assert [(i.criterion_code, i.text, i.kept, i.hidden, i.participant_id) for i in _ofis(db, session_id)] == [
            ("1.2", UNMET[0], True, False, None), ("1.2", UNMET[1], True, False, None)]
        snapshot = read_export_data(db, session_id)
    entry = {e.criterion_code: e for e in plan_of(snapshot).entries}["1.2"]
    assert entry.ofi.splitlines() == UNMET
    archived = json.loads(export_archive(snapshot))["ideas"]
    assert sorted((i["kind"], i["text"]) for i in archived) == [("ofi", text) for text in sorted(UNMET)]


def test_a_decision_before_the_reveal_makes_its_ofis_only_at_the_reveal(store, answered):
    session_id, round_id = answered
    with store.session() as db:
        _decide(db, session_id)
        assert _ofis(db, session_id) == []  # the phones would see them: nothing before the reveal
    with store.session() as db:
        rounds.reveal(db, sessions.get(db, session_id), round_id)
        rounds.reveal(db, sessions.get(db, session_id), round_id)  # a resent reveal
        assert [i.text for i in _ofis(db, session_id)] == UNMET


def test_the_facilitator_edits_merges_and_drops_them_and_deciding_again_keeps_that(store, answered):
    session_id, round_id = answered
    with store.session() as db:
        rounds.reveal(db, sessions.get(db, session_id), round_id)
        _decide(db, session_id)
        first, second = _ofis(db, session_id)
        idea_curation.edit(db, session_id, idea_id=first.id, text="ทบทวนการสื่อสารกับผู้มีส่วนได้ส่วนเสีย")
        idea_curation.merge(db, session_id, into=first.id, idea_ids=[second.id])
    with store.session() as db:
        _decide(db, session_id, importance=2)
        shown = [(i.text, i.kept, i.hidden) for i in _ofis(db, session_id)]
        assert shown == [("ทบทวนการสื่อสารกับผู้มีส่วนได้ส่วนเสีย", True, False), (UNMET[1], False, True)]
        idea_curation.keep(db, session_id, idea_id=first.id, kept=False)
    with store.session() as db:
        _decide(db, session_id, importance=3)
        assert [i.kept for i in _ofis(db, session_id)] == [False, False]
        entry = {e.criterion_code: e for e in plan_of(read_export_data(db, session_id)).entries}["1.2"]
        assert entry.ofi == ""
