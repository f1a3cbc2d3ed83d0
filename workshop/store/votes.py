"""Hot-path vote queries the live loop calls: record a vote, count a round.

`upsert_vote` is one INSERT ... ON CONFLICT (round_id, participant_id) DO UPDATE statement:
constant work however many phones are in the room, and a retried vote is harmless.
`tally` and `voters_count` are single aggregate queries, meant to run at a bounded rate
(coalesced for the projector), never once per vote.
"""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import Vote, utcnow

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(db: Session):
    """The INSERT construct with ON CONFLICT support for the session's database."""
    name = db.get_bind().dialect.name
    try:
        return _INSERTS[name]
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
