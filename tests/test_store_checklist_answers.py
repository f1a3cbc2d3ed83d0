"""Checklist answers in the store, on SQLite and on PostgreSQL: one row per round, phone and
line; a resent submission changes nothing; counts come from one GROUP BY."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.store_fixtures import add_phone, add_session
from workshop.store.checklist_answers import answered_count, answers_of, tally, upsert_answers
from workshop.store.models import ChecklistAnswer, Round


@pytest.fixture
def checklist_room(fresh_store):
    with fresh_store.session() as db:
        workshop = add_session(db, status="live", current_criterion="1.1")
        phones = [add_phone(db, workshop).id for _ in range(2)]
        round_ = Round(session_id=workshop.id, criterion_code="1.1", number=1, kind="checklist",
                       lines=["b1", "b2", "b3"])
        db.add(round_)
        db.flush()
        return {"round": round_.id, "phones": phones}


def test_a_phone_that_resends_its_answers_keeps_one_row_per_line(fresh_store, checklist_room):
    first, second = checklist_room["phones"]
    round_id = checklist_room["round"]
    for _ in range(2):
        with fresh_store.session() as db:
            upsert_answers(db, round_id=round_id, participant_id=first, answers={"b1": "met", "b2": "not_sure"})
    with fresh_store.session() as db:
        upsert_answers(db, round_id=round_id, participant_id=first, answers={"b2": "not_met"})
        upsert_answers(db, round_id=round_id, participant_id=second, answers={"b2": "not_met"})
    with fresh_store.session() as db:
        assert db.scalar(select(func.count()).select_from(ChecklistAnswer)) == 3
        assert answers_of(db, round_id, first) == {"b1": "met", "b2": "not_met"}
        assert tally(db, [round_id]) == {round_id: {"b1": {"met": 1}, "b2": {"not_met": 2}}}
        assert answered_count(db, round_id) == 2


def test_an_answer_outside_the_three_is_refused_by_the_database(fresh_store, checklist_room):
    with pytest.raises(IntegrityError):
        with fresh_store.session() as db:
            upsert_answers(db, round_id=checklist_room["round"], participant_id=checklist_room["phones"][0],
                           answers={"b1": "maybe"})
