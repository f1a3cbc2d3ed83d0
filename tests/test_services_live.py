"""The live workshop's rules, on the store: joining, rounds, votes, reasons, ideas, decisions,
and what each screen may see."""
from __future__ import annotations

import pytest

from workshop import catalog
from workshop.services import decisions, ideas, participants, rounds, sessions, views, voting
from workshop.services.errors import LiveError
from workshop.services.sessions import SessionSettings
from workshop.store.models import Participant, Vote


@pytest.fixture
def room(store):
    """A PMQA 4.0 session (levels 0 to 3) with criteria 1.1 and 1.2 on its agenda, two roles."""
    with store.session() as db:
        created = sessions.create_session(
            db, catalog.get_framework("pmqa-4.0"),
            SessionSettings(title="t", agenda=("1.1", "1.2"), roles=("executive", "staff")))
        return created.id


def _session(db, session_id):
    return sessions.get(db, session_id)


def _join(store, session_id, **kwargs):
    with store.session() as db:
        joined = participants.join(db, _session(db, session_id), **{**_join_key(), **kwargs})
        return joined.participant.id, joined.token


_JOIN_COUNT = iter(range(1, 10**6))


def _join_key() -> dict:
    return {"client_key": f"test-join-key-{next(_JOIN_COUNT):06d}", "secret_key": "a test secret"}


def _open(store, session_id, criterion="1.1"):
    with store.session() as db:
        return rounds.open_round(db, _session(db, session_id), criterion).id


def _refused(code, action):
    with pytest.raises(LiveError) as refused:
        action()
    assert refused.value.code == code, refused.value
    return refused.value


def test_a_phone_joining_again_after_the_server_secret_changed_gets_a_token_that_works(store, room):
    """The same join key finds the same participant; its token is derived from the new secret
    and is the one stored (the phone reconnects with it)."""
    first = _join(store, room, client_key="kept key", secret_key="old secret")
    again = _join(store, room, client_key="kept key", secret_key="new secret")
    assert again[0] == first[0] and again[1] != first[1]
    with store.session() as db:
        assert participants.find_by_token(db, room, again[1]).id == first[0]
        assert participants.find_by_token(db, room, first[1]) is None
        assert db.query(Participant).filter_by(session_id=room).count() == 1


def test_a_phone_that_joins_gets_a_token_whose_hash_alone_is_stored(store, room):
    pid, token = _join(store, room, name="สมชาย", role="staff")
    with store.session() as db:
        stored = db.get(Participant, pid)
        assert token not in stored.token_hash and len(stored.token_hash) == 64
        assert stored.name is None  # the session is anonymous: the name is dropped
        assert participants.find_by_token(db, room, token).id == pid
        assert participants.find_by_token(db, room, "x" * 20) is None


def test_a_role_the_session_does_not_offer_is_refused(store, room):
    with store.session() as db:
        error = _refused("invalid", lambda: participants.join(db, _session(db, room), role="king", **_join_key()))
        assert error.field == "role"


def test_only_one_round_is_open_at_a_time_and_a_revote_is_the_next_number(store, room):
    first = _open(store, room)
    with store.session() as db:
        _refused("round_open", lambda: rounds.open_round(db, _session(db, room), "1.2"))
        _refused("round_open", lambda: rounds.goto(db, _session(db, room), "1.2"))
        _refused("round_not_closed", lambda: rounds.reveal(db, _session(db, room), first))
        rounds.close_round(db, _session(db, room), first)
    with store.session() as db:
        assert rounds.close_round(db, _session(db, room), first).state == "closed"  # a resent close
        again = rounds.open_round(db, _session(db, room), "1.1")
        assert again.number == 2
        _refused("not_found", lambda: rounds.open_round(db, _session(db, room), "9.9"))


def test_a_phone_that_sleeps_keeps_its_vote_and_a_resent_vote_counts_once(store, room):
    pid, token = _join(store, room)
    round_id = _open(store, room)
    for _ in range(3):
        with store.session() as db:
            voting.cast_vote(db, room, pid, round_id=round_id, level=2)
    with store.session() as db:
        again = participants.find_by_token(db, room, token)
        assert voting.vote_view(voting.my_vote(db, round_id, again.id))["level"] == 2
        assert db.query(Vote).filter_by(round_id=round_id).count() == 1


def test_votes_off_the_scale_on_closed_rounds_and_from_observers_are_refused(store, room):
    pid, _ = _join(store, room)
    watcher, _ = _join(store, room, observer=True)
    round_id = _open(store, room)
    with store.session() as db:
        _refused("invalid", lambda: voting.cast_vote(db, room, pid, round_id=round_id, level=99))
        _refused("invalid", lambda: voting.cast_vote(db, room, pid, round_id=round_id))
        _refused("observer", lambda: voting.cast_vote(db, room, watcher, round_id=round_id, level=1))
        _refused("not_found", lambda: voting.cast_vote(db, room, pid, round_id=round_id + 99, level=1))
        rounds.close_round(db, _session(db, room), round_id)
    with store.session() as db:
        _refused("round_not_open", lambda: voting.cast_vote(db, room, pid, round_id=round_id, level=1))
        assert voting.my_vote(db, round_id, pid) is None


def _vote_all(store, room, round_id, levels):
    ids = []
    for level in levels:
        pid, _ = _join(store, room)
        with store.session() as db:
            if level is None:
                voting.cast_vote(db, room, pid, round_id=round_id, not_sure=True)
            else:
                voting.cast_vote(db, room, pid, round_id=round_id, level=level)
        ids.append(pid)
    return ids


