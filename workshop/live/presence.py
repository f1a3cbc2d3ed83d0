"""Who is connected: participants present in each session (observers and guests not counted).

`Presence` is the interface the live layer uses; `LocalPresence` keeps counts in this process,
with constant work per connect and disconnect. With several workers behind a message queue,
`redis_presence.RedisPresence` (same three methods) replaces it, so every worker sees the
whole room.
"""
from __future__ import annotations

import threading
from collections import defaultdict
from typing import Protocol


class Presence(Protocol):
    def arrive(self, session_id: str, participant_id: int) -> bool:
        """A socket of this participant connected; True when the participant was not present."""

    def leave(self, session_id: str, participant_id: int) -> bool:
        """A socket of this participant went away; True when it was their last one."""

    def present(self, session_id: str) -> int:
        """How many participants of the session have at least one socket connected."""


class LocalPresence:
    """In-process counts: a participant with two devices is present once."""

    def __init__(self) -> None:
        self._sockets: dict[tuple[str, int], int] = defaultdict(int)
        self._present: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def arrive(self, session_id: str, participant_id: int) -> bool:
        with self._lock:
            key = (session_id, participant_id)
            self._sockets[key] += 1
            if self._sockets[key] == 1:
                self._present[session_id] += 1
                return True
            return False

    def leave(self, session_id: str, participant_id: int) -> bool:
        with self._lock:
            key = (session_id, participant_id)
            if self._sockets.get(key, 0) <= 0:
                return False
            self._sockets[key] -= 1
            if self._sockets[key] == 0:
                del self._sockets[key]
                self._present[session_id] -= 1
                if self._present[session_id] <= 0:
                    del self._present[session_id]
                return True
            return False

    def present(self, session_id: str) -> int:
        with self._lock:
            return self._present.get(session_id, 0)

    def sockets(self) -> dict[tuple[str, int], int]:
        """A copy of (session, participant) -> sockets connected here."""
        with self._lock:
            return dict(self._sockets)
