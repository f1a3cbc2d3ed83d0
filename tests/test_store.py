"""The store keeps a workshop's data the way the room produced it, on SQLite and PostgreSQL.

Each test runs twice through the `backend_url` fixture: on a SQLite file and on an empty
database of the PostgreSQL server the suite starts itself.
"""
from __future__ import annotations

from datetime import date, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from tests.store_fixtures import FRAMEWORK, add_phone, add_session, open_round  # noqa: F401 (older imports)
from workshop.store.decisions import (
    current_decision,
    current_decisions,
    record_decision,
    undo_last_decision,
)
from workshop.store.ideas import upvote_idea, withdraw_upvote
from workshop.store.keys import hash_token, new_token
from workshop.store.models import (
    Decision,
    Idea,
    IdeaUpvote,
    OrganizerAccount,
    Participant,
    PlanItem,
    Round,
    Vote,
    WorkshopSession,
)
from workshop.store.votes import explain_vote, tally, upsert_vote, voters_count

def vote(store, room, phone, level, *, not_sure=False, **extra) -> Vote:
    with store.session() as db:
        return upsert_vote(db, round_id=room["round"], participant_id=room["phones"][phone],
                           level=level, not_sure=not_sure, **extra)


def test_a_workshop_with_everything_in_it_comes_back_as_it_was_stored(fresh_store, room):
    with fresh_store.session() as db:
        db.add(OrganizerAccount(username="organizer", password_hash="scrypt$..."))
        upsert_vote(db, round_id=room["round"], participant_id=room["phones"][0], level=2,
                    not_sure=False, note="มีแผนยุทธศาสตร์")
        record_decision(db, session_id=room["session"], criterion_code="1.1", agreed_level=2,
                        target_level=3, importance=4, decided_by="facilitator",
                        round_id=room["round"])
        db.add(Idea(session_id=room["session"], criterion_code="1.1", text="อบรมผู้บริหาร",
                    participant_id=room["phones"][1]))
        db.add(PlanItem(session_id=room["session"], criterion_code="1.1", position=1,
                        actions=["อบรมผู้บริหาร"], owner="กองแผน", start_quarter="2027-Q1"))
    with fresh_store.session() as db:
        workshop = db.get(WorkshopSession, room["session"])
        assert (workshop.title, workshop.held_on, workshop.language) == (
            "ประเมิน PMQA 4.0", date(2026, 5, 9), "th")
        assert workshop.framework == FRAMEWORK and workshop.agenda == ["1.1", "1.2"]
        assert workshop.settings["roles"] == ["executive", "staff"]
        assert len(workshop.join_code) == 6 and len(workshop.id) >= 10
        assert workshop.created_at.tzinfo is not None
        assert workshop.created_at.utcoffset() == timezone.utc.utcoffset(None)
        assert [p.observer for p in workshop.participants] == [False] * 3
        (round_,) = workshop.rounds
        assert [(v.level, v.note) for v in round_.votes] == [(2, "มีแผนยุทธศาสตร์")]
        assert (workshop.decisions[0].agreed_level, workshop.decisions[0].round_id) == (
            2, room["round"])
        assert workshop.ideas[0].text == "อบรมผู้บริหาร" and workshop.ideas[0].upvotes == 0
        item = workshop.plan_items[0]
        assert (item.actions, item.version, item.status) == (["อบรมผู้บริหาร"], 1, "planned")
        assert db.scalar(select(OrganizerAccount.username)) == "organizer"


def test_a_phone_that_votes_twice_keeps_one_vote_with_the_last_level(fresh_store, room):
    first = vote(fresh_store, room, 0, 1, note="เห็นเอกสาร")
    second = vote(fresh_store, room, 0, 3)
    with fresh_store.session() as db:
        votes = db.scalars(select(Vote)).all()
    assert [(v.id, v.level, v.not_sure) for v in votes] == [(first.id, 3, False)]
    assert second.id == first.id and second.level == 3
    assert votes[0].note == "เห็นเอกสาร"  # a vote without a note keeps the one it had
    assert votes[0].updated_at >= votes[0].created_at


def test_a_retried_vote_changes_nothing(fresh_store, room):
    vote(fresh_store, room, 1, 2)
    vote(fresh_store, room, 1, 2)
    with fresh_store.session() as db:
        assert voters_count(db, room["round"]) == 1
        assert tally(db, room["round"]) == ({2: 1}, 0)


def test_changing_a_vote_to_not_sure_clears_its_level(fresh_store, room):
    vote(fresh_store, room, 0, 2)
    changed = vote(fresh_store, room, 0, None, not_sure=True, on_behalf=True)
    assert (changed.level, changed.not_sure, changed.on_behalf) == (None, True, True)


