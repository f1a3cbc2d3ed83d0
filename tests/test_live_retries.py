"""Every client event is safe to send twice: a page that lost its acknowledgement resends the
same payload (after a reconnect, maybe on a new socket) and the second copy changes nothing.
On SQLite and on PostgreSQL, since the keys that make retries harmless live in the store."""
from __future__ import annotations

import pytest

from tests.helpers import make_session
from workshop.services.decisions import for_projector
from tests.live_fixtures import last
from tests.session_state import session_state
from workshop import live
from workshop.config import Config
from workshop.store.models import Decision, Participant, Round


@pytest.fixture
def config(data_dir, backend_url):
    return Config.from_env({"WORKSHOP_DATABASE_URL": backend_url}, data_dir=data_dir,
                           async_mode="threading", testing=True)


@pytest.fixture
def workshop_session(live_app, data_dir, backend_url):
    return make_session(data_dir, database_url=backend_url, agenda=("1.1", "1.2"),
                        roles=("executive", "staff"))


def _count(app, model, **where):
    with app.extensions["workshop.store"].session() as db:
        return db.query(model).filter_by(**where).count()


def _ok(client, event, payload):
    ack = client.emit(event, payload, callback=True)
    assert ack["ok"] is True, (event, payload, ack)
    return ack


def _twice(screens, client, event, payload):
    """Send, then resend as a page would; the resend answers alike and changes nothing."""
    first = _ok(client, event, payload)
    before = session_state(screens.app, screens.session["id"])
    again = _ok(client, event, payload)
    assert session_state(screens.app, screens.session["id"]) == before, event
    return first, again


def test_a_join_resent_on_a_new_socket_is_the_same_participant(screens):
    join = {"name": "Ann", "role": "staff", "client_key": "a phone's own join key"}
    first_socket = screens.phone()
    first = _ok(first_socket, "join", join)
    first_socket.disconnect()  # the acknowledgement was lost with the connection
    second_socket = screens.phone()  # a guest again: the phone never got its token
    again = _ok(second_socket, "join", join)
    assert (again["token"], again["me"]) == (first["token"], first["me"])
    assert _count(screens.app, Participant) == 1
    assert live.live_state(screens.app).presence.present(screens.session["id"]) == 1
    assert last(screens.phone(token=first["token"]), "snapshot")["me"]["id"] == first["me"]["id"]
    other = _ok(screens.phone(), "join", {**join, "client_key": "another phone's join key"})
    assert other["me"]["id"] != first["me"]["id"] and other["token"] != first["token"]


def test_a_phone_cannot_claim_a_proxy_by_its_client_key(screens):
    facilitator = screens.facilitator()
    proxy = _ok(facilitator, "add_proxy", {"name": "คุณสมศรี", "client_key": "the same key 1234"})
    joined = _ok(screens.phone(), "join", {"client_key": "the same key 1234"})
    assert joined["me"]["id"] != proxy["participant"]["id"]


def test_a_resent_add_proxy_adds_one_proxy(screens):
    facilitator = screens.facilitator()
    first, again = _twice(screens, facilitator, "add_proxy", {"name": "คุณสมศรี", "client_key": "p1"})
    assert first["participant"] == again["participant"]
    assert _count(screens.app, Participant, proxy=True) == 1


def test_a_resent_open_round_answers_with_the_round_it_opened(screens):
    facilitator = screens.facilitator()
    first, again = _twice(screens, facilitator, "open_round", {"criterion": "1.1", "number": 1})
    assert first["round"] == again["round"]
    assert _ok(facilitator, "open_round", {"criterion": "1.1"})["round"] == first["round"]
    round_id = first["round"]["id"]
    _twice(screens, facilitator, "close_round", {"round_id": round_id})
    _twice(screens, facilitator, "reveal", {"round_id": round_id})
    late = _ok(facilitator, "open_round", {"criterion": "1.1", "number": 1})  # a very late copy
    assert late["round"]["id"] == round_id and late["round"]["state"] == "revealed"
    assert _count(screens.app, Round) == 1
    stale = facilitator.emit("open_round", {"criterion": "1.1", "number": 3}, callback=True)
    assert stale["error"]["code"] == "invalid" and stale["error"]["field"] == "number"
    revote, _ = _twice(screens, facilitator, "open_round", {"criterion": "1.1", "number": 2})
    assert revote["round"]["number"] == 2 and _count(screens.app, Round) == 2


