"""The JSON that Socket.IO packets are written in: UTF-8 text, not `\\u` escapes.

python-socketio writes `json.dumps` output, which escapes every non-ASCII character: Thai text
took six bytes a letter (`\\u0e01`) instead of three, and a join's snapshot doubled in size.
Given to the Socket.IO server as its `json` module (app.py). Text with a lone surrogate cannot
be UTF-8; it is refused at the input boundary, and should any reach here it is escaped as before.

`Packet` is the server's packet class (app.py, `serializer`): the protocol sends no binary data,
so it skips python-socketio's recursive search of every outgoing payload for bytes (a tenth of
a vote's CPU). Packets a client sends with attachments are still decoded as before.
"""
from __future__ import annotations

import json
from json import JSONDecodeError, loads  # noqa: F401  (python-socketio calls json.loads)

from socketio import packet


def dumps(data, **options) -> str:
    text = json.dumps(data, ensure_ascii=False, **options)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(data, **options)
    return text


class Packet(packet.Packet):
    """A Socket.IO packet of this protocol: written as JSON, never split into attachments."""
    uses_binary_events = False