def test_only_votes_outside_the_central_band_may_give_a_reason(store, room):
    round_id = _open(store, room)
    # 0,1,1,1,3: Q1 = 1 (median of 0,1,1), Q3 = 1 (median of 1,1,3): band [1, 1]
    low, mid, _, _, high = _vote_all(store, room, round_id, [0, 1, 1, 1, 3])
    with store.session() as db:
        _refused("round_not_closed", lambda: rounds.explain(db, _session(db, room), round_id, True))
        _refused("explain_closed", lambda: voting.give_reason(db, room, low, round_id=round_id, text="x"))
        rounds.close_round(db, _session(db, room), round_id)
    with store.session() as db:
        _refused("round_not_revealed", lambda: rounds.explain(db, _session(db, room), round_id, True))
        rounds.reveal(db, _session(db, room), round_id)
    with store.session() as db:
        step = rounds.explain(db, _session(db, room), round_id, True)
        assert step == {"round_id": round_id, "band": [1.0, 1.0]}
    with store.session() as db:
        _refused("not_an_outlier", lambda: voting.give_reason(db, room, mid, round_id=round_id, text="x"))
        voting.give_reason(db, room, low, round_id=round_id, text="  ยังไม่มีแผน  ")
        voting.give_reason(db, room, high, round_id=round_id, text="we measure it")
    with store.session() as db:
        shown = views.reasons(db, _session(db, room), round_id, "projector")
        assert shown["items"] == [{"level": 0, "text": "ยังไม่มีแผน"}, {"level": 3, "text": "we measure it"}]


def test_a_split_room_proposes_the_lower_level_and_overriding_it_needs_a_note(store, room):
    round_id = _open(store, room)
    _vote_all(store, room, round_id, [2, 2, 3, 3, None])
    with store.session() as db:
        rounds.close_round(db, _session(db, room), round_id)
    with store.session() as db:
        session = _session(db, room)
        _refused("note_required", lambda: decisions.decide(
            db, session, criterion="1.1", agreed_level=3, target_level=3, importance=3))
        _refused("invalid", lambda: decisions.decide(
            db, session, criterion="1.1", agreed_level=2, target_level=1, importance=3))
        decided = decisions.decide(db, session, criterion="1.1", agreed_level=2, target_level=3,
                                   importance=5)
        assert decided["proposed_level"] == 2 and decided["agreed_level"] == 2
    with store.session() as db:
        overridden = decisions.decide(db, _session(db, room), criterion="1.1", agreed_level=3,
                                      target_level=3, importance=2, note="หลักฐานเพิ่มเติม")
    with store.session() as db:
        _refused("nothing_to_undo", lambda: decisions.undo(db, _session(db, room), decided["id"]))
        code, now = decisions.undo(db, _session(db, room), overridden["id"])
        assert code == "1.1" and now["agreed_level"] == 2 and now["proposed_level"] == 2
        code, now = decisions.undo(db, _session(db, room), decided["id"])
        assert now is None
        _refused("not_found", lambda: decisions.undo(db, _session(db, room), decided["id"] + 99))


def test_in_hidden_mode_only_the_facilitator_sees_counts_before_the_reveal(store, room):
    round_id = _open(store, room)
    voter, _ = _vote_all(store, room, round_id, [3])[0], None
    with store.session() as db:
        session = _session(db, room)
        assert views.stage(db, session, "facilitator")["results"]["counts"]["3"] == 1
        assert views.stage(db, session, "projector")["results"] is None
        assert views.stage(db, session, "participant")["results"] is None
        assert "counts" not in views.tally(db, session, db.get(views.Round, round_id), 1, "projector")
        rounds.close_round(db, session, round_id)
        assert views.stage(db, session, "projector")["results"] is None
        rounds.reveal(db, session, round_id)
        shown = views.stage(db, session, "participant")["results"]
        assert shown["counts"]["3"] == 1 and shown["summary"]["median"] == 3
        participant = db.get(Participant, voter)
        mine = views.snapshot(db, session, "participant", participant=participant)
        assert mine["my_vote"]["level"] == 3 and "presence" not in mine and "decisions" not in mine


def test_ideas_are_taken_once_per_client_key_and_nobody_upvotes_their_own(store, room):
    author, _ = _join(store, room)
    fan, _ = _join(store, room)
    with store.session() as db:
        _refused("ideas_closed", lambda: ideas.submit_idea(db, room, author, criterion="1.1", text="x",
                                                           client_key="k1"))
        rounds.ideas_phase(db, _session(db, room), "1.1", True)
    with store.session() as db:
        first = ideas.submit_idea(db, room, author, criterion="1.1", text="อบรม", client_key="k1")
        again = ideas.submit_idea(db, room, author, criterion="1.1", text="อบรม", client_key="k1")
        assert first.id == again.id
        _refused("invalid", lambda: ideas.upvote(db, room, author, idea_id=first.id, on=True))
        assert ideas.upvote(db, room, fan, idea_id=first.id, on=True).upvotes == 1
        assert ideas.upvote(db, room, fan, idea_id=first.id, on=True).upvotes == 1
        assert ideas.upvote(db, room, fan, idea_id=first.id, on=False).upvotes == 0
        ideas.hide(db, room, idea_id=first.id, hidden=True)
        _refused("not_found", lambda: ideas.upvote(db, room, fan, idea_id=first.id, on=True))
        session = _session(db, room)
        assert views.snapshot(db, session, "projector")["ideas"] == []
        assert views.snapshot(db, session, "facilitator")["ideas"][0]["hidden"] is True
