"""docs/protocol.md is the contract the pages are written against: it must name exactly the
events the server registers and exactly the error codes it can send.

The codes the server sends live in two places today: the acknowledgement codes in
`workshop/services/errors.py` (`CODES`, each with its message in `workshop/live/messages.py`)
and the connection refusals in `workshop/live/messages.py` (`REFUSALS`); the store's faults
name acknowledgement codes of their own (`workshop/store/faults.py`).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop.extensions import socketio
from workshop.live.messages import MESSAGES, REFUSALS
from workshop.services.errors import CODES
from workshop.store.faults import StoreError

PROTOCOL = Path(__file__).resolve().parent.parent / "docs" / "protocol.md"
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
