"""What the fast vote path (one prebuilt statement, no ORM session) must still guarantee: a vote
is in the database when it is acknowledged, a changed vote replaces the earlier one, a resent
vote counts once, a round closed anywhere (another worker included) refuses the next vote, and
the tally survives a restart of the server."""
from __future__ import annotations

import threading

from sqlalchemy import update

from tests.live_fixtures import Screens, last
from workshop import create_app, live
from workshop.store import votes as vote_store
from workshop.store.db import Store
from workshop.store.models import Round, Vote


def _open(facilitator, criterion="1.1"):
    ack = facilitator.emit("open_round", {"criterion": criterion}, callback=True)
    assert ack["ok"], ack
    return ack["round"]["id"]


def _another_process(config) -> Store:
    """The same database through a store of its own, as another worker or a restart sees it."""
    return Store.open(config.database_url, migrate=False)


def _votes(config, round_id):
    other = _another_process(config)
    try:
        with other.session() as db:
            return [(v.participant_id, v.level, v.not_sure, v.note)
                    for v in db.query(Vote).filter_by(round_id=round_id).order_by(Vote.id)]
    finally:
        other.dispose()


def test_an_acknowledged_vote_is_already_in_the_database(screens, config):
    round_id = _open(screens.facilitator())
    phone = screens.joined_phone()
    ack = phone.emit("vote", {"round_id": round_id, "level": 2, "note": "คู่มือปฏิบัติงาน"}, callback=True)
    assert ack == {"ok": True, "vote": {"round_id": round_id, "level": 2, "not_sure": False,
                                        "note": "คู่มือปฏิบัติงาน"}}
    assert _votes(config, round_id) == [(phone.me["id"], 2, False, "คู่มือปฏิบัติงาน")]


def test_a_changed_vote_replaces_the_earlier_one_and_keeps_its_note(screens, config):
    round_id = _open(screens.facilitator())
    phone = screens.joined_phone()
    assert phone.emit("vote", {"round_id": round_id, "level": 1, "note": "มีแผน"}, callback=True)["ok"]
    ack = phone.emit("vote", {"round_id": round_id, "level": 3}, callback=True)
    assert ack["vote"] == {"round_id": round_id, "level": 3, "not_sure": False, "note": "มีแผน"}
    ack = phone.emit("vote", {"round_id": round_id, "not_sure": True}, callback=True)
    assert ack["vote"]["level"] is None and ack["vote"]["not_sure"] is True
    assert _votes(config, round_id) == [(phone.me["id"], None, True, "มีแผน")]


def test_a_resent_vote_is_counted_once(screens, config):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    phone = screens.joined_phone()
    for _ in range(3):  # the phone lost the acknowledgement twice
        assert phone.emit("vote", {"round_id": round_id, "level": 2}, callback=True)["ok"]
    screens.flush()
    assert last(facilitator, "tally")["counts"]["2"] == 1
    assert len(_votes(config, round_id)) == 1


