"""The facilitator's per-criterion timer over the socket (issue 11): the server holds its start,
so every screen and a screen that reconnects count from the same moment; a resent start changes
nothing; moving to another criterion stops it; only the facilitator starts it."""
from __future__ import annotations

from tests.live_fixtures import last
from tests.session_state import session_state


def test_the_timer_started_by_the_facilitator_reaches_every_screen_and_a_reconnected_one(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    assert last(projector, "snapshot")["stage"]["timer"] is None
    ack = facilitator.emit("timer", {"criterion": "1.1", "running": True}, callback=True)
    # running, counted from the server's start (how many seconds have passed is not the test's to say)
    assert ack["ok"] and ack["timer"]["started_at"] and type(ack["timer"]["elapsed"]) is int, ack
    started = ack["timer"]["started_at"]
    assert last(projector, "stage")["timer"]["started_at"] == started
    again = facilitator.emit("timer", {"criterion": "1.1", "running": True}, callback=True)  # a resent copy
    assert again["timer"]["started_at"] == started
    reloaded = screens.projector()
    assert last(reloaded, "snapshot")["stage"]["timer"]["started_at"] == started
    assert screens.facilitator() and last(screens.clients[-1], "snapshot")["stage"]["timer"]["started_at"] == started


def test_stopping_or_moving_on_stops_the_timer(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    facilitator.emit("timer", {"criterion": "1.1", "running": True}, callback=True)
    stopped = facilitator.emit("timer", {"criterion": "1.1", "running": False}, callback=True)
    assert stopped == {"ok": True, "timer": None}
    assert last(projector, "stage")["timer"] is None
    facilitator.emit("timer", {"criterion": "1.1", "running": True}, callback=True)
    moved = facilitator.emit("goto", {"criterion": "1.2"}, callback=True)
    assert moved["ok"] and moved["stage"]["timer"] is None
    assert last(projector, "stage")["timer"] is None


def test_a_timer_for_another_criterion_or_from_a_phone_is_refused_and_changes_nothing(screens):
    facilitator, phone = screens.facilitator(), screens.joined_phone()
    before = session_state(screens.app, screens.session["id"])
    ack = facilitator.emit("timer", {"criterion": "1.2", "running": True}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
    ack = facilitator.emit("timer", {"criterion": "9.9", "running": True}, callback=True)
    assert ack["error"]["code"] == "not_found", ack
    ack = phone.emit("timer", {"criterion": "1.1", "running": True}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden", ack
    assert session_state(screens.app, screens.session["id"]) == before
