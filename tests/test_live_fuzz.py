"""Hostile payloads on every socket event (hypothesis): random JSON, wrong types, huge strings,
control characters, unknown keys and reserved or unknown event names, from every kind of
screen. Each is acknowledged as the protocol says, and a refused one changes nothing: not the
store (rounds, votes, participants, decisions, ideas, the session row), not who is connected
or present.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.session_state import session_state
from workshop import live
from workshop.live import events  # noqa: F401  (fills HANDLERS)
from workshop.live.dispatch import HANDLERS
from workshop.services.errors import CODES

EVENTS = {name: handler for name, handler in HANDLERS}
assert len(EVENTS) == 24, sorted(EVENTS)  # every client event of docs/protocol.md
NAMES = sorted(EVENTS) + ["connect", "disconnect", "*", "message", "json", "no_such_event", ""]
SETTINGS = settings(max_examples=120, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

CONTROL = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=8)
HUGE = st.sampled_from([70_000, 5_000, 501, 281, 141, 65]).map(lambda n: "ก" * n)
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63)
           | st.floats(allow_nan=False) | st.text(max_size=20) | CONTROL | HUGE)
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
# Values that come close to valid ones: ids and levels near the real ones, the agenda's codes.
NEAR = (st.integers(min_value=-2, max_value=6) | st.sampled_from(["1.1", "1.2", "9.9", "", "1.1\x00"])
        | st.booleans() | st.none() | CONTROL | HUGE | st.text(min_size=1, max_size=30))


@st.composite
def shaped_payloads(draw, event: str):
    """A dict with the event's own keys (some left out), odd values, maybe an unknown key."""
    fields = list(EVENTS[event].payload_model.model_fields)
    kept = draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields))) if fields else []
    payload = {key: draw(NEAR | JSON) for key in kept}
    if draw(st.booleans()):
        payload[draw(st.text(min_size=1, max_size=12))] = draw(JSON)
    return payload


class Room:
    """One workshop under attack: a facilitator, a projector, a joined phone and a guest, with
    an open round, an idea and a decision, so ids in payloads can hit real rows."""

    def __init__(self, screens):
        self.screens = screens
        self.facilitator, self.projector = screens.facilitator(), screens.projector()
        self.phone, self.guest = screens.joined_phone(), screens.phone()
        self.facilitator.emit("ideas_phase", {"criterion": "1.1", "open": True}, callback=True)
        self.phone.emit("idea", {"criterion": "1.1", "text": "อบรม", "client_key": "k"}, callback=True)
        ack = self.facilitator.emit("open_round", {"criterion": "1.1"}, callback=True)
        self.phone.emit("vote", {"round_id": ack["round"]["id"], "level": 2}, callback=True)
        self.senders = [self.facilitator, self.projector, self.phone, self.guest]

    def state(self):
        app = self.screens.app
        presence = live.live_state(app).presence.present(self.screens.session["id"])
        connections = sorted((c.role, c.participant_id or 0) for c in live.live_state(app).connections.values())
        return session_state(app, self.screens.session["id"]), presence, connections


@pytest.fixture
def room(screens):
    return Room(screens)


def _check(room, sender, event, payload):
    before = room.state()
    ack = sender.emit(event, payload, callback=True)
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (event, payload, ack)
    json.dumps(ack)
    if ack["ok"]:
        return
    error = ack["error"]
    assert error["code"] in CODES and isinstance(error["message"], str) and error["message"], ack
    assert error["code"] != "server_error", (event, payload, ack)
    if error["code"] in ("invalid", "not_found"):
        assert isinstance(error.get("field"), str), ack
    assert room.state() == before, (event, payload, ack)
    assert all(screen.is_connected() for screen in room.senders)


@given(data=st.data())
@SETTINGS
def test_random_json_on_any_event_is_acknowledged_and_a_refusal_changes_nothing(room, data):
    sender = data.draw(st.sampled_from(room.senders))
    event = data.draw(st.sampled_from(NAMES))
    _check(room, sender, event, data.draw(JSON))


@given(data=st.data())
@SETTINGS
def test_payloads_shaped_like_each_events_own_are_acknowledged_and_refusals_change_nothing(room, data):
    sender = data.draw(st.sampled_from(room.senders))
    event = data.draw(st.sampled_from(sorted(EVENTS)))
    _check(room, sender, event, data.draw(shaped_payloads(event)))
