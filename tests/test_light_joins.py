"""What a phone's join costs the server (issue 12, "light joins"): one snapshot a join, a guest's
connect answer that holds only what the join page reads, a phone's snapshot trimmed to what the
phone's scripts read, and a bounded number of SQL statements for connect and join. Sizes are
the UTF-8 JSON bytes of a PMQA 4.0 session, measured with margin; nothing here times anything."""
from __future__ import annotations

import json
import secrets
import threading
from contextlib import contextmanager

from sqlalchemy import event

from tests.live_fixtures import received
from workshop.live.wire_json import dumps
from workshop.store.prebuilt import RawUnit, prebuilt


def _bytes(payload) -> int:
    return len(dumps(payload).encode("utf-8"))


@contextmanager
def _statements(app):
    """Every SQL statement the server runs inside the block for this thread's events (not the
    broadcaster's, whose thread may flush a tally meanwhile), through SQLAlchemy or prebuilt."""
    engine = app.extensions["workshop.store"].engine
    seen: list[str] = []
    here = threading.get_ident()

    def count(_conn, _cursor, statement, *_args):
        if threading.get_ident() == here:
            seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    kept = {name: getattr(RawUnit, name) for name in ("first", "all", "execute")}

    def counted(name):  # the join's prebuilt statements on a bare connection (store/prebuilt.py)
        def run(unit, statement, values):
            count(None, None, prebuilt(statement, unit.dialect).sql)
            return kept[name](unit, statement, values)
        return run
    for name in kept:
        setattr(RawUnit, name, counted(name))
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
        for name, method in kept.items():
            setattr(RawUnit, name, method)


def _open_round(screens):
    ack = screens.facilitator().emit("open_round", {"criterion": "1.1"}, callback=True)
    assert ack["ok"], ack


def test_a_joining_phone_gets_exactly_one_snapshot_after_a_small_guest_answer(screens):
    _open_round(screens)
    phone = screens.phone()
    guest = received(phone, "snapshot")
    assert len(guest) == 1 and guest[0]["me"] is None
    assert "stage" not in guest[0] and "ideas" not in guest[0]
    assert _bytes(guest[0]) < 600
    ack = phone.emit("join", {"client_key": secrets.token_urlsafe(18)}, callback=True)
    assert ack["ok"], ack
    after_join = received(phone, "snapshot")
    assert len(after_join) == 1, [sorted(s) for s in after_join]
    assert after_join[0]["me"] == ack["me"] and after_join[0]["stage"]["round"]["state"] == "open"


def test_a_resent_join_still_sends_one_snapshot(screens):
    phone = screens.phone()
    key = secrets.token_urlsafe(18)
    first = phone.emit("join", {"client_key": key}, callback=True)
    phone.get_received()
    again = phone.emit("join", {"client_key": key}, callback=True)
    assert again["token"] == first["token"]
    assert len(received(phone, "snapshot")) == 1


def test_a_phones_snapshot_carries_only_what_the_phone_reads(screens):
    _open_round(screens)
    phone = screens.joined_phone()
    phone.get_received()
    back = screens.phone(token=phone.token)
    snap = received(back, "snapshot")[0]
    assert sorted(snap) == ["ideas", "me", "my_answers", "my_vote", "role", "session", "stage"]
    assert snap["stage"]["criterion"]["levels"], "the phone votes from the stage's levels"
    # PMQA 4.0, criterion 1.1 with its level statements and checklists: 10.4 KB as UTF-8 with
    # the framework and agenda (16.4 KB \\u-escaped); 7.5 KB trimmed (docs/performance.md).
    assert _bytes(snap) < 8.5 * 1024, _bytes(snap)


def _connect_and_join(screens, live_app) -> list[str]:
    with _statements(live_app) as seen:
        phone = screens.phone()
        ack = phone.emit("join", {"client_key": secrets.token_urlsafe(18)}, callback=True)
    assert ack["ok"], ack
    return seen


def test_connect_and_join_run_few_sql_statements(screens, live_app):
    _open_round(screens)
    first = _connect_and_join(screens, live_app)
    seen = _connect_and_join(screens, live_app)
    # the session by join code, the key, one INSERT, the ideas; the stage is the one every phone
    # of the session shares (tests/test_phone_stage_cache.py), built by the first phone after
    # the facilitator's step: two reads more, the session's stage columns and its latest round
    assert len(seen) <= 4, "\n".join(seen)
    assert len(first) <= len(seen) + 2, "\n".join(first)


