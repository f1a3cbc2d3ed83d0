"""The part of a phone's snapshot that every phone of a session shares (the stage as phones see
it: criterion, levels, latest round, revealed results, explain band, indicators), built once per
session and stage version and reused by every join and reconnect until the stage changes.

A step that changes the stage calls `changed` after its commit and before it sends the new stage
(live/events.py `_send_stage`, every facilitator step). The organizer's indicator pages do not
(the web layer does not reach the live layer): what they change reaches joining phones when the
entry ages out (`MAX_AGE`) or at the next step, as it reaches phones already in the room.
The version lives in this process, or in Redis with several workers (WORKSHOP_REDIS_URL) so
that a step taken on one worker reaches the phones joining on every other. The version is read before the stage is
built, so a stage built from data older than a change is never kept under the newer version.
Only the participant's view is kept: nothing about a round reaches it before the reveal,
because `views.stage_at` for the role "participant" holds nothing of an unrevealed round's
votes, and the reveal is a change.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from typing import Callable

log = logging.getLogger(__name__)
SIZE = 256  # sessions kept per process
MAX_AGE = 30.0  # seconds
REDIS_KEY = "workshop:stage:{}"
REDIS_TTL = 2 * 24 * 3600  # seconds a session's version is kept in Redis after its last change


class LocalVersions:
    """Stage versions of one process (no Redis)."""

    def __init__(self) -> None:
        self._versions: dict[str, int] = {}

    def current(self, session_id: str) -> int:
        return self._versions.get(session_id, 0)

    def bump(self, session_id: str) -> None:
        self._versions[session_id] = self._versions.get(session_id, 0) + 1


class RedisVersions:
    """Stage versions every worker reads: a random token per change (a Redis that restarted
    empty cannot give an old token back)."""

    def __init__(self, client) -> None:
        self.redis = client

    def current(self, session_id: str) -> bytes:
        key = REDIS_KEY.format(session_id)
        found = self.redis.get(key)
        if found is None:
            self.redis.set(key, secrets.token_hex(8), nx=True, ex=REDIS_TTL)
            found = self.redis.get(key)
        return found

    def bump(self, session_id: str) -> None:
        self.redis.set(REDIS_KEY.format(session_id), secrets.token_hex(8), ex=REDIS_TTL)


class StageCache:
    def __init__(self, versions=None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.versions = versions or LocalVersions()
        self.clock = clock
        self._entries: OrderedDict[str, tuple[object, float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str, build: Callable[[], object]):
        """The session's shared phone stage: kept, or built by `build()` now and kept."""
        try:
            version = self.versions.current(session_id)
        except Exception:  # Redis down: build it fresh, keep nothing
            log.exception("stage version unavailable; building the phone stage afresh")
            return build()
        now = self.clock()
        with self._lock:
            entry = self._entries.get(session_id)
        if entry is not None and entry[0] == version and now - entry[1] < MAX_AGE:
            return entry[2]
        built = build()
        with self._lock:
            self._entries[session_id] = (version, now, built)
            self._entries.move_to_end(session_id)
            while len(self._entries) > SIZE:
                self._entries.popitem(last=False)
        return built

    def changed(self, session_id: str) -> None:
        """The session's stage changed (call after the change is committed)."""
        with self._lock:
            self._entries.pop(session_id, None)
        try:
            self.versions.bump(session_id)
        except Exception:
            log.exception("stage version not shared; other workers keep theirs up to %ss", MAX_AGE)
