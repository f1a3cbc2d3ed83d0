"""The real pages resend what lost its acknowledgement, and the copy changes nothing: Chromium's
Socket.IO traffic runs through the test, which drops the first acknowledgement of an event and
cuts the connection, as when a phone walks out of Wi-Fi range just after sending."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import make_session
from workshop.config import Config
from workshop.services import rounds
from workshop.store.db import Store
from workshop.store.decisions import record_decision
from workshop.store.models import Decision, Participant, Round, Vote, WorkshopSession

pytestmark = pytest.mark.browser
RESEND_MS = 40_000  # the pages wait 8 s for an acknowledgement before resending
EVENT = re.compile(r'^42(\d+)\["([^"]+)"')
ACK = re.compile(r"^43(\d+)\[")
SERVER_EVENT = re.compile(r'^42\["([^"]+)"')


class LostAcknowledgements:
    """Routes a page's websockets; the first acknowledgement of each named event is dropped and
    the connection cut (the server has done the work; the page never hears of it)."""

    def __init__(self, *events: str):
        self.waiting = set(events)
        self.dropped: list[str] = []

    def route(self, ws) -> None:
        server = ws.connect_to_server()
        asked: dict[str, str] = {}

        def from_page(message):
            found = EVENT.match(message) if isinstance(message, str) else None
            if found and found.group(2) in self.waiting:
                asked[found.group(1)] = found.group(2)
            server.send(message)

        def from_server(message):
            found = ACK.match(message) if isinstance(message, str) else None
            event = asked.get(found.group(1)) if found else None
            if event in self.waiting:
                self.waiting.discard(event)
                self.dropped.append(event)
                ws.close()
                server.close()
                return
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)


class SilentServer:
    """Routes a page's websockets; while `silent`, the acknowledgements of the named events and
    the server's events of the same names are swallowed and the connection stays up (the server
    did the work and no word of it came back)."""

    def __init__(self, *events: str):
        self.events = set(events)
        self.silent = True
        self.swallowed = 0

    def route(self, ws) -> None:
        server = ws.connect_to_server()
        asked: set[str] = set()

        def from_page(message):
            found = EVENT.match(message) if isinstance(message, str) else None
            if found and found.group(2) in self.events:
                asked.add(found.group(1))
            server.send(message)

        def from_server(message):
            found = ACK.match(message) if isinstance(message, str) else None
            told = SERVER_EVENT.match(message) if isinstance(message, str) else None
            if self.silent and ((found and found.group(1) in asked) or (told and told.group(1) in self.events)):
                self.swallowed += 1
                return
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)


def _open_round(server, session) -> int:
    """The facilitator has opened the first item's round before the phone comes: its id."""
    store = _store(server)
    try:
        with store.session() as db:
            return rounds.open_round(db, db.get(WorkshopSession, session["id"]), "1.1").id
    finally:
        store.dispose()


def _store(server) -> Store:
    return Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(server.data_dir)}).database_url)


def _count(server, model, **where) -> int:
    store = _store(server)
    try:
        with store.session() as db:
            return db.query(model).filter_by(**where).count()
    finally:
        store.dispose()


def test_a_phone_whose_join_was_not_acknowledged_joins_once(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    lost = LostAcknowledgements("join")
    phone = browser.new_context(locale="th-TH", viewport={"width": 360, "height": 740}).new_page()
    phone.route_web_socket(re.compile(r"/socket\.io/"), lost.route)
    phone.goto(session["join"])
    expect(phone.locator("#privacy")).to_be_visible(timeout=RESEND_MS)
    phone.locator("#join-form button[type=submit]").click()
    token_kept = f"() => !!window.localStorage.getItem('workshop.token.{session['join_code']}')"
    phone.wait_for_function(token_kept, timeout=RESEND_MS)  # stored when the join is acknowledged
    expect(phone.locator("#live-view")).to_be_visible(timeout=RESEND_MS)
    assert lost.dropped == ["join"]
    assert _count(module_live_server, Participant, session_id=session["id"]) == 1
    phone.reload()  # the token it kept is the participant's: back in without joining again
    expect(phone.locator("#live-view")).to_be_visible(timeout=RESEND_MS)
    expect(phone.locator("#join-view")).to_be_hidden()


def test_the_control_page_resends_open_and_undo_without_doing_them_twice(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    store = _store(module_live_server)
    try:
        with store.session() as db:
            for level in (1, 2):
                record_decision(db, session_id=session["id"], criterion_code="1.2", agreed_level=level,
                                target_level=3, importance=3, note=None, decided_by="facilitator",
                                round_id=None)
    finally:
        store.dispose()
    lost = LostAcknowledgements("open_round", "undo_decision")
    page = browser.new_page(locale="en-US", viewport={"width": 1440, "height": 1000})
    page.route_web_socket(re.compile(r"/socket\.io/"), lost.route)
    page.goto(session["facilitator"])
    expect(page.locator(".crit-code").first).to_have_text("1.1", timeout=RESEND_MS)

    page.keyboard.press("o")
    expect(page.locator("[data-action=close]")).to_be_enabled(timeout=RESEND_MS)
    page.keyboard.press("u")
    expect(page.locator("#decide-status")).to_have_text("Last decision undone.", timeout=RESEND_MS)
    assert lost.dropped == ["open_round", "undo_decision"]
    expect(page.locator("#action-error")).to_have_text("")
    assert _count(module_live_server, Round, session_id=session["id"]) == 1
    store = _store(module_live_server)
    try:
        with store.session() as db:
            decisions = db.query(Decision).filter_by(session_id=session["id"]).order_by(Decision.id)
            undone = [d.agreed_level for d in decisions if d.undone_at]
    finally:
        store.dispose()
    assert undone == [2]


def test_a_phone_whose_vote_is_never_answered_says_so_and_sends_it_again_when_asked(browser, module_live_server):
    session = make_session(module_live_server.data_dir, module_live_server.url)
    round_id = _open_round(module_live_server, session)
    silent = SilentServer("vote")
    phone = browser.new_context(locale="th-TH", viewport={"width": 360, "height": 740}).new_page()
    phone.clock.install()  # the page's timers, the acknowledgement timeout included, run on this clock
    phone.route_web_socket(re.compile(r"/socket\.io/"), silent.route)
    phone.goto(session["join"])
    phone.locator("#join-form button[type=submit]").click()
    expect(phone.locator("#levels [data-level='2']")).to_be_visible(timeout=RESEND_MS)
    given_up = phone.locator("#send-failed")

    phone.locator("#levels [data-level='2']").click()
    phone.wait_for_function("() => document.querySelector('#levels .sending') !== null")
    phone.clock.run_for(9_000)  # one acknowledgement timeout: the page tries again, quietly
    expect(given_up).to_be_hidden()
    for _ in range(40):  # then each further try runs out the same way, until the bound
        if given_up.is_visible():
            break
        phone.clock.run_for(9_000)
        phone.wait_for_timeout(250)  # real time for the resent copy to reach the server
    expect(given_up).to_be_visible()
    expect(given_up).to_contain_text("ส่งไม่สำเร็จ กรุณาลองอีกครั้ง")
    assert silent.swallowed >= 2

    silent.silent = False
    given_up.get_by_role("button", name="ลองอีกครั้ง").click()
    expect(phone.locator("#levels [data-level='2']")).to_have_attribute("aria-pressed", "true", timeout=RESEND_MS)
    expect(given_up).to_be_hidden()
    assert _count(module_live_server, Vote, round_id=round_id) == _count(module_live_server, Vote, round_id=round_id, level=2) == 1  # every copy is one vote
