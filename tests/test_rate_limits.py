"""Rate limits of the live layer, through Flask-SocketIO's test client: a flooding phone is
refused then cut off while its neighbour votes, join-code guessing meets `rate_limited`, and
participant creation is bounded, while a whole venue behind one address is never limited."""
from __future__ import annotations

import pytest
from limits import parse_many

from tests.live_clients import join_key
from workshop.live.limits import EXTENSION, LiveLimits, Rules, address_key
from workshop.services.errors import LiveError
from workshop.store.models import Participant, Vote


def _count(app, model, **where):
    with app.extensions["workshop.store"].session() as db:
        return db.query(model).filter_by(**where).count()


def _open(screens):
    ack = screens.facilitator().emit("open_round", {"criterion": "1.1"}, callback=True)
    assert ack["ok"], ack
    return ack["round"]["id"]


def _wrong_code(session):
    wrong = "ABCDEF" if session["join_code"] != "ABCDEF" else "ABCDEG"
    return {"role": "participant", "code": wrong, "lang": "en"}


def test_a_flooding_phone_is_refused_then_cut_off_and_its_neighbour_still_votes(screens):
    round_id = _open(screens)
    flooder, neighbour = screens.joined_phone(), screens.joined_phone()
    acks = []
    while flooder.is_connected() and len(acks) < 1000:
        acks.append(flooder.emit("vote", {"round_id": round_id, "level": len(acks) % 4}, callback=True))
    refused = [ack for ack in acks if ack and not ack["ok"]]
    assert refused and {ack["error"]["code"] for ack in refused} == {"rate_limited"}
    assert refused[0]["error"]["message"] == "Too many attempts from this device; wait a minute and try again."
    assert not flooder.is_connected(), "a flood of refused events cuts the socket off"
    assert len(acks) < 1000
    assert neighbour.emit("vote", {"round_id": round_id, "level": 3}, callback=True)["ok"]
    assert _count(screens.app, Vote, round_id=round_id) == 2


def test_an_unknown_event_flood_is_charged_like_any_other(screens):
    phone = screens.phone()
    answers = [phone.emit("no_such_event", {}, callback=True) for _ in range(80)]
    assert {a["error"]["code"] for a in answers} == {"invalid", "rate_limited"}


def test_one_connection_guessing_join_codes_meets_rate_limited(screens):
    budget = parse_many(Rules().wrong_codes_per_client)[0].amount
    guesser = screens.connect(_wrong_code(screens.session))  # one WebSocket, connecting again and again
    assert guesser.refused_with() == "not_found"
    for _ in range(budget - 1):
        guesser.connect(auth=_wrong_code(screens.session))
        assert not guesser.is_connected() and guesser.refused_with() == "not_found"
    guesser.connect(auth={"role": "participant", "code": screens.session["join_code"], "lang": "en"})
    assert guesser.refused_with() == "rate_limited", "past the budget even the right code is refused"
    assert guesser.refusal["message"] == ("Too many wrong codes from this device or network. Wait a "
                                          "minute, then scan the QR code again.")
    assert screens.phone().is_connected(), "another phone at the same address still joins"


def test_an_address_guessing_join_codes_meets_rate_limited(screens, live_app):
    live_app.extensions[EXTENSION] = LiveLimits(rules=Rules(wrong_codes_per_address="5/minute"))
    for _ in range(5):
        assert screens.connect(_wrong_code(screens.session)).refused_with() == "not_found"
    assert screens.phone().refused_with() == "rate_limited", "the sixth try from that address is refused, right code or not"


@pytest.mark.parametrize("rule", ["joins_per_address", "joins_per_session"])
def test_participants_created_past_the_budget_of_an_address_or_a_session_are_refused(screens, live_app, rule):
    live_app.extensions[EXTENSION] = LiveLimits(rules=Rules(**{rule: "3/minute"}))
    for _ in range(3):
        screens.joined_phone()
    refused = screens.phone().emit("join", {"client_key": join_key()}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "rate_limited"
    assert _count(screens.app, Participant, session_id=screens.session["id"]) == 3


def test_participants_created_in_one_session_are_bounded_whatever_their_addresses():
    limits = LiveLimits(rules=Rules(joins_per_session="3/minute"))
    for phone in range(3):
        limits.charge_join(f"198.51.100.{phone}", f"eio:{phone}", session_id="s_room")
    with pytest.raises(LiveError) as refused:
        limits.charge_join("198.51.100.9", "eio:9", session_id="s_room")
    assert refused.value.code == "rate_limited"
    limits.charge_join("198.51.100.9", "eio:9", session_id="s_other")  # another room is not charged


def test_a_venue_of_2000_phones_behind_one_address_joins_within_a_minute():
    limits = LiveLimits()
    for phone in range(2000):
        limits.charge_join("203.0.113.7", f"eio:{phone}")  # raises rate_limited when it bites
    assert all(limits.code_attempt_allowed("203.0.113.7", f"eio:{phone}") for phone in range(2000))


def test_a_phone_on_ipv6_counts_by_its_network_since_it_may_hold_a_whole_slash_64():
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert address_key("::ffff:203.0.113.7") == address_key("203.0.113.7") == "203.0.113.7"
