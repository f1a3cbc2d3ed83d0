"""The Socket.IO events of a workshop, through Flask-SocketIO's test client: acknowledgements,
refusals that change nothing, who receives what."""
from __future__ import annotations

import pytest

from tests.live_fixtures import last, received
from workshop.store.models import Idea, Participant, Round, Vote


def _count(app, model, **where):
    with app.extensions["workshop.store"].session() as db:
        return db.query(model).filter_by(**where).count()


def _open(facilitator, criterion="1.1"):
    ack = facilitator.emit("open_round", {"criterion": criterion}, callback=True)
    assert ack["ok"], ack
    return ack["round"]["id"]


def test_every_screen_gets_a_snapshot_of_what_it_may_see(screens):
    facilitator, projector, guest = screens.facilitator(), screens.projector(), screens.phone()
    facilitator_view, projector_view = last(facilitator, "snapshot"), last(projector, "snapshot")
    guest_view = last(guest, "snapshot")
    assert facilitator_view["role"] == "facilitator" and "proxies" in facilitator_view
    assert projector_view["join"]["code"] == screens.session["join_code"] and "proxies" not in projector_view
    assert guest_view == {"role": "participant", "me": None, "session": guest_view["session"]}
    assert guest_view["session"]["join_code"] == screens.session["join_code"]
    assert [level["value"] for level in facilitator_view["framework"]["levels"]] == [0, 1, 2, 3]
    guest.emit("join", {"client_key": "k" * 20}, callback=True)
    phone_view = last(guest, "snapshot")
    assert phone_view["me"] is not None and phone_view["my_vote"] is None and "decisions" not in phone_view
    assert phone_view["stage"]["criterion"]["code"] == "1.1"
    assert [level["value"] for level in phone_view["stage"]["criterion"]["levels"]] == [0, 1, 2, 3]


def test_a_wrong_key_or_unknown_code_is_refused_at_connection_with_its_code(screens):
    for auth, code in (
            ({"role": "facilitator", "session": screens.session["id"], "key": screens.session["projector_key"]},
             "forbidden"),
            ({"role": "projector", "session": "nope", "key": "x"}, "not_found"),
            ({"role": "participant", "code": "ZZZZZZ"}, "not_found"),
            ({"role": "participant", "code": screens.session["join_code"], "extra": 1}, "invalid"),
            ({"role": "admin"}, "invalid"), (["participant"], "invalid")):
        refused = screens.connect(auth)
        assert not refused.is_connected() and refused.refused_with() == code, (auth, refused.refusal)
        assert refused.refusal["message"], auth
    assert screens.phone().refused_with() is None


def test_a_phone_that_sleeps_keeps_its_vote(screens):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    phone = screens.joined_phone()
    assert phone.emit("vote", {"round_id": round_id, "level": 2}, callback=True)["vote"]["level"] == 2
    phone.disconnect()
    again = screens.phone(token=phone.token)
    view = last(again, "snapshot")
    assert view["me"]["id"] == phone.me["id"] and view["my_vote"]["level"] == 2
    assert again.emit("vote", {"round_id": round_id, "level": 2}, callback=True)["ok"]
    assert _count(screens.app, Vote, round_id=round_id) == 1


