"""How every client event is handled: check the sender's role, validate the payload, run the
service in one unit of work, then (only once it is committed) send what it changed, and answer
with the protocol's acknowledgement. A refused or failed event changes nothing.

Most events run inside the request context Flask-SocketIO builds per event from the socket's
handshake. An event registered `hot=True` (a phone's vote and join: what a room sends a thousand at a
time) is handed to python-socketio directly and runs in an app context only: its handler reads
nothing of the Flask request (`ctx.sid` names the sender) and sends only through `ctx.emit`.
Building the request context (a `Request`, URL matching, teardown) was a quarter of a vote's CPU.
"""
from __future__ import annotations

import logging
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Callable

from flask import Flask, request
from socketio import PubSubManager
from sqlalchemy.orm import Session

from ..extensions import socketio
from ..errors import WorkshopError
from ..services.errors import LiveError
from ..services.units import unit_of_work
from .limits import live_limits
from .messages import default_language, error_ack
from .payloads import Payload, parse
from .state import Connection, LiveState, live_state

log = logging.getLogger(__name__)
# (event, handler) pairs, registered on each app's Socket.IO server by `live.init_app`.
HANDLERS: list[tuple[str, Callable]] = []


@dataclass
class Context:
    """What a handler works with: the sender, the unit of work, and what to send after commit.

    The unit of work (an ORM session holding the store's write turn) opens on first use."""
    sid: str
    conn: Connection
    live: LiveState
    units: ExitStack
    after: list[Callable[[], None]] = field(default_factory=list)
    _db: Session | None = None

    @property
    def db(self) -> Session:
        if self._db is None:
            self._db = self.units.enter_context(self.unit(write=True))
        return self._db

    def unit(self, *, write: bool = False):
        """A unit of work of its own, for a handler that reads first and writes only if it
        must (`join`): a writing one holds the store's write turn for its block only."""
        return unit_of_work(write=write)

    def emit(self, event: str, payload, room: str, skip_sid: str | None = None) -> None:
        self.after.append(lambda: socketio.emit(event, payload, to=room, namespace="/",
                                                skip_sid=skip_sid))

    def alone_in(self, room: str) -> bool:
        """Whether the sender is the only socket of `room`, so sending to the others costs
        nothing (a phone's own room, nearly always). Only known in one process with no message
        queue; with one, the room's other sockets may be on other workers: False."""
        manager = socketio.server.manager
        return not isinstance(manager, PubSubManager) and \
            all(sid == self.sid for sid, _ in manager.get_participants("/", room))

    def participant_id(self) -> int:
        if self.conn.participant_id is None:
            raise LiveError("not_joined", "join the session first")
        return self.conn.participant_id


def live_event(name: str, model: type[Payload], roles: tuple[str, ...], *, hot: bool = False):
    """Register `handler(ctx, payload) -> dict` as the Socket.IO event `name`; `hot`: in an app
    context only (see the module's docstring and `in_app_context`)."""
    def register(handler):
        def on_event(data=None, *extra):
            return dispatch(handler, model, roles, request.sid, data, extra)
        on_event.__name__ = f"on_{name}"
        on_event.payload_model, on_event.roles = model, roles  # for tests that walk every event
        on_event.handler, on_event.hot = handler, hot
        HANDLERS.append((name, on_event))
        return handler
    return register


def in_app_context(app: Flask, on_event: Callable) -> Callable:
    """The python-socketio handler `(sid, data, *extra)` of a hot event of `app`: the same
    dispatch as `on_event`, in an app context instead of Flask-SocketIO's request context."""
    handler, model, roles = on_event.handler, on_event.payload_model, on_event.roles

    def on_socket_event(sid, data=None, *extra):
        with app.app_context():
            return dispatch(handler, model, roles, sid, data, extra)
    on_socket_event.__name__ = on_event.__name__
    return on_socket_event


def dispatch(handler, model, roles, sid, data, extra) -> dict:
    live = live_state()
    conn = live.get(sid)
    if conn is None:
        return error_ack(LiveError("forbidden", "not connected"), default_language())
    if live_limits().event_refused(sid):  # over the connection's budget: no work done
        return error_ack(LiveError("rate_limited", "too many events"), conn.lang)
    try:
        if conn.role not in roles:
            raise LiveError("forbidden", f"a {conn.role} may not send this event")
        if extra:
            raise LiveError("invalid", "one payload per event", field="payload")
        payload = parse(model, data)
        with ExitStack() as units:  # commits the unit of work, if one was opened, at the end
            ctx = Context(sid, conn, live, units)
            result = handler(ctx, payload)
    except WorkshopError as refused:  # a refusal, or database_busy / storage_unavailable: nothing changed
        return error_ack(refused, conn.lang)
    except Exception:
        log.exception("live event failed")
        return error_ack(LiveError("server_error"), conn.lang)
    for send in ctx.after:
        try:
            send()
        except Exception:
            log.exception("live update failed after commit")
    return {"ok": True, **(result or {})}


def unknown_event(event: str, *args) -> dict:
    conn = live_state().get(request.sid)
    if live_limits().event_refused(request.sid):
        return error_ack(LiveError("rate_limited", "too many events"), conn.lang if conn else default_language())
    return error_ack(LiveError("invalid", f"no event {event!r}", field="event"),
                     conn.lang if conn else default_language())
