"""The live layer's state in this process, kept on the app: connected sockets, presence and
the coalescing broadcaster."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from flask import Flask, current_app

from .broadcast import Broadcaster
from .presence import LocalPresence, Presence

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


class LiveState:
    def __init__(self, app: Flask, presence: Presence | None = None) -> None:
        self.presence = presence or LocalPresence()
        self.broadcaster = Broadcaster(app.extensions["workshop.store"], self.presence)
        self.connections: dict[str, Connection] = {}
        self.lock = threading.Lock()

    def add(self, sid: str, connection: Connection) -> None:
        with self.lock:
            self.connections[sid] = connection

    def get(self, sid: str) -> Connection | None:
        return self.connections.get(sid)

    def remove(self, sid: str) -> Connection | None:
        with self.lock:
            return self.connections.pop(sid, None)


def live_state(app: Flask | None = None) -> LiveState:
    return (app or current_app).extensions[EXTENSION]
