"""The JSON that Socket.IO packets are written in: UTF-8 text, not `\\u` escapes.

python-socketio writes `json.dumps` output, which escapes every non-ASCII character: Thai text
took six bytes a letter (`\\u0e01`) instead of three, and a join's snapshot doubled in size.
Given to the Socket.IO server as its `json` module (app.py). Text with a lone surrogate cannot
be UTF-8; it is refused at the input boundary, and should any reach here it is escaped as before.

`RawJSON` is a part written already (the stage every phone of a session shares, serialized
once: live/stage_cache.py): it goes into the packet as it is, and python-socketio's check for
binary attachments, which walks every value of a payload, does not walk it.

`Packet` is the server's packet class (app.py, `serializer`): the protocol sends no binary data,
so it skips python-socketio's recursive search of every outgoing payload for bytes (a tenth of
a vote's CPU). Packets a client sends with attachments are still decoded as before.
"""
from __future__ import annotations

import json
import secrets
from json import JSONDecodeError, loads  # noqa: F401  (python-socketio calls json.loads)

from socketio import packet

# What a RawJSON stands for while the rest is encoded: a NUL is refused in every text
# (domain/text.py), and the token is this process's own.
_MARK = f"\x00raw-{secrets.token_hex(8)}\x00"
_ENCODED_MARK = json.dumps(_MARK, ensure_ascii=False)


class RawJSON:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def dumps(data, **options) -> str:
    raws: list[str] = []

    def raw(value):
        if isinstance(value, RawJSON):
            raws.append(value.text)
            return _MARK
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
    text = json.dumps(data, ensure_ascii=False, default=raw, **options)
    if raws:
        pieces = text.split(_ENCODED_MARK)
        if len(pieces) != len(raws) + 1:
            raise ValueError("a raw JSON part could not be placed")
        text = "".join(piece + part for piece, part in zip(pieces, [*raws, ""]))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(loads(text), **options)
    return text


class Packet(packet.Packet):
    """A Socket.IO packet of this protocol: written as JSON, never split into attachments."""
    uses_binary_events = False
