"""Coalesced updates: votes, ideas and reasons only mark their session dirty; one background
task per process flushes dirty sessions at most `RATE` times a second, sending `tally`, `ideas`
and `reasons` to the rooms allowed to see them (never to all sockets).

The task starts on the first connection (once per process and app) through
`socketio.start_background_task` and sleeps with `socketio.sleep`, so it is a thread under
the threading mode and a greenlet under gevent.

Each session of a batch is flushed on its own: a session whose updates fail keeps its marks
for the next flush (up to `ATTEMPTS` flushes in a row, then they are dropped and logged), and
the other sessions of the batch are sent as usual.

With several workers (`shared`, a `redis_marks.RedisMarks`), each tick pushes this worker's
marks to Redis and flushes only the sessions whose lease it won (see redis_marks.py); the
task also runs the shared presence's heartbeat.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from ..extensions import socketio
from ..services import lookups, participants, views
from ..services import ideas as idea_service
from .presence import Presence
from .rooms import role_room

RATE = 4  # flushes per second at most
ATTEMPTS = 5  # flushes in a row a failing session's marks are kept for
log = logging.getLogger(__name__)


@dataclass
class Dirty:
    tally: bool = False
    ideas: set[int] = field(default_factory=set)
    reasons: set[int] = field(default_factory=set)

    def merge(self, other: "Dirty") -> None:
        self.tally = self.tally or other.tally
        self.ideas |= other.ideas
        self.reasons |= other.reasons


class Broadcaster:
    def __init__(self, store, presence: Presence, interval: float = 1 / RATE, shared=None) -> None:
        self.store = store
        self.presence = presence
        self.shared = shared
        self.interval = interval
        self._dirty: dict[str, Dirty] = {}
        self._failures: dict[str, int] = {}
        self._lock = threading.Lock()
        self._started = False
        self._stopped = False
        self.after_tick: Callable[[], object] | None = None  # other periodic upkeep (heap.py)

    # -- marking (constant work, called on the vote path) --
    def _mark(self, session_id: str) -> Dirty:
        dirty = self._dirty.get(session_id)
        if dirty is None:
            dirty = self._dirty[session_id] = Dirty()
        return dirty

    def mark_tally(self, session_id: str) -> None:
        with self._lock:
            self._mark(session_id).tally = True

    def mark_idea(self, session_id: str, idea_id: int) -> None:
        with self._lock:
            self._mark(session_id).ideas.add(idea_id)

    def mark_reasons(self, session_id: str, round_id: int) -> None:
        with self._lock:
            self._mark(session_id).reasons.add(round_id)

    # -- the background task --
    def ensure_started(self) -> None:
        with self._lock:
            if self._started or self._stopped:
                return
            self._started = True
        socketio.start_background_task(self._run)

    def stop(self) -> None:
        self._stopped = True

    def _run(self) -> None:
        while not self._stopped:
            socketio.sleep(self.interval)
            if self._stopped:  # stopped while asleep: flush nothing more
                return
            try:
                if hasattr(self.presence, "tick"):
                    self.presence.tick()
                self.flush()
                if self.after_tick is not None:
                    self.after_tick()
            except Exception:  # keep flushing later batches whatever one batch did
                log.exception("live broadcast failed")

    def flush(self) -> int:
        """Send every pending update now; returns how many sessions were flushed."""
        with self._lock:
            batch, self._dirty = self._dirty, {}
        if self.shared is not None:
            batch = self._shared_batch(batch)
        flushed = 0
        for session_id, dirty in batch.items():
            try:
                self._flush_one(session_id, dirty)
            except Exception:
                log.exception("live broadcast of session %s failed", session_id)
                self._keep(session_id, dirty)
            else:
                flushed += 1
                with self._lock:
                    self._failures.pop(session_id, None)
        return flushed

    def _shared_batch(self, batch: dict[str, Dirty]) -> dict[str, Dirty]:
        """Push this worker's marks to Redis; return the sessions this worker flushes now."""
        try:
            self.shared.push(batch)
        except Exception:
            log.warning("live marks kept in memory: Redis unavailable", exc_info=True)
            with self._lock:
                for session_id, dirty in batch.items():
                    self._mark(session_id).merge(dirty)
            return {}
        try:
            return self.shared.take(Dirty)
        except Exception:
            log.warning("live flush skipped: Redis unavailable", exc_info=True)
            return {}

    def _flush_one(self, session_id: str, dirty: Dirty) -> None:
        with self.store.session() as db:
            session = lookups.session_row(db, session_id)
            emits = list(self._updates(db, session, dirty))
        for event, payload, room in emits:
            socketio.emit(event, payload, to=room, namespace="/")

    def _keep(self, session_id: str, dirty: Dirty) -> None:
        """Put a failed session's marks back for the next flush, a bounded number of times."""
        with self._lock:
            failures = self._failures[session_id] = self._failures.get(session_id, 0) + 1
            if failures >= ATTEMPTS:
                del self._failures[session_id]
                log.error("live updates of session %s dropped after %d failed flushes",
                          session_id, failures)
                return
            self._mark(session_id).merge(dirty)

    def present(self, db, session_id: str) -> int:
        """Phones connected (not observers) plus the facilitator's proxies."""
        return self.presence.present(session_id) + participants.proxy_count(db, session_id)

    def _updates(self, db, session, dirty: Dirty):
        if dirty.tally:
            current = lookups.latest_round(db, session.id, session.current_criterion) \
                if session.current_criterion else None
            present = self.present(db, session.id)
            found = None if current is None else views.figures(db, session, current)
            for role in ("facilitator", "projector"):
                if current is None:
                    payload = {"round_id": None, "voted": 0, "present": present}
                else:
                    payload = views.tally(db, session, current, present, role, found)
                yield "tally", payload, role_room(session.id, role)
        if dirty.ideas:
            changed = idea_service.ideas_by_id(db, dirty.ideas)
            for role in ("facilitator", "projector", "participant"):
                items = views.idea_views(db, session, changed, role)
                yield "ideas", {"criterion": None, "full": False, "items": items}, role_room(session.id, role)
        for round_id in sorted(dirty.reasons):
            for role in ("facilitator", "projector"):
                yield "reasons", views.reasons(db, session, round_id, role), role_room(session.id, role)


def ideas_in_full(db, session) -> list[tuple[str, dict, str]]:
    """The whole list of the current criterion's ideas for each role room (after a `goto`)."""
    code = session.current_criterion
    found = idea_service.ideas_of(db, session.id, code)
    emits = []
    for role in ("facilitator", "projector", "participant"):
        shown = found if role == "facilitator" else [idea for idea in found if not idea.hidden]
        emits.append(("ideas", {"criterion": code, "full": True,
                                "items": views.idea_views(db, session, shown, role)},
                      role_room(session.id, role)))
    return emits
