"""The facilitator's steps through a workshop: go to a criterion, open / close / reveal a round,
the explain step before a re-vote, and the ideas phase of a criterion.

Every function takes the session row (locked by the caller's unit of work when it can be) and
raises `LiveError` when the step is out of turn; a refused step changes nothing.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.consensus import summarize
from ..store import votes as vote_store
from ..store.models import Round, WorkshopSession, utcnow
from .errors import LiveError
from .frozen import check_criterion, open_round_of, round_of, scale_of

_bands: OrderedDict[int, tuple[float, float] | None] = OrderedDict()
_bands_lock = threading.Lock()
BAND_CACHE_SIZE = 1024


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
    session.status = "live"
    return session


def open_round(db: Session, session: WorkshopSession, criterion: str) -> Round:
    """Open the next round of a criterion (a re-vote when it has one already)."""
    check_criterion(session, criterion)
    _no_round_open(db, session)
    last = db.scalar(select(func.max(Round.number)).where(
        Round.session_id == session.id, Round.criterion_code == criterion))
    opened = Round(session_id=session.id, criterion_code=criterion, number=(last or 0) + 1,
                   state="open", opened_at=utcnow())
    db.add(opened)
    session.current_criterion = criterion
    session.explain_round_id = None
    session.status = "live"
    db.flush()
    return opened


def close_round(db: Session, session: WorkshopSession, round_id: int) -> Round:
    found = round_of(db, session.id, round_id)
    if found.state != "open":
        raise LiveError("round_not_open", f"round {round_id} is {found.state}", field="round_id")
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
    return found


def band(db: Session, session_id: str, round_: Round) -> tuple[float, float] | None:
    """The room's central band of a closed round, [Q1, Q3]; None when nobody voted a level.

    A closed round's votes no longer change, so each process computes its band once.
    """
    with _bands_lock:
        if round_.id in _bands:
            return _bands[round_.id]
    counts, not_sure = vote_store.tally(db, round_.id)
    summary = summarize(counts, scale_of(db, session_id), not_sure)
    found = None if summary.n == 0 else (summary.q1, summary.q3)
    if round_.state != "open":
        with _bands_lock:
            _bands[round_.id] = found
            while len(_bands) > BAND_CACHE_SIZE:
                _bands.popitem(last=False)
    return found


def explain(db: Session, session: WorkshopSession, round_id: int, open_: bool) -> dict | None:
    """Open (or close) the explain step on a closed round; returns the step or None."""
    found = round_of(db, session.id, round_id)
    if found.state == "open":
        raise LiveError("round_not_closed", f"round {round_id} is still open", field="round_id")
    if not open_:
        if session.explain_round_id == found.id:
            session.explain_round_id = None
        return None
    session.explain_round_id = found.id
    return explain_step(db, session)


def explain_step(db: Session, session: WorkshopSession) -> dict | None:
    """The explain step in force, as the protocol shows it, or None."""
    if session.explain_round_id is None:
        return None
    found = db.get(Round, session.explain_round_id)
    if found is None:
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