@pytest.mark.parametrize("payload, field", [
    ("level 2", "payload"),
    ([1, 2], "payload"),
    ({"round_id": "1", "level": 2}, "round_id"),
    ({"round_id": True, "level": 2}, "round_id"),
    ({"round_id": 1, "level": 2.0}, "level"),
    ({"round_id": 1, "level": 2, "colour": "red"}, "colour"),
    ({"round_id": 1, "level": 2, "note": "x" * 501}, "note"),
    ({"round_id": 1}, "level"),
    ({"round_id": 1, "level": 2, "not_sure": True}, "level"),
    ({"round_id": 1, "level": 9}, "level"),
])
def test_a_bad_vote_is_refused_naming_its_field_and_counts_nothing(screens, payload, field):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    assert round_id == 1
    phone = screens.joined_phone()
    ack = phone.emit("vote", payload, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid", ack
    assert ack["error"]["field"] == field and field in ack["error"]["message"]
    assert _count(screens.app, Vote) == 0


def test_votes_on_unknown_rounds_or_another_sessions_round_are_not_found(screens, data_dir):
    from tests.helpers import make_session
    from tests.live_fixtures import Screens

    other = Screens(screens.app, make_session(data_dir, agenda=("1.1",)))
    other_round = _open(other.facilitator())
    _open(screens.facilitator())
    phone = screens.joined_phone()
    for round_id in (other_round, 999):
        ack = phone.emit("vote", {"round_id": round_id, "level": 1}, callback=True)
        assert ack["error"]["code"] == "not_found", ack
    assert _count(screens.app, Vote) == 0
    other.close()


def test_out_of_turn_actions_are_refused_and_change_nothing(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    guest = screens.phone()
    round_id = _open(facilitator)
    phone = screens.joined_phone()
    refusals = [
        (guest, "vote", {"round_id": round_id, "level": 1}, "not_joined"),
        (facilitator, "reveal", {"round_id": round_id}, "round_not_closed"),
        (facilitator, "open_round", {"criterion": "1.2"}, "round_open"),
        (facilitator, "goto", {"criterion": "1.2"}, "round_open"),
        (phone, "close_round", {"round_id": round_id}, "forbidden"),
        (phone, "decide", {"criterion": "1.1", "agreed_level": 1, "target_level": 2, "importance": 3}, "forbidden"),
        (projector, "vote", {"round_id": round_id, "level": 1}, "forbidden"),
        (projector, "close_round", {"round_id": round_id}, "forbidden"),
        (facilitator, "undo_decision", {"decision_id": 1}, "not_found"),
        (facilitator, "explain", {"round_id": round_id, "open": True}, "round_not_closed"),
        (phone, "reason", {"round_id": round_id, "text": "why"}, "explain_closed"),
        (phone, "idea", {"criterion": "1.1", "text": "x", "client_key": "a"}, "ideas_closed"),
        (phone, "no_such_event", {}, "invalid"),
    ]
    for client, event, payload, code in refusals:
        ack = client.emit(event, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == code, (event, ack)
    assert facilitator.emit("close_round", {"round_id": round_id}, callback=True)["ok"]
    ack = phone.emit("vote", {"round_id": round_id, "level": 1}, callback=True)
    assert ack["error"]["code"] == "round_not_open"
    assert ack["error"]["message"] == "Voting on this criterion is closed."
    assert _count(screens.app, Vote) == 0 and _count(screens.app, Round) == 1


def test_an_error_speaks_the_language_of_the_screen(screens):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    facilitator.emit("close_round", {"round_id": round_id}, callback=True)
    thai = screens.phone(lang="th")
    thai.emit("join", {"client_key": "a phone's join key 1"}, callback=True)
    english = screens.joined_phone()
    thai_ack = thai.emit("vote", {"round_id": round_id, "level": 1}, callback=True)
    english_ack = english.emit("vote", {"round_id": round_id, "level": 1}, callback=True)
    assert thai_ack["error"]["code"] == english_ack["error"]["code"] == "round_not_open"
    assert english_ack["error"]["message"] == "Voting on this criterion is closed."
    assert thai_ack["error"]["message"]  # Thai once the catalog has it; never empty


def test_blind_voting_the_projector_and_phones_see_only_how_many_voted(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    round_id = _open(facilitator)
    phones = [screens.joined_phone() for _ in range(3)]
    for phone, level in zip(phones, (1, 2, 2)):
        assert phone.emit("vote", {"round_id": round_id, "level": level}, callback=True)["ok"]
    for client in (facilitator, projector, *phones):
        client.get_received()
    screens.flush()
    facilitator_tally, projector_tally = last(facilitator, "tally"), last(projector, "tally")
    assert facilitator_tally["counts"] == {"0": 0, "1": 1, "2": 2, "3": 0}
    assert projector_tally == {"round_id": round_id, "voted": 3, "present": 3}
    assert all(received(phone, "tally") == [] for phone in phones)
    facilitator.emit("close_round", {"round_id": round_id}, callback=True)
    assert last(projector, "stage")["results"] is None
    ack = facilitator.emit("reveal", {"round_id": round_id}, callback=True)
    assert ack["results"]["summary"]["median"] == 2
    for client in (projector, *phones):
        assert last(client, "stage")["results"]["counts"]["2"] == 2


def test_a_second_device_of_the_same_phone_owner_stays_in_step(screens):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    phone = screens.joined_phone()
    tablet = screens.phone(token=phone.token)
    tablet.get_received()
    phone.emit("vote", {"round_id": round_id, "not_sure": True}, callback=True)
    assert last(tablet, "vote") == {"round_id": round_id, "level": None, "not_sure": True, "note": None}
    screens.flush()
    assert last(facilitator, "tally")["present"] == 1


def test_a_resent_join_is_the_same_participant(screens):
    phone = screens.phone()
    first = phone.emit("join", {"name": "Ann", "client_key": "a phone's join key 1"}, callback=True)
    second = phone.emit("join", {"name": "Ann", "client_key": "a phone's join key 1"}, callback=True)
    assert first["token"] == second["token"] and first["me"] == second["me"]
    assert first["me"]["name"] is None  # anonymous session
    assert _count(screens.app, Participant) == 1
    assert last(phone, "snapshot")["me"]["id"] == first["me"]["id"]


def test_observers_watch_but_do_not_vote_nor_count_as_present(screens):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    watcher = screens.joined_phone(observer=True)
    assert watcher.emit("vote", {"round_id": round_id, "level": 1}, callback=True)["error"]["code"] == "observer"
    screens.flush()
    assert last(facilitator, "tally")["present"] == 0


def test_ideas_are_coalesced_to_every_room_and_hidden_ones_lose_their_text(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    author, fan = screens.joined_phone(), screens.joined_phone()
    assert facilitator.emit("ideas_phase", {"criterion": "1.1", "open": True}, callback=True)["ok"]
    assert last(author, "stage")["ideas_open"] is True
    added = author.emit("idea", {"criterion": "1.1", "text": "จัดอบรม", "client_key": "k1"}, callback=True)
    idea_id = added["idea"]["id"]
    assert added["idea"]["mine"] is True
    assert author.emit("idea", {"criterion": "1.1", "text": "จัดอบรม", "client_key": "k1"},
                       callback=True)["idea"]["id"] == idea_id
    assert fan.emit("upvote", {"idea_id": idea_id, "on": True}, callback=True)["idea"]["upvotes"] == 1
    assert author.emit("upvote", {"idea_id": idea_id, "on": True}, callback=True)["error"]["code"] == "invalid"
    screens.flush()
    assert last(projector, "ideas")["items"][0]["upvotes"] == 1
    assert facilitator.emit("hide_idea", {"idea_id": idea_id, "hidden": True}, callback=True)["ok"]
    screens.flush()
    assert last(fan, "ideas")["items"] == [{"id": idea_id, "criterion": "1.1", "text": "", "upvotes": 1,
                                           "hidden": True}]
    assert _count(screens.app, Idea) == 1


def test_a_decision_can_be_undone_and_both_reach_the_projector(screens):
    facilitator, projector = screens.facilitator(), screens.projector()
    round_id = _open(facilitator)
    for level in (1, 2):
        screens.joined_phone().emit("vote", {"round_id": round_id, "level": level}, callback=True)
    facilitator.emit("close_round", {"round_id": round_id}, callback=True)
    decide = {"criterion": "1.1", "agreed_level": 2, "target_level": 3, "importance": 4}
    assert facilitator.emit("decide", decide, callback=True)["error"]["code"] == "note_required"
    ack = facilitator.emit("decide", {**decide, "agreed_level": 1}, callback=True)
    assert ack["decision"]["proposed_level"] == 1
    assert last(projector, "decision")["decision"]["agreed_level"] == 1
    undo = facilitator.emit("undo_decision", {"decision_id": ack["decision"]["id"]}, callback=True)
    assert undo == {"ok": True, "criterion": "1.1", "decision": None}
    assert last(projector, "decision") == {"criterion": "1.1", "decision": None}


def test_the_facilitator_votes_for_a_proxy_flagged_on_behalf(screens):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    proxy = facilitator.emit("add_proxy", {"name": "คุณสมศรี", "client_key": "proxy-1"}, callback=True)["participant"]
    ack = facilitator.emit("proxy_vote", {"participant_id": proxy["id"], "round_id": round_id, "level": 3},
                           callback=True)
    assert ack["vote"]["level"] == 3
    phone = screens.joined_phone()
    refused = facilitator.emit("proxy_vote", {"participant_id": phone.me["id"], "round_id": round_id,
                                              "level": 3}, callback=True)
    assert refused["error"]["code"] == "not_found"
    with screens.app.extensions["workshop.store"].session() as db:
        assert db.query(Vote).one().on_behalf is True


def test_sessions_never_see_each_others_traffic(screens, data_dir):
    from tests.helpers import make_session
    from tests.live_fixtures import Screens

    other = Screens(screens.app, make_session(data_dir, agenda=("1.1",)))
    mine, theirs = screens.facilitator(), other.facilitator()
    their_phone = other.joined_phone()
    other.flush()
    theirs.get_received()
    their_phone.get_received()
    round_id = _open(mine)
    screens.joined_phone().emit("vote", {"round_id": round_id, "level": 1}, callback=True)
    screens.flush()
    assert theirs.get_received() == [] and their_phone.get_received() == []
    other.close()
