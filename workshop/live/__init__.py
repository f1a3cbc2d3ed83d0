"""Socket.IO layer: the live workshop's events, thin over the services (see docs/protocol.md)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the Socket.IO handlers and start the coalesced broadcaster for this app."""
