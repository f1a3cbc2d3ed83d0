"""The facilitator's optional per-criterion timer (issue 11: thirty items in a day need pacing).

The server holds when the current criterion's timer started (`WorkshopSession.timer_started_at`),
so the projector, the control page and a reloaded page all count from the same moment; moving to
another criterion stops it (`rounds.goto`). A screen is sent the seconds elapsed when its stage is
built and counts on from there with its own clock, so a screen whose clock is wrong still agrees.
The timer is not derived from the votes: every screen may see it.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..store.models import WorkshopSession, utcnow
from .errors import invalid
from .lookups import check_criterion


def set_timer(db: Session, session: WorkshopSession, criterion: str, running: bool) -> dict | None:
    """Start (or stop) the timer of the current criterion; starting a running timer keeps its
    start, so a resent copy changes nothing. Returns the TIMER now in force."""
    check_criterion(session, criterion)
    if criterion != session.current_criterion:
        raise invalid("criterion", f"{criterion} is not the criterion the room is on")
    if not running:
        session.timer_started_at = None
    elif session.timer_started_at is None:
        session.timer_started_at = utcnow()
    db.flush()
    return timer_view(session)


def timer_view(session: WorkshopSession) -> dict | None:
    """TIMER: {"started_at": ISO time, "elapsed": whole seconds since} or None (not running)."""
    started = session.timer_started_at
    if started is None or session.current_criterion is None:
        return None
    elapsed = max(0, int((utcnow() - started).total_seconds()))
    return {"started_at": started.isoformat(), "elapsed": elapsed}
