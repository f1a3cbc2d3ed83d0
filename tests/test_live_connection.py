"""Connecting a screen: presence counts only real sockets, reserved event names sent by a client
are refused with an acknowledgement, and a refused connection says why in the documented
`{"code", "message"}` shape (a real socketio.Client against the real server)."""
from __future__ import annotations

import pytest
import socketio

from tests.helpers import make_session
from tests.live_fixtures import last
from tests.room_driver import run
from tests.servers import start_server
from workshop import live
from workshop.live import connection


def _present(screens) -> int:
    return live.live_state(screens.app).presence.present(screens.session["id"])


def test_a_snapshot_that_fails_leaves_no_phantom_in_the_room(screens, monkeypatch):
    phone = screens.joined_phone()
    phone.disconnect()
    assert _present(screens) == 0

    def broken(*args, **kwargs):
        raise RuntimeError("the snapshot failed")
    monkeypatch.setattr(connection.views, "participant_snapshot", broken)  # a phone's
    again = screens.phone(token=phone.token)
    assert not again.is_connected() and again.refused_with() == "server_error"
    assert _present(screens) == 0
    assert live.live_state(screens.app).connections == {}
    monkeypatch.undo()
    assert screens.phone(token=phone.token).is_connected() and _present(screens) == 1


@pytest.mark.parametrize("name", ["connect", "disconnect", "*"])
def test_a_client_sending_a_reserved_event_name_is_refused_and_nothing_changes(screens, name):
    facilitator = screens.facilitator()
    phone = screens.joined_phone()
    connections = dict(live.live_state(screens.app).connections)
    auth = {"role": "participant", "code": screens.session["join_code"], "token": phone.token}
    for payload in ({}, auth, "client disconnect", None):
        for sender in (phone, facilitator):
            args = () if payload is None else (payload,)
            ack = sender.emit(name, *args, callback=True)
            assert ack["ok"] is False and ack["error"]["code"] == "invalid", (name, payload, ack)
            assert ack["error"]["field"] == "event"
    assert _present(screens) == 1
    assert live.live_state(screens.app).connections == connections
    screens.flush()
    assert last(facilitator, "tally")["present"] == 1
    assert phone.is_connected() and facilitator.is_connected()


def test_an_event_without_a_string_name_is_refused(screens):
    phone = screens.joined_phone()
    for name in (7, None, ["vote"], {"e": 1}):
        ack = phone.emit(name, {}, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "invalid", (name, ack)


def _refusal(url, auth):
    """Connect a real python-socketio client; return the data of its connect_error.

    The asyncio client, because the threaded one races its own reader for the websocket's
    closing frame and then waits out websocket-client's 3 s close timeout on every refusal."""
    async def attempt():
        client = socketio.AsyncClient(reconnection=False)
        client.on("connect_error", lambda data=None: refusals.append(data))
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
    refusals = []
    run(attempt())  # its own loop: a Playwright test in this module holds the main thread's loop
    assert len(refusals) == 1, refusals
    return refusals[0]


def test_a_refused_connection_says_why_in_the_documented_shape(module_live_server):
    session = make_session(module_live_server.data_dir)
    cases = [
        ({"role": "facilitator", "session": session["id"], "key": session["projector_key"], "lang": "en"},
         "forbidden", "This link is no longer valid. Ask the organizer for the current link."),
        ({"role": "participant", "code": "ZZZZZZ", "lang": "en"}, "not_found",
         "There is no workshop with this code or link; it may have ended or been deleted."),
        ({"role": "projector", "session": session["id"], "lang": "en"}, "invalid",
         "This link is incomplete. Open it again from the QR code or the organizer's page."),
        ({"role": "projector", "session": session["id"], "key": "x" * 20, "lang": "th"}, "forbidden",
         "ลิงก์นี้ใช้ไม่ได้แล้ว กรุณาขอลิงก์ปัจจุบันจากผู้จัดการประชุม"),
    ]
    for auth, code, message in cases:
        refused = _refusal(module_live_server.url, auth)
        assert refused == {"message": message, "data": {"code": code, "message": message}}, refused


@pytest.mark.browser
def test_a_page_whose_link_was_renewed_shows_why_it_was_refused(module_live_server, browser):
    """The projector page loads, then its socket is refused (a stale key): the page says so,
    in Thai, with the server's reason instead of a generic "refused"."""
    from playwright.sync_api import expect

    from tests.browsers import WAIT_MS

    session = make_session(module_live_server.data_dir, base_url=module_live_server.url)
    page = browser.new_page(locale="th-TH")

    def stale_key(route):
        response = route.fetch()
        body = response.text().replace(session["projector_key"], "stale-key-from-an-old-link")
        route.fulfill(response=response, body=body)
    page.route(session["projector"], stale_key)
    page.goto(session["projector"])
    expect(page.locator("#fatal")).to_have_text("ลิงก์นี้ใช้ไม่ได้แล้ว กรุณาขอลิงก์ปัจจุบันจากผู้จัดการประชุม",
                                                timeout=WAIT_MS)
    expect(page.locator("#fatal")).to_be_visible()


def test_a_phone_that_names_no_language_hears_a_refusal_in_the_servers_language(tmp_path):
    """WORKSHOP_LANGUAGE reaches the live layer: before a session is known, a refusal speaks the
    configured language, not a language written into the code."""
    for language, message in (("en", "There is no workshop with this code or link; it may have "
                                     "ended or been deleted."),
                              ("th", "ไม่พบการประชุมตามรหัสหรือลิงก์นี้ อาจสิ้นสุดหรือถูกลบไปแล้ว")):
        data_dir = tmp_path / language
        data_dir.mkdir()
        server = start_server(data_dir, env={"WORKSHOP_LANGUAGE": language})
        try:
            refused = _refusal(server.url, {"role": "participant", "code": "ZZZZZZ"})
        finally:
            server.stop()
        assert refused == {"message": message, "data": {"code": "not_found", "message": message}}
