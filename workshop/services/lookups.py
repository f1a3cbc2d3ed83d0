"""Look-ups every service shares: a session's row, its frozen framework (the one place that
fetches it, cached), its rounds, a row it owns, and the checks of a criterion and a level.

A session's framework never changes once the session exists, so each process parses it once
and keeps it (bounded cache): the vote path checks a level against the scale without
loading or parsing anything.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from ..domain.framework import Framework, parse_framework
from ..store.models import Round, WorkshopSession
from .errors import LiveError

CACHE_SIZE = 256
# The live look-ups of a session row leave out its framework copy (tens of KB of JSON that
# the database driver would decode on every connect and join); `framework_of` parses it once
# per process, and an open unit of work still loads it on first access.
WITHOUT_FRAMEWORK = defer(WorkshopSession.framework)
_frameworks: OrderedDict[str, Framework] = OrderedDict()
_lock = threading.Lock()


def cached_framework(session_id: str) -> Framework | None:
    """The session's framework if this process has parsed it already (no database needed)."""
    with _lock:
        cached = _frameworks.get(session_id)
        if cached is not None:
            _frameworks.move_to_end(session_id)
        return cached


def framework_of(db: Session, session_id: str) -> Framework:
    """The session's frozen framework, parsed once per process."""
    cached = cached_framework(session_id)
    if cached is not None:
        return cached
    data = db.scalar(select(WorkshopSession.framework).where(WorkshopSession.id == session_id))
    if data is None:
        raise LiveError("not_found", f"no session {session_id}", field="session")
    framework = parse_framework(data, source=f"session {session_id}")
    with _lock:
        _frameworks[session_id] = framework
        while len(_frameworks) > CACHE_SIZE:
            _frameworks.popitem(last=False)
    return framework


def scale_of(db: Session, session_id: str) -> list[int]:
    return framework_of(db, session_id).level_values()


def session_row(db: Session, session_id: str, *, lock: bool = False) -> WorkshopSession:
    """The session, or `not_found`; `lock` takes a row lock (PostgreSQL) for a facilitator step."""
    statement = select(WorkshopSession).options(WITHOUT_FRAMEWORK).where(WorkshopSession.id == session_id)
    if lock:
        statement = statement.with_for_update()
    session = db.scalar(statement)
    if session is None:
        raise LiveError("not_found", f"no session {session_id}", field="session")
    return session


def owned_row(db: Session, model: type, session_id: str, row_id: int, field: str, what: str):
    """A row of `model` of this session by id; another session's row is `not_found` like a
    missing one (ids are guessable, sessions are not)."""
    found = db.get(model, row_id)
    if found is None or found.session_id != session_id:
        raise LiveError("not_found", f"no {what} {row_id} in this session", field=field)
    return found


def round_of(db: Session, session_id: str, round_id: int, field: str = "round_id") -> Round:
    """A round of this session by id."""
    return owned_row(db, Round, session_id, round_id, field, "round")


def check_criterion(session: WorkshopSession, code: str, field: str = "criterion") -> str:
    """A criterion on the session's agenda, or `not_found`."""
    if code not in session.agenda:
        raise LiveError("not_found", f"criterion {code!r} is not on this session's agenda", field=field)
    return code


def check_level(db: Session, session_id: str, level: int, field: str = "level") -> int:
    return check_level_in(framework_of(db, session_id), level, field)


def check_level_in(framework: Framework, level: int, field: str = "level") -> int:
    if level not in framework.level_values():
        raise LiveError("invalid", f"{field}: {level} is not a level of the scale", field=field)
    return level


def latest_round(db: Session, session_id: str, criterion: str) -> Round | None:
    return db.scalar(
        select(Round)
        .where(Round.session_id == session_id, Round.criterion_code == criterion)
        .order_by(Round.number.desc())
        .limit(1)
    )


def open_round_of(db: Session, session_id: str) -> Round | None:
    return db.scalar(
        select(Round).where(Round.session_id == session_id, Round.state == "open").limit(1)
    )