def test_a_phone_joining_for_the_first_time_is_not_asked_for_its_vote(screens, live_app):
    """A participant made by this join has no vote, answers or upvotes: its snapshot says so
    without reading them (the wave of first joins is the heaviest moment of a workshop)."""
    _open_round(screens)
    phone = screens.phone()
    with _statements(live_app) as seen:
        ack = phone.emit("join", {"client_key": secrets.token_urlsafe(18)}, callback=True)
    assert ack["ok"], ack
    snap = received(phone, "snapshot")[-1]
    assert snap["my_vote"] is None and snap["my_answers"] is None
    owned = [s for s in seen if any(t in s for t in ("FROM votes", "idea_upvotes", "checklist_answers"))]
    assert owned == [], owned


def test_a_reconnect_with_a_token_costs_no_more_than_a_join(screens, live_app):
    _open_round(screens)
    with _statements(live_app) as joining:
        phone = screens.joined_phone()
    with _statements(live_app) as seen:
        back = screens.phone(token=phone.token)
    assert received(back, "snapshot")[0]["me"]["id"] == phone.me["id"]
    assert len(seen) <= min(len(joining), 4), "\n".join(seen)


def test_a_join_resent_from_a_new_socket_takes_no_write_turn(screens, live_app, monkeypatch):
    """The phone lost the first join's answer and reconnected without a token: the same key
    finds its participant by reading only, without SQLite's write lock or any INSERT/UPDATE."""
    store = live_app.extensions["workshop.store"]
    turns = []
    taken = store._writes.turn_of  # every write turn (an ORM unit's too) goes through it
    monkeypatch.setattr(store._writes, "turn_of", lambda driver: turns.append(driver) or taken(driver))
    key = secrets.token_urlsafe(18)
    first = screens.phone().emit("join", {"client_key": key}, callback=True)
    assert first["ok"] and len(turns) == 1, (first, turns)
    with _statements(live_app) as seen:
        again = screens.phone().emit("join", {"client_key": key}, callback=True)
    assert again["ok"] and again["token"] == first["token"], again
    assert len(turns) == 1, "the resent join took the write turn"
    assert [s for s in seen if not s.lstrip().upper().startswith("SELECT")] == [], seen


def test_a_phone_joining_a_session_deleted_since_it_connected_hears_not_found(screens, live_app):
    """The join no longer reads the session again (the socket keeps what it read at connect):
    the participant's foreign key refuses the insert, and the phone hears why."""
    from workshop.services import sessions
    phone = screens.phone()
    with live_app.extensions["workshop.store"].session(write=True) as db:
        assert sessions.delete_session(db, screens.session["id"])
    ack = phone.emit("join", {"client_key": secrets.token_urlsafe(18)}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "not_found", ack


def test_a_join_builds_no_flask_request_for_its_event(screens, monkeypatch):
    """Like a vote, a join runs in an app context only (a Flask request per event was about a
    tenth of a join's CPU, issue 12): it still answers, sends its one snapshot, puts the phone in
    its own room (a second device hears its vote) and counts it present."""
    from flask import Flask

    facilitator = screens.facilitator()
    opened = facilitator.emit("open_round", {"criterion": "1.1"}, callback=True)
    round_id = opened["round"]["id"]
    built = []
    real = Flask.request_context
    monkeypatch.setattr(Flask, "request_context",
                        lambda self, environ: built.append(environ.get("PATH_INFO")) or real(self, environ))
    phone = screens.phone()
    assert len(received(phone, "snapshot")) == 1  # the guest's, at connect
    connects = len(built)
    ack = phone.emit("join", {"client_key": secrets.token_urlsafe(18)}, callback=True)
    assert ack["ok"], ack
    assert len(built) == connects, "the join built a Flask request"
    assert len(received(phone, "snapshot")) == 1
    tablet = screens.phone(token=ack["token"])
    vote = phone.emit("vote", {"round_id": round_id, "level": 1}, callback=True)
    assert vote["ok"], vote
    assert received(tablet, "vote")[-1]["level"] == 1
    screens.flush()
    assert received(facilitator, "tally")[-1]["present"] == 1
