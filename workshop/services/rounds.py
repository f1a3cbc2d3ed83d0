"""The facilitator's steps through a workshop: go to a criterion, open / close / reveal a round,
the explain step before a re-vote, and the ideas phase of a criterion.

The explain step opens only on a revealed round: its band and reasons are derived from the
votes, and nothing derived from the votes reaches a phone before the reveal.

Every function takes the session row (locked by the caller's unit of work when it can be) and
raises `LiveError` when the step is out of turn; a refused step changes nothing.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.consensus import summarize
from ..store import votes as vote_store
from ..store.models import Round, WorkshopSession, utcnow
from .errors import LiveError, invalid
from .lookups import check_criterion, open_round_of, round_of, scale_of

def _no_round_open(db: Session, session: WorkshopSession) -> None:
    current = open_round_of(db, session.id)
    if current is not None:
        raise LiveError("round_open", f"round {current.id} on {current.criterion_code} is open",
                        field="criterion")


def goto(db: Session, session: WorkshopSession, criterion: str) -> WorkshopSession:
    """Move the room to a criterion of the agenda (not while a round is open)."""
    check_criterion(session, criterion)
    _no_round_open(db, session)
    if session.current_criterion != criterion:
        session.current_criterion = criterion
        session.explain_round_id = None
        session.timer_started_at = None  # the timer is the criterion's (services/timer.py)
    session.status = "live"
    return session


def _latest_of(db: Session, session_id: str, criterion: str) -> Round | None:
    return db.scalar(select(Round).where(Round.session_id == session_id,
                                         Round.criterion_code == criterion)
                     .order_by(Round.number.desc()).limit(1))


def _already_opened(db: Session, latest: Round | None, number: int | None) -> Round | None:
    """The round a resent `open_round` asked for, when its first copy opened it; else None.

    With `number` (the round number the page expects to open): that round once it exists,
    whatever its state since; a number past the next one is refused. Without it: the
    criterion's latest round while it is still open.
    """
    if number is None:
        return latest if latest is not None and latest.state == "open" else None
    next_number = (latest.number if latest is not None else 0) + 1
    if number > next_number:
        raise invalid("number", f"the next round is number {next_number}")
    if number == next_number:
        return None
    return db.scalar(select(Round).where(Round.session_id == latest.session_id,
                                         Round.criterion_code == latest.criterion_code,
                                         Round.number == number))


def open_round(db: Session, session: WorkshopSession, criterion: str,
               number: int | None = None, *, kind: str = "level",
               lines: list[str] | None = None) -> Round:
    """Open the next round of a criterion (a re-vote when it has one already), a level vote or
    a checklist round asking `lines` (checked by services/checklists.py); a resent copy
    answers with the round its first copy opened and changes nothing."""
    check_criterion(session, criterion)
    latest = _latest_of(db, session.id, criterion)
    found = _already_opened(db, latest, number)
    if found is not None:
        return found
    _no_round_open(db, session)
    opened = Round(session_id=session.id, criterion_code=criterion,
                   number=(latest.number if latest is not None else 0) + 1,
                   state="open", opened_at=utcnow(), kind=kind, lines=lines)
    db.add(opened)
    session.current_criterion = criterion
    session.explain_round_id = None
    session.status = "live"
    db.flush()
    return opened


def close_round(db: Session, session: WorkshopSession, round_id: int) -> Round:
    """Close an open round; closing it again (a resent copy) changes nothing."""
    found = round_of(db, session.id, round_id)
    if found.state != "open":
        return found
    found.state = "closed"
    found.closed_at = utcnow()
    db.flush()
    return found


def reveal(db: Session, session: WorkshopSession, round_id: int) -> Round:
    """Show a closed round's results to everyone; revealing it again changes nothing."""
    found = round_of(db, session.id, round_id)
    if found.state == "open":
        raise LiveError("round_not_closed", f"round {round_id} is still open", field="round_id")
    if found.state == "closed":
        found.state = "revealed"
        found.revealed_at = utcnow()
        db.flush()
        from .line_ofis import create_for  # late: line_ofis reads checklist rounds, made here
        create_for(db, session, found.criterion_code)  # a decision taken before the reveal
    return found


def band(db: Session, session_id: str, round_: Round) -> tuple[float, float] | None:
    """The room's central band of a round, [Q1, Q3]; None when nobody voted a level.

    Computed from the store every time (one GROUP BY, the same the revealed results cost): a
    per-process cache keyed by round id went stale when SQLite reused the ids of a deleted
    session's rounds.
    """
    counts, not_sure = vote_store.tally(db, round_.id)
    summary = summarize(counts, scale_of(db, session_id), not_sure)
    return None if summary.n == 0 else (summary.q1, summary.q3)


def explain(db: Session, session: WorkshopSession, round_id: int, open_: bool) -> dict | None:
    """Open (or close) the explain step on a revealed round; returns the step or None."""
    found = round_of(db, session.id, round_id)
    if found.state == "open":
        raise LiveError("round_not_closed", f"round {round_id} is still open", field="round_id")
    if open_ and found.state != "revealed":
        raise LiveError("round_not_revealed", f"round {round_id} is not revealed", field="round_id")
    if open_ and found.kind != "level":
        raise invalid("round_id", f"round {round_id} is a checklist round: re-run its disputed lines")
    if not open_:
        if session.explain_round_id == found.id:
            session.explain_round_id = None
        return None
    session.explain_round_id = found.id
    return explain_step(db, session)


def explain_step(db: Session, session: WorkshopSession) -> dict | None:
    """The explain step in force, as the protocol shows it, or None (also when the round it
    names is not revealed, e.g. from an older archive: its band would leak the votes)."""
    if session.explain_round_id is None:
        return None
    found = db.get(Round, session.explain_round_id)
    if found is None or found.session_id != session.id or found.state != "revealed":
        return None
    central = band(db, session.id, found)
    return {"round_id": found.id, "band": None if central is None else list(central)}


def ideas_phase(db: Session, session: WorkshopSession, criterion: str, open_: bool) -> str | None:
    """Open the ideas phase of a criterion (closing any other) or close it."""
    check_criterion(session, criterion)
    if open_:
        session.ideas_open_for = criterion
    elif session.ideas_open_for == criterion:
        session.ideas_open_for = None
    return session.ideas_open_for
