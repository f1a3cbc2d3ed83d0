"""Decisions per criterion, append-only, with "undo the last decision".

Every `record_decision` adds a row. A criterion's current decision is its newest row not
undone; `undo_last_decision` marks the session's newest live row as undone, so the
criterion falls back to the decision before it (or to none). History is never deleted.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Decision, utcnow


def record_decision(db: Session, *, session_id: str, criterion_code: str, **fields) -> Decision:
    """Set a criterion's agreed level, target, importance, note, decided_by, round_id."""
    decision = Decision(session_id=session_id, criterion_code=criterion_code, **fields)
    db.add(decision)
    db.flush()
    return decision


def _live(session_id: str):
    return select(Decision).where(
        Decision.session_id == session_id, Decision.undone_at.is_(None)
    )


def current_decision(db: Session, session_id: str, criterion_code: str) -> Decision | None:
    """The decision in force for one criterion, or None when it is undecided."""
    statement = (
        _live(session_id)
        .where(Decision.criterion_code == criterion_code)
        .order_by(Decision.id.desc())
        .limit(1)
    )
    return db.scalars(statement).first()


def current_decisions(db: Session, session_id: str) -> dict[str, Decision]:
    """The decision in force for every decided criterion of a session, by criterion code."""
    decisions: dict[str, Decision] = {}
    for decision in db.scalars(_live(session_id).order_by(Decision.id)):
        decisions[decision.criterion_code] = decision
    return decisions


def last_decision(db: Session, session_id: str) -> Decision | None:
    """The session's most recent decision still in force (locked until the unit of work ends)."""
    statement = _live(session_id).order_by(Decision.id.desc()).limit(1).with_for_update()
    return db.scalars(statement).first()


def undo_last_decision(db: Session, session_id: str) -> Decision | None:
    """Undo the session's most recent decision still in force; None when there is none."""
    last = last_decision(db, session_id)
    if last is not None:
        last.undone_at = utcnow()
        db.flush()
    return last
