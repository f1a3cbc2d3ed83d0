"""Hot-path vote queries the live loop calls: record a vote, count a round.

`upsert_vote` is one INSERT ... ON CONFLICT (round_id, participant_id) DO UPDATE statement:
constant work however many phones are in the room, and a retried vote is harmless.
`OpenRoundUpsert` is the same upsert for a phone's vote, compiled once per process to the
driver's SQL and run on a bare pooled connection (`Store.raw_write`: the store's write turn,
then commit before the acknowledgement; no ORM session, no per-vote SQLAlchemy execution): it
writes only when the round is open in that session, so the check and the write are one
statement, true whichever worker opened or closed the round.
`tally` and `voters_count` are single aggregate queries, meant to run at a bounded rate
(coalesced for the projector), never once per vote.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Integer, Text, bindparam, false, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import Round, Vote, utcnow
from .prebuilt import Prebuilt

if TYPE_CHECKING:
    from .db import Store

DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(db: Session):
    """The INSERT construct with ON CONFLICT support for the session's database."""
    name = db.get_bind().dialect.name
    try:
        return DIALECT_INSERTS[name]
    except KeyError:
        raise NotImplementedError(f"no vote upsert for the {name} database") from None


def upsert_vote(
    db: Session,
    *,
    round_id: int,
    participant_id: int,
    level: int | None,
    not_sure: bool,
    note: str | None = None,
    on_behalf: bool = False,
) -> Vote:
    """Record a participant's vote in a round, replacing their earlier vote there.

    `level` is None exactly when `not_sure` is true (the database refuses anything else).
    `note=None` keeps the evidence note already on the vote; a string replaces it.
    The explain-step `reason` is kept as it is (see `explain_vote`).
    """
    now = utcnow()
    insert = dialect_insert(db)(Vote).values(
        round_id=round_id, participant_id=participant_id, level=level, not_sure=not_sure,
        note=note, on_behalf=on_behalf, created_at=now, updated_at=now,
    )
    new = insert.excluded
    statement = insert.on_conflict_do_update(
        index_elements=[Vote.round_id, Vote.participant_id],
        set_={
            Vote.level: new.level,
            Vote.not_sure: new.not_sure,
            Vote.note: func.coalesce(new.note, Vote.note),
            Vote.on_behalf: new.on_behalf,
            Vote.updated_at: new.updated_at,
        },
    ).returning(Vote)
    return db.scalars(statement, execution_options={"populate_existing": True}).one()


class OpenRoundUpsert:
    """A phone's vote, recorded and committed by one prebuilt statement (the hot path)."""

    def __init__(self, store: "Store") -> None:
        self.store = store
        dialect = store.engine.dialect
        self._statement = Prebuilt(self._build(DIALECT_INSERTS[dialect.name]), dialect)

    @staticmethod
    def _build(insert_of):
        votes, rounds = Vote.__table__, Round.__table__
        now = bindparam("now", type_=votes.c.created_at.type)
        source = select(
            rounds.c.id, bindparam("participant_id", type_=Integer), bindparam("level", type_=Integer),
            bindparam("not_sure", type_=Boolean), bindparam("note", type_=Text), false(), now, now,
        ).where(rounds.c.id == bindparam("round_id", type_=Integer),
                rounds.c.session_id == bindparam("session_id"), rounds.c.state == "open",
                rounds.c.kind == "level")
        insert = insert_of(votes).from_select(
            ["round_id", "participant_id", "level", "not_sure", "note", "on_behalf", "created_at",
             "updated_at"], source)
        new = insert.excluded
        return insert.on_conflict_do_update(
            index_elements=[votes.c.round_id, votes.c.participant_id],
            set_={"level": new.level, "not_sure": new.not_sure,
                  "note": func.coalesce(new.note, votes.c.note), "on_behalf": new.on_behalf,
                  "updated_at": new.updated_at},
        ).returning(votes.c.round_id, votes.c.level, votes.c.not_sure, votes.c.note)

    def __call__(self, *, session_id: str, round_id: int, participant_id: int,
                 level: int | None, not_sure: bool, note: str | None) -> dict | None:
        """The stored vote as {round_id, level, not_sure, note}, committed; None when the round
        is not an open level round of that session (nothing written)."""
        parameters = self._statement.parameters({
            "session_id": session_id, "round_id": round_id, "participant_id": participant_id,
            "level": level, "not_sure": not_sure, "note": note, "now": utcnow()})
        with self.store.raw_write() as connection:
            row = connection.execute(self._statement.sql, parameters).fetchone()
        if row is None:
            return None
        return {"round_id": row[0], "level": row[1], "not_sure": bool(row[2]), "note": row[3]}


def explain_vote(db: Session, *, round_id: int, participant_id: int, reason: str | None) -> bool:
    """Attach the Delphi "explain" step's one-line reason to a vote; False if there is none."""
    result = db.execute(
        update(Vote)
        .where(Vote.round_id == round_id, Vote.participant_id == participant_id)
        .values(reason=reason, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def tally(db: Session, round_id: int) -> tuple[dict[int, int], int]:
    """Votes per level and the number of "not sure" votes of a round, by one GROUP BY."""
    rows = db.execute(
        select(Vote.level, func.count()).where(Vote.round_id == round_id).group_by(Vote.level)
    )
    counts: dict[int, int] = {}
    not_sure = 0
    for level, count in rows:
        if level is None:
            not_sure = count
        else:
            counts[level] = count
    return dict(sorted(counts.items())), not_sure


def voters_count(db: Session, round_id: int) -> int:
    """How many participants have voted in a round (a "not sure" counts as a vote cast)."""
    return db.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == round_id))
