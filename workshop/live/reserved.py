"""Event names a client may not send: `connect`, `disconnect` and `*`.

python-socketio dispatches an EVENT packet by its name alone, so a client that emits
`connect` or `disconnect` re-runs those handlers on a live socket (ghost participants in the
presence count, or a fake departure), and an event literally named `*` reaches the catch-all
through Flask-SocketIO's wrapper with its arguments shifted and crashes unacknowledged. The
guard sits where packets meet handlers (the server's `_handle_event`, python-socketio 5.x):
a reserved name is renamed so the catch-all answers it like any unknown event, with an
`invalid` acknowledgement naming the field `event` (so does a packet whose name is missing
or not a string, which python-socketio would fail on). Genuine connections and disconnections
arrive as CONNECT / DISCONNECT packets and never pass through here.
"""
from __future__ import annotations

RESERVED = frozenset({"connect", "disconnect", "*"})
SUFFIX = " (reserved)"
NAMELESS = "(no event name)"


def guard(server) -> None:
    """Make `server` (a python-socketio Server) refuse reserved names sent as events."""
    handle = server._handle_event

    def _handle_event(eio_sid, namespace, id, data):
        name = data[0] if data else None
        if not isinstance(name, str):  # no name, or a number or object: unknown too
            data = [NAMELESS, *data[1:]]
        elif name in RESERVED:
            data = [name + SUFFIX, *data[1:]]
        return handle(eio_sid, namespace, id, data)

    server._handle_event = _handle_event
