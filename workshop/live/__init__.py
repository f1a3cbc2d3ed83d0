"""Socket.IO layer: the live workshop's events, thin over the services (see docs/protocol.md).

`init_app` registers the handlers on the app's Socket.IO server and keeps the live state (connections, presence, the coalescing broadcaster)
on the app. The broadcaster's background task starts with the first connection.
"""
from __future__ import annotations

from flask import Flask

from .state import EXTENSION, LiveState, live_state


def init_app(app: Flask) -> None:
    """Register the Socket.IO handlers and the live state of this app."""
    from ..extensions import socketio
    from . import events  # noqa: F401  (fills HANDLERS)
    from . import limits
    from .connection import on_connect, on_disconnect
    from .dispatch import HANDLERS, in_app_context, unknown_event
    from .reserved import guard

    socketio.on_event("connect", on_connect, namespace="/")
    socketio.on_event("disconnect", on_disconnect, namespace="/")
    for name, handler in HANDLERS:
        if handler.hot:  # straight to python-socketio: no Flask request context per event
            socketio.server.on(name, in_app_context(app, handler), namespace="/")
        else:
            socketio.on_event(name, handler, namespace="/")
    socketio.on_event("*", unknown_event, namespace="/")
    guard(socketio.server)
    app.extensions[EXTENSION] = LiveState(app)
    limits.init_app(app)


def shutdown(app: Flask) -> None:
    """Stop this app's background broadcaster (tests create many apps in one process)."""
    state = app.extensions.get(EXTENSION)
    if state is not None:
        state.broadcaster.stop()


__all__ = ["init_app", "shutdown", "live_state"]
