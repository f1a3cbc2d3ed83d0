"""The live layer's state in this process, kept on the app: connected sockets, presence, the
coalescing broadcaster and the vote path's prebuilt upsert. With a Redis URL, presence and the
broadcaster's marks are shared by every worker (redis_presence.py, redis_marks.py); without,
they stay in process.

What the vote path keeps here is safe with several workers: a socket's participant is fixed at
join, and the round's state is checked by the vote's own statement in the shared database."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Flask, current_app

from .broadcast import Broadcaster
from ..services.voting import OpenRoundUpsert
from ..services.units import store_of
from .heap import HeapSettler
from .presence import LocalPresence, Presence
from .shared import shared_live
from .stage_cache import StageCache

EXTENSION = "workshop.live"


@dataclass
class Connection:
    """One connected socket: whose it is and in which language it hears errors."""
    session_id: str
    role: str
    lang: str
    participant_id: int | None = None
    observer: bool = False
    token: str | None = None
    # a phone's session as read at connect (id, settings, title...: store/phones.py), kept for
    # its join; the stage, which changes, is read through the stage cache
    session: object | None = None
    # the (address, client) keys the rate limits count a phone under, read from its handshake at
    # connect: its join runs outside Flask's request context (`hot`, live/dispatch.py)
    limit_keys: tuple[str, str] | None = None


class LiveState:
    def __init__(self, app: Flask, presence: Presence | None = None) -> None:
        store = store_of(app)
        redis_url = app.config["WORKSHOP"].redis_url
        if presence is None and redis_url:
            self.presence, marks, versions = shared_live(redis_url, self._changed)
            self.broadcaster = Broadcaster(store, self.presence, shared=marks)
            self.stage_cache = StageCache(versions)
        else:
            self.presence = presence or LocalPresence()
            self.broadcaster = Broadcaster(store, self.presence)
            self.stage_cache = StageCache()
        self.votes = OpenRoundUpsert(store)
        self.heap = HeapSettler()
        self.broadcaster.after_tick = self.heap.settle
        self.connections: dict[str, Connection] = {}
        self.lock = threading.Lock()

    def _changed(self, session_ids) -> None:
        """Presence changed elsewhere (a dead worker reaped): the tallies say so."""
        for session_id in session_ids:
            self.broadcaster.mark_tally(session_id)

    def add(self, sid: str, connection: Connection) -> None:
        with self.lock:
            self.connections[sid] = connection
        self.heap.arrived()

    def get(self, sid: str) -> Connection | None:
        return self.connections.get(sid)

    def remove(self, sid: str) -> Connection | None:
        with self.lock:
            return self.connections.pop(sid, None)


def live_state(app: Flask | None = None) -> LiveState:
    return (app or current_app).extensions[EXTENSION]