def _decided_twice(screens):
    """A closed round proposing level 1, then two decisions: level 1, and 2 with a note."""
    facilitator = screens.facilitator()
    round_id = _ok(facilitator, "open_round", {"criterion": "1.1", "number": 1})["round"]["id"]
    _ok(screens.joined_phone(), "vote", {"round_id": round_id, "level": 1})
    _ok(facilitator, "close_round", {"round_id": round_id})
    decide = {"criterion": "1.1", "agreed_level": 1, "target_level": 2, "importance": 3}
    first, again = _twice(screens, facilitator, "decide", decide)
    assert first["decision"] == again["decision"]
    second = _ok(facilitator, "decide", {**decide, "agreed_level": 2, "note": "มีหลักฐาน"})
    return facilitator, first["decision"], second["decision"]


def test_a_resent_decision_is_recorded_once(screens):
    _decided_twice(screens)
    assert _count(screens.app, Decision) == 2


def test_a_resent_undo_undoes_one_decision(screens):
    facilitator, first, second = _decided_twice(screens)
    undone, again = _twice(screens, facilitator, "undo_decision", {"decision_id": second["id"]})
    assert undone["decision"] == again["decision"] == first
    assert last(screens.projector(), "snapshot")["decisions"]["1.1"] == for_projector(first)
    refused = facilitator.emit("undo_decision", {"decision_id": second["id"] + 100}, callback=True)
    assert refused["error"]["code"] == "not_found"


def test_every_other_event_resent_changes_nothing(screens):
    facilitator = screens.facilitator()
    phone, other = screens.joined_phone(), screens.joined_phone()
    round_id = _ok(facilitator, "open_round", {"criterion": "1.1", "number": 1})["round"]["id"]
    proxy = _ok(facilitator, "add_proxy", {"name": "คุณสมศรี", "client_key": "p1"})["participant"]
    _twice(screens, phone, "vote", {"round_id": round_id, "level": 0, "note": "ยังไม่มี"})
    _twice(screens, other, "vote", {"round_id": round_id, "level": 2})
    _twice(screens, facilitator, "proxy_vote", {"participant_id": proxy["id"], "round_id": round_id,
                                                "level": 2})
    _twice(screens, facilitator, "close_round", {"round_id": round_id})
    _twice(screens, facilitator, "reveal", {"round_id": round_id})
    _twice(screens, facilitator, "explain", {"round_id": round_id, "open": True})
    _twice(screens, phone, "reason", {"round_id": round_id, "text": "ยังไม่มีแผน"})
    _twice(screens, facilitator, "ideas_phase", {"criterion": "1.1", "open": True})
    idea, again = _twice(screens, phone, "idea", {"criterion": "1.1", "text": "อบรม", "client_key": "i1"})
    assert idea["idea"]["id"] == again["idea"]["id"]
    _twice(screens, other, "upvote", {"idea_id": idea["idea"]["id"], "on": True})
    _twice(screens, facilitator, "hide_idea", {"idea_id": idea["idea"]["id"], "hidden": True})
    _twice(screens, facilitator, "goto", {"criterion": "1.2"})


def test_two_copies_of_a_join_racing_past_the_lookup_make_one_participant(live_app, workshop_session):
    """The copy that loses the race on the unique key gets the winner's participant and token,
    and its unit of work goes on (`INSERT … ON CONFLICT DO NOTHING`, not a failed transaction)."""
    from workshop.services import participants, sessions
    from workshop.store.keys import hash_token

    store = live_app.extensions["workshop.store"]
    secret = live_app.config["SECRET_KEY"]
    with store.session() as db:
        first = participants.join(db, sessions.get(db, workshop_session["id"]),
                                  client_key="a phone's own join key", secret_key=secret)
        first_id = first.participant.id
    with store.session() as db:
        session = sessions.get(db, workshop_session["id"])
        late = Participant(session_id=session.id, token_hash=hash_token("another token"),
                           client_key_hash=first.participant.client_key_hash)
        assert participants._add_once(db, late).id == first_id
        assert sessions.get(db, session.id).title  # the unit of work is still usable
    assert _count(live_app, Participant) == 1
