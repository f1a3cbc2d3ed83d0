"""The phone's one-statement vote (`OpenRoundUpsert`) on SQLite and PostgreSQL: it writes and
commits only into an open round of the phone's own session, replaces an earlier vote (keeping
its note unless a new one comes), and a copy of it changes nothing."""
from __future__ import annotations

from sqlalchemy import update

from workshop.store.models import Round, Vote
from workshop.store.votes import OpenRoundUpsert


def _cast(store, room, level, *, session=None, note=None, not_sure=False):
    with store.session(write=True) as db:
        return OpenRoundUpsert(store.engine)(
            db, session_id=session or room["session"], round_id=room["round"],
            participant_id=room["phones"][0], level=level, not_sure=not_sure, note=note)


def _stored(store, room):
    with store.session() as db:
        return [(v.level, v.not_sure, v.note) for v in db.query(Vote).filter_by(round_id=room["round"])]


def test_a_vote_is_written_once_and_replaced_keeping_its_note(fresh_store, room):
    first = _cast(fresh_store, room, 1, note="มีแผน")
    assert first == {"round_id": room["round"], "level": 1, "not_sure": False, "note": "มีแผน"}
    assert _cast(fresh_store, room, 3) == {**first, "level": 3}
    assert _cast(fresh_store, room, 3) == {**first, "level": 3}  # the resent copy
    assert _cast(fresh_store, room, None, not_sure=True)["not_sure"] is True
    assert _stored(fresh_store, room) == [(None, True, "มีแผน")]


def test_nothing_is_written_into_a_closed_round_or_from_another_session(fresh_store, room):
    assert _cast(fresh_store, room, 2, session="another-session") is None
    assert _stored(fresh_store, room) == []
    with fresh_store.session() as db:
        db.execute(update(Round).where(Round.id == room["round"]).values(state="closed"))
    assert _cast(fresh_store, room, 2) is None
    assert _stored(fresh_store, room) == []
