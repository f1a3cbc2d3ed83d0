"""docs/protocol.md is the contract the pages are written against: it must name exactly the
events the server registers, exactly the events it sends, and exactly the error codes it can send.

The events sent are read from the code (its syntax tree), not from a list kept by hand: the name
given to every `emit(...)`, and the name that heads every (event, payload, room) triple a module
yields or collects for an emit later (the broadcaster's coalesced batches).

The codes the server sends live in two places today: the acknowledgement codes in
`workshop/services/errors.py` (`CODES`, each with its message in `workshop/live/messages.py`)
and the connection refusals in `workshop/live/messages.py` (`REFUSALS`); the store's faults
name acknowledgement codes of their own (`workshop/store/faults.py`).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from workshop.extensions import socketio
from workshop.live.messages import MESSAGES, REFUSALS
from workshop.services.errors import CODES
from workshop.store.faults import StoreError

PROTOCOL = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
PACKAGE = PROTOCOL.parent.parent / "workshop"
SERVER_SIDE = ("live", "services", "web")  # rehearse.py is a client: its sends are not the server's
# Socket.IO's own names: not events a page sends (docs/protocol.md, "Acknowledgements").
RESERVED = {"connect", "disconnect", "*"}


def section(text: str, heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(f"\n{heading}\n")
    ends = [match.start() for match in re.finditer(rf"\n#{{1,{len(level)}}} ", text[start + 1:])]
    return text[start:start + 1 + ends[0]] if ends else text[start:]


def first_column(text: str, header: str) -> set[str]:
    """The `names` in the first column of the tables whose first header cell is `header`."""
    names: set[str] = set()
    inside = False
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            inside = False
        elif cells[0] == header:
            inside = True
        elif inside and not set(cells[0]) <= {"-", ":"}:
            names.update(re.findall(r"`([^`]+)`", cells[0]))
    return names


@pytest.fixture(scope="module")
def protocol() -> str:
    return PROTOCOL.read_text(encoding="utf-8")


def documented_client_events(protocol: str) -> set[str]:
    client_to_server = section(protocol, "## Client to server")
    return (first_column(section(client_to_server, "### Participant"), "event")
            | first_column(section(client_to_server, "### Facilitator"), "event"))


def test_the_protocol_reads_its_tables():
    sample = "\n## A\n\n| event | payload |\n|---|---|\n| `vote` | x |\n| `goto` | y |\n\ntext `not`\n## B\n"
    assert first_column(section(sample, "## A"), "event") == {"vote", "goto"}


def test_every_event_the_server_registers_is_documented_and_every_documented_one_registered(app, protocol):
    registered = set(socketio.server.handlers["/"]) - RESERVED
    documented = documented_client_events(protocol)
    assert len(registered) > 20, registered
    assert sorted(registered - documented) == [], "registered but not in docs/protocol.md"
    assert sorted(documented - registered) == [], "in docs/protocol.md but not registered"


def test_the_acknowledgement_codes_in_the_doc_are_the_ones_the_server_sends(protocol):
    documented = first_column(section(protocol, "## Acknowledgements"), "error code")
    assert documented == set(CODES)
    assert set(MESSAGES) == set(CODES), "every code has its message in the socket's language"
    store_codes = {StoreError.code} | {fault.code for fault in StoreError.__subclasses__()}
    assert store_codes <= set(CODES)


def test_the_refusal_codes_in_the_doc_are_the_ones_a_connection_is_refused_with(protocol):
    documented = first_column(section(protocol, "## Connecting"), "refusal code")
    assert documented == set(REFUSALS)


def _name(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _called(call: ast.Call) -> str | None:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)


def events_sent(source: str) -> tuple[set[str], int]:
    """The event names `source` sends, and how many emits name their event by a variable."""
    names, by_variable = set(), 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called(node) == "emit" and node.args:
            if _name(node.args[0]) is None:
                by_variable += 1
            names.add(_name(node.args[0]))
        triple = None
        if isinstance(node, ast.Yield):
            triple = node.value
        elif isinstance(node, ast.Call) and _called(node) == "append" and len(node.args) == 1:
            triple = node.args[0]
        if isinstance(triple, ast.Tuple) and len(triple.elts) == 3:
            names.add(_name(triple.elts[0]))
    return names - {None}, by_variable


def emitted_events() -> set[str]:
    names, by_variable = set(), 0
    for path in sorted(p for part in SERVER_SIDE for p in (PACKAGE / part).rglob("*.py")):
        found, variable = events_sent(path.read_text(encoding="utf-8"))
        names |= found
        by_variable += variable
    # The emits that take their name from a variable: Context.emit's and the broadcaster's own
    # socketio.emit (fed by the triples), and the two loops over `ideas_in_full`.
    assert by_variable <= 4, "an emit names its event in a way this test cannot read"
    return names


def test_the_event_reader_finds_emits_and_the_triples_fed_to_them():
    source = (
        "def send(ctx):\n"
        "    emit('snapshot', {})\n"
        "    ctx.emit('stage', {}, room)\n"
        "    yield 'tally', {}, room\n"
        "    batch.append(('ideas', {}, room))\n"
        "    socketio.emit(event, payload, to=room)\n"
        "    other.append(('not', 'an emit'))\n")
    assert events_sent(source) == ({"snapshot", "stage", "tally", "ideas"}, 1)


def test_every_event_the_server_sends_is_documented_and_every_documented_one_sent(protocol):
    documented = first_column(section(protocol, "## Server to client"), "event")
    emitted = emitted_events()
    assert len(emitted) >= 8, emitted
    assert sorted(emitted - documented) == [], "sent but not in docs/protocol.md"
    assert sorted(documented - emitted) == [], "in docs/protocol.md but never sent"