def test_a_vote_after_the_round_closed_is_refused_and_changes_nothing(screens, config):
    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    phone = screens.joined_phone()
    assert phone.emit("vote", {"round_id": round_id, "level": 1}, callback=True)["ok"]
    assert facilitator.emit("close_round", {"round_id": round_id}, callback=True)["ok"]
    ack = phone.emit("vote", {"round_id": round_id, "level": 3}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "round_not_open"
    assert _votes(config, round_id) == [(phone.me["id"], 1, False, None)]


def test_a_round_closed_by_another_worker_refuses_the_next_vote_here(screens, config):
    round_id = _open(screens.facilitator())
    phone = screens.joined_phone()
    assert phone.emit("vote", {"round_id": round_id, "level": 1}, callback=True)["ok"]
    other = _another_process(config)
    try:
        with other.session() as db:
            db.execute(update(Round).where(Round.id == round_id).values(state="closed"))
    finally:
        other.dispose()
    ack = phone.emit("vote", {"round_id": round_id, "level": 3}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "round_not_open"
    assert _votes(config, round_id) == [(phone.me["id"], 1, False, None)]


def test_an_observer_is_refused_on_the_fast_path_too(screens, config):
    round_id = _open(screens.facilitator())
    watcher = screens.joined_phone(observer=True)
    ack = watcher.emit("vote", {"round_id": round_id, "level": 1}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "observer"
    assert _votes(config, round_id) == []


def test_the_tally_after_a_restart_counts_every_acknowledged_vote(screens, config, workshop_session):
    round_id = _open(screens.facilitator())
    for level in (0, 1, 2, 2, 3):
        assert screens.joined_phone().emit("vote", {"round_id": round_id, "level": level},
                                           callback=True)["ok"]
    screens.close()
    restarted = create_app(config)
    try:
        with restarted.extensions["workshop.store"].session() as db:
            assert vote_store.tally(db, round_id) == ({0: 1, 1: 1, 2: 2, 3: 1}, 0)
        facilitator = Screens(restarted, workshop_session).facilitator()
        assert last(facilitator, "snapshot")["presence"]["voted"] == 5
        assert facilitator.emit("close_round", {"round_id": round_id}, callback=True)["ok"]
        shown = facilitator.emit("reveal", {"round_id": round_id}, callback=True)
        assert shown["results"]["counts"] == {"0": 1, "1": 1, "2": 2, "3": 1}
        facilitator.disconnect()
    finally:
        live.shutdown(restarted)
        restarted.extensions["workshop.store"].dispose()


def test_a_vote_is_one_statement_and_opens_no_cookie_session(screens, monkeypatch):
    """The costs the profile found on every vote beside the write itself (issue 12): ORM
    look-ups of the voter and the round, and the handshake's cookie verified again."""
    from flask.sessions import SecureCookieSessionInterface
    from sqlalchemy import event

    round_id = _open(screens.facilitator())
    phone = screens.joined_phone()
    assert phone.emit("vote", {"round_id": round_id, "level": 1}, callback=True)["ok"]  # warm caches
    store = screens.app.extensions["workshop.store"]
    store.dispose()  # every connection from here on is a traced one
    engine = store.engine
    seen, here = [], threading.get_ident()  # the broadcaster's own thread may flush meanwhile
    real_cookie = SecureCookieSessionInterface.open_session

    def statement(sql):
        if threading.get_ident() == here and not sql.lstrip().upper().startswith(("BEGIN", "COMMIT")):
            seen.append(sql.split()[0].upper())

    def trace(dbapi_connection, *_):  # what SQLite runs, whether SQLAlchemy or the bare driver sent it
        dbapi_connection.set_trace_callback(statement)
    event.listen(engine, "checkout", trace)
    monkeypatch.setattr(SecureCookieSessionInterface, "open_session",
                        lambda self, app, request: seen.append("cookie") or real_cookie(self, app, request))
    try:
        for level in (2, 3, 2):
            assert phone.emit("vote", {"round_id": round_id, "level": level}, callback=True)["ok"]
    finally:
        event.remove(engine, "checkout", trace)
        store.dispose()  # no traced connection stays open
    assert seen == ["INSERT"] * 3


def test_a_vote_builds_no_flask_request_for_its_event(screens, monkeypatch):
    """Flask-SocketIO builds a request context per event from the socket's handshake (a
    Request, URL matching, teardown): a quarter of a vote's CPU (issue 12). A vote runs in an
    app context only, and still answers, stores and echoes as before."""
    from flask import Flask

    facilitator = screens.facilitator()
    round_id = _open(facilitator)
    phone = screens.joined_phone()
    tablet = screens.phone(token=phone.token)
    built = []
    real = Flask.request_context
    monkeypatch.setattr(Flask, "request_context",
                        lambda self, environ: built.append(environ.get("PATH_INFO")) or real(self, environ))
    ack = phone.emit("vote", {"round_id": round_id, "level": 2, "note": "มีคำสั่งแต่งตั้ง"}, callback=True)
    assert ack == {"ok": True, "vote": {"round_id": round_id, "level": 2, "not_sure": False,
                                        "note": "มีคำสั่งแต่งตั้ง"}}
    assert last(tablet, "vote") == ack["vote"]
    assert facilitator.emit("close_round", {"round_id": round_id}, callback=True)["ok"]
    assert built == ["/socket.io"]  # the facilitator's close_round only
    assert _votes(screens.app.config["WORKSHOP"], round_id)[-1][1] == 2


def test_a_vote_sent_with_binary_data_is_refused_as_invalid(screens, config):
    """The protocol carries no binary data (the server's packets skip python-socketio's search for
    it); a client's packet with an attachment is still read, and refused like any bad payload."""
    round_id = _open(screens.facilitator())
    phone = screens.joined_phone()
    ack = phone.emit("vote", {"round_id": round_id, "level": b"\x02"}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "invalid" and ack["error"]["field"] == "level"
    assert phone.emit("vote", {"round_id": round_id, "level": 2}, callback=True)["ok"]
    assert [level for _, level, _, _ in _votes(config, round_id)] == [2]
