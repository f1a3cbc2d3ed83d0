"""The level the room proposes reaches the facilitator from the server, computed by the one
domain rule (the median rounded down): none while voting is open, the same level the decision
then carries, and never to the projector or a phone."""
from __future__ import annotations

import math

from tests.live_fixtures import last
from workshop.domain.consensus import proposed_level, summarize


def test_the_rule_rounds_a_split_room_down_and_proposes_nothing_without_a_level():
    assert proposed_level(summarize({1: 1, 2: 1}, [0, 1, 2, 3])) == math.floor(1.5) == 1
    assert proposed_level(summarize({2: 3}, [0, 1, 2, 3])) == 2
    assert proposed_level(summarize({}, [0, 1, 2, 3], not_sure=2)) is None


def test_the_facilitator_is_offered_the_proposed_level_once_voting_stops(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    ack = facilitator.emit("open_round", {"criterion": "1.1"}, callback=True)
    round_id = ack["round"]["id"]
    assert ack["ok"]
    assert last(facilitator, "stage")["results"]["proposed_level"] is None  # nothing while voting is open
    phone = screens.joined_phone()
    for level in (1, 2):
        assert screens.joined_phone().emit("vote", {"round_id": round_id, "level": level}, callback=True)["ok"]
    screens.flush()
    assert last(facilitator, "tally")["proposed_level"] is None
    assert "proposed_level" not in last(projector, "tally")

    assert facilitator.emit("close_round", {"round_id": round_id}, callback=True)["ok"]
    assert last(facilitator, "stage")["results"]["proposed_level"] == 1  # 1.5 rounded down
    again = screens.facilitator()  # a facilitator page that reconnects is offered it too
    assert last(again, "snapshot")["stage"]["results"]["proposed_level"] == 1

    assert facilitator.emit("reveal", {"round_id": round_id}, callback=True)["ok"]
    for screen in (projector, phone):
        assert "proposed_level" not in last(screen, "stage")["results"]
    decide = {"criterion": "1.1", "agreed_level": 1, "target_level": 2, "importance": 3}
    assert facilitator.emit("decide", decide, callback=True)["decision"]["proposed_level"] == 1