@pytest.mark.parametrize("level, not_sure", [(2, True), (None, False)])
def test_the_database_refuses_a_vote_that_is_both_or_neither_sure_and_levelled(
    fresh_store, room, level, not_sure
):
    with pytest.raises(IntegrityError, match="not_sure_has_no_level"):
        vote(fresh_store, room, 0, level, not_sure=not_sure)
    with fresh_store.session() as db:
        assert voters_count(db, room["round"]) == 0


def test_the_tally_counts_each_level_and_keeps_not_sure_apart(fresh_store, room):
    with fresh_store.session() as db:
        workshop = db.get(WorkshopSession, room["session"])
        extra = [add_phone(db, workshop).id for _ in range(3)]
    room["phones"].extend(extra)
    for phone, level in enumerate([3, 1, 3, None, 0, None]):
        vote(fresh_store, room, phone, level, not_sure=level is None)
    with fresh_store.session() as db:
        assert tally(db, room["round"]) == ({0: 1, 1: 1, 3: 2}, 2)
        assert voters_count(db, room["round"]) == 6


def test_an_empty_round_tallies_to_nothing(fresh_store, room):
    with fresh_store.session() as db:
        assert tally(db, room["round"]) == ({}, 0)
        assert voters_count(db, room["round"]) == 0


def test_a_re_vote_is_a_new_round_and_the_first_round_keeps_its_votes(fresh_store, room):
    vote(fresh_store, room, 0, 1)
    with fresh_store.session() as db:
        revote = open_round(db, db.get(WorkshopSession, room["session"]), number=2)
        upsert_vote(db, round_id=revote.id, participant_id=room["phones"][0], level=2,
                    not_sure=False)
    with fresh_store.session() as db:
        assert tally(db, room["round"]) == ({1: 1}, 0)
        assert tally(db, revote.id) == ({2: 1}, 0)


def test_a_criterion_cannot_have_two_rounds_with_the_same_number(fresh_store, room):
    with pytest.raises(IntegrityError):
        with fresh_store.session() as db:
            open_round(db, db.get(WorkshopSession, room["session"]), number=1)
    with fresh_store.session() as db:
        workshop = db.get(WorkshopSession, room["session"])
        open_round(db, workshop, criterion="1.2", number=1)  # another criterion may
        assert db.scalar(select(func.count()).select_from(Round)) == 2


def test_the_explain_step_adds_a_reason_to_a_vote_that_exists(fresh_store, room):
    vote(fresh_store, room, 2, 0)
    with fresh_store.session() as db:
        assert explain_vote(db, round_id=room["round"], participant_id=room["phones"][2],
                            reason="ยังไม่มีการวัดผล") is True
        assert explain_vote(db, round_id=room["round"], participant_id=room["phones"][1],
                            reason="no vote here") is False
    with fresh_store.session() as db:
        assert db.scalars(select(Vote.reason)).all() == ["ยังไม่มีการวัดผล"]


def test_deleting_a_session_removes_its_participants_and_all_their_data(fresh_store, room):
    vote(fresh_store, room, 0, 2)
    with fresh_store.session() as db:
        other = add_session(db, title="another session")
        other_phone = add_phone(db, other)
        idea = Idea(session_id=room["session"], criterion_code="1.1", text="x",
                    participant_id=room["phones"][0])
        db.add(idea)
        db.add_all([PlanItem(session_id=room["session"], criterion_code="1.1")])
        record_decision(db, session_id=room["session"], criterion_code="1.1", agreed_level=2)
        db.flush()
        upvote_idea(db, idea_id=idea.id, participant_id=room["phones"][1])
    with fresh_store.session() as db:
        db.delete(db.get(WorkshopSession, room["session"]))
    with fresh_store.session() as db:
        for model in (Participant, Round, Vote, Decision, Idea, IdeaUpvote, PlanItem):
            remaining = db.scalar(select(func.count()).select_from(model))
            assert remaining == (1 if model is Participant else 0), model.__name__
        assert db.scalar(select(Participant.id)) == other_phone.id


