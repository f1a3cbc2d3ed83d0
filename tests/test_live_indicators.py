"""Indicators of a results item in the room: the facilitator enters them live, every screen
sees them with their trend and the level the framework's rule suggests (they are not votes:
no blind rule applies), a resent step changes nothing, bad input is refused."""
from __future__ import annotations

from datetime import date

import pytest

from tests.live_fixtures import last
from workshop.store.models import IndicatorRow, WorkshopSession

SATISFACTION = {"name": "ความพึงพอใจของผู้รับบริการ", "unit": "ร้อยละ", "direction": "higher",
                "target": 85, "values": {"2567": 80, "2568": 84, "2569": 88}}
WAITING = {"name": "ระยะเวลารอรับบริการ", "unit": "นาที", "direction": "lower",
           "target": 15, "values": {"2567": 20, "2568": 18, "2569": 16}}


def _count(app):
    with app.extensions["workshop.store"].session() as db:
        return db.query(IndicatorRow).count()


@pytest.fixture
def results_room(screens):
    """The sample session held on 9 May 2026 (fiscal year 2569), on item 7.2."""
    with screens.app.extensions["workshop.store"].session() as db:
        session = db.get(WorkshopSession, screens.session["id"])
        session.held_on = date(2026, 5, 9)
        session.agenda = list(session.agenda) + ["7.2"] if "7.2" not in session.agenda else session.agenda
        db.commit()
    facilitator = screens.facilitator()
    assert facilitator.emit("goto", {"criterion": "7.2"}, callback=True)["ok"]
    return screens, facilitator


def test_the_facilitator_enters_indicators_and_every_screen_sees_the_trend_and_suggestion(results_room):
    screens, facilitator = results_room
    projector, phone = screens.projector(), screens.joined_phone()
    first = facilitator.emit("set_indicator", {"criterion": "7.2", "client_key": "i1", **SATISFACTION},
                             callback=True)
    assert first["ok"], first
    again = facilitator.emit("set_indicator", {"criterion": "7.2", "client_key": "i1", **SATISFACTION},
                             callback=True)
    assert again["id"] == first["id"] and _count(screens.app) == 1
    second = facilitator.emit("set_indicator", {"criterion": "7.2", "client_key": "i2", **WAITING}, callback=True)
    for screen in (projector, phone):
        shown = last(screen, "stage")["indicators"]
        assert shown["years"] == [2567, 2568, 2569]
        assert [(i["name"], i["values"], i["met"], i["trend"]) for i in shown["items"]] == [
            ("ความพึงพอใจของผู้รับบริการ", [80, 84, 88], True, "improving"),
            ("ระยะเวลารอรับบริการ", [20, 18, 16], False, "improving")]
        # 1 of 2 at target (50 %), 2 improving: line 1 holds, line 2 asks 80 % at target
        assert shown["suggested_level"] == 1
    for _ in range(2):  # the waiting-time target eased to 16 minutes, sent twice
        changed = facilitator.emit("set_indicator", {"id": second["id"], **{**WAITING, "target": 16}}, callback=True)
        assert changed["ok"] and changed["id"] == second["id"]
    assert _count(screens.app) == 2
    # both at target (100 %), both improving (100 %): line 3 (100 %, 80 %) holds
    assert last(phone, "stage")["indicators"]["suggested_level"] == 3


def test_a_removed_indicator_is_gone_and_removing_it_again_is_harmless(results_room):
    screens, facilitator = results_room
    added = facilitator.emit("set_indicator", {"criterion": "7.2", "client_key": "i1", **SATISFACTION},
                             callback=True)
    assert facilitator.emit("remove_indicator", {"id": added["id"]}, callback=True)["removed"] is True
    assert facilitator.emit("remove_indicator", {"id": added["id"]}, callback=True) == {"ok": True, "removed": False}
    assert last(screens.projector(), "snapshot")["stage"]["indicators"]["items"] == []
    assert last(screens.projector(), "snapshot")["stage"]["indicators"]["suggested_level"] is None


@pytest.mark.parametrize("change, field", [
    ({"criterion": "1.1"}, "criterion"),              # a process item has no indicators
    ({"direction": "up"}, "direction"),
    ({"target": "85"}, "target"),
    ({"target": float("nan")}, "target"),
    ({"values": {"2560": 1}}, "values"),               # not one of the three years shown
    ({"values": {"2569": True}}, "values"),
    ({"name": ""}, "name"),
    ({"name": "a\x00b"}, "name"),
    ({"client_key": None}, "payload"),             # neither a new one (criterion, client_key) nor an id
])
def test_a_bad_indicator_is_refused_naming_its_field_and_changes_nothing(results_room, change, field):
    screens, facilitator = results_room
    payload = {"criterion": "7.2", "client_key": "i1", **SATISFACTION, **change}
    payload = {k: v for k, v in payload.items() if v is not None}
    ack = facilitator.emit("set_indicator", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid" and ack["error"]["field"] == field, ack
    assert _count(screens.app) == 0


def test_phones_and_the_projector_may_not_enter_indicators(results_room):
    screens, _ = results_room
    ack = screens.joined_phone().emit("set_indicator", {"criterion": "7.2", "client_key": "i1", **SATISFACTION},
                                      callback=True)
    assert ack["error"]["code"] == "forbidden" and _count(screens.app) == 0
