"""The phone's one-statement vote (`OpenRoundUpsert`) on SQLite and PostgreSQL: it writes and
commits only into an open round of the phone's own session, replaces an earlier vote (keeping
its note unless a new one comes), and a copy of it changes nothing."""
from __future__ import annotations

import re

from sqlalchemy import update

from workshop.store.models import Round, Vote
from workshop.store.votes import OpenRoundUpsert


def _cast(store, room, level, *, session=None, note=None, not_sure=False):
    return OpenRoundUpsert(store)(
        session_id=session or room["session"], round_id=room["round"],
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


def test_the_prebuilt_vote_stores_its_times_as_the_orm_does(fresh_store, room):
    """Run on the bare driver connection, the statement still goes through the columns' own
    conversions: its times read back as the ORM's (aware UTC, the same stored text)."""
    from tests.test_store import vote
    _cast(fresh_store, room, 1)
    vote(fresh_store, room, 1, 2)  # the ORM's upsert, for the second phone
    with fresh_store.session() as db:
        prebuilt, orm = (db.query(Vote).filter_by(round_id=room["round"], participant_id=room["phones"][i]).one()
                         for i in (0, 1))
        assert prebuilt.created_at.tzinfo is not None and prebuilt.updated_at >= prebuilt.created_at
        assert abs(orm.created_at - prebuilt.created_at).total_seconds() < 60
        raw = db.connection().exec_driver_sql(
            "SELECT CAST(created_at AS TEXT) FROM votes ORDER BY participant_id").scalars().all()
    if fresh_store.dialect == "sqlite":  # SQLite keeps the text as written: the same shape
        assert len({re.sub(r"\d", "9", text) for text in raw}) == 1, raw