def test_undoing_the_last_decision_brings_back_the_one_before(fresh_store, room):
    sid = room["session"]
    with fresh_store.session() as db:
        record_decision(db, session_id=sid, criterion_code="1.1", agreed_level=1, target_level=2)
        record_decision(db, session_id=sid, criterion_code="1.2", agreed_level=0, target_level=1)
        record_decision(db, session_id=sid, criterion_code="1.1", agreed_level=2, target_level=3,
                        note="override after discussion")
    with fresh_store.session() as db:
        undone = undo_last_decision(db, sid)
        assert (undone.criterion_code, undone.agreed_level) == ("1.1", 2)
    with fresh_store.session() as db:
        assert current_decision(db, sid, "1.1").agreed_level == 1
        assert {c: d.agreed_level for c, d in current_decisions(db, sid).items()} == {
            "1.1": 1, "1.2": 0}
        undo_last_decision(db, sid)  # then 1.2's only decision
        undo_last_decision(db, sid)  # then 1.1's first one
        assert current_decisions(db, sid) == {}
        assert undo_last_decision(db, sid) is None
        assert db.scalar(select(func.count()).select_from(Decision)) == 3  # history stays


def test_a_phone_can_upvote_an_idea_only_once(fresh_store, room):
    with fresh_store.session() as db:
        idea = Idea(session_id=room["session"], criterion_code="1.1", text="คู่มือ")
        db.add(idea)
        db.flush()
        first, again = room["phones"][0], room["phones"][1]
        assert upvote_idea(db, idea_id=idea.id, participant_id=first) is True
        assert upvote_idea(db, idea_id=idea.id, participant_id=first) is False
        assert upvote_idea(db, idea_id=idea.id, participant_id=again) is True
        assert withdraw_upvote(db, idea_id=idea.id, participant_id=again) is True
        assert withdraw_upvote(db, idea_id=idea.id, participant_id=again) is False
    with fresh_store.session() as db:
        assert db.get(Idea, idea.id).upvotes == 1
        assert db.scalar(select(func.count()).select_from(IdeaUpvote)) == 1
    with pytest.raises(IntegrityError):
        with fresh_store.session() as db:
            db.add(IdeaUpvote(idea_id=idea.id, participant_id=first))


def test_a_phone_token_is_unique_within_its_session_only(fresh_store, room):
    token_hash = hash_token("the same phone")
    with fresh_store.session() as db:
        workshop = db.get(WorkshopSession, room["session"])
        other = add_session(db, title="same day, other room")
        db.add_all([Participant(session_id=workshop.id, token_hash=token_hash),
                    Participant(session_id=other.id, token_hash=token_hash)])
    with pytest.raises(IntegrityError):
        with fresh_store.session() as db:
            db.add(Participant(session_id=room["session"], token_hash=token_hash))


def test_a_phone_is_found_again_by_its_token(fresh_store, room):
    token = new_token()
    with fresh_store.session() as db:
        phone = Participant(session_id=room["session"], token_hash=hash_token(token), name="Ann")
        db.add(phone)
    with fresh_store.session() as db:
        found = db.scalars(select(Participant).where(
            Participant.session_id == room["session"],
            Participant.token_hash == hash_token(token))).one()
        assert found.name == "Ann" and found.token_hash == hash_token(token)
        assert found.token_hash != hash_token(new_token())


def test_two_organizers_editing_the_same_plan_item_cannot_overwrite_each_other(fresh_store, room):
    with fresh_store.session() as db:
        item = PlanItem(session_id=room["session"], criterion_code="1.1", owner="A")
        db.add(item)
    with pytest.raises(StaleDataError):
        with fresh_store.session() as late:
            stale = late.get(PlanItem, item.id)  # the late editor saw version 1
            with fresh_store.session() as early:
                early.get(PlanItem, item.id).owner = "กองแผน"
            stale.owner = "กองคลัง"
    with fresh_store.session() as db:
        kept = db.get(PlanItem, item.id)
        assert (kept.owner, kept.version) == ("กองแผน", 2)


def test_a_failed_unit_of_work_leaves_nothing_behind(fresh_store, room):
    with pytest.raises(RuntimeError):
        with fresh_store.session() as db:
            add_session(db, title="half made")
            raise RuntimeError("the request failed")
    with fresh_store.session() as db:
        assert db.scalar(select(func.count()).select_from(WorkshopSession)) == 1


def test_the_database_refuses_an_unknown_session_status(fresh_store):
    with pytest.raises(IntegrityError, match="status"):
        with fresh_store.session() as db:
            add_session(db, status="paused")


def test_a_session_id_never_starts_with_a_dash_so_the_command_line_reads_it_as_an_id(monkeypatch):
    from workshop.store import keys
    drawn = iter(["-FK3Qan8XN-I", "Q-FK3an8XN-I"])
    monkeypatch.setattr(keys.secrets, "token_urlsafe", lambda nbytes: next(drawn))
    assert keys.new_session_id() == "Q-FK3an8XN-I"
