"""The facilitator's page in a real browser (Debian's chromium, Playwright) when the database is
locked by another program and when the data folder is full: it shows what is wrong, in Thai,
and the same click works once the fault is gone."""
from __future__ import annotations

import time

import pytest
import socketio
from playwright.sync_api import expect

from tests.browsers import WAIT_MS
from tests.helpers import make_session
from tests.live_clients import join_key
from tests.servers import start_server
from tests.storage import lock_held, rows

pytestmark = pytest.mark.browser
NOTE = "หลักฐาน " * 60


def _until(check, what, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"never: {what}")


def _round_state(data_dir):
    return [state for (state,) in rows(data_dir, "SELECT state FROM rounds")]


def _joined_phone(url, session):
    phone = socketio.Client(reconnection=False)
    phone.connect(url, auth={"role": "participant", "code": session["join_code"], "lang": "en"},
                  transports=["websocket"], wait_timeout=10)
    assert phone.call("join", {"client_key": join_key()}, timeout=10)["ok"]
    return phone


def _fill_the_log(phone, round_id):
    """The phone votes with long notes until the full disk refuses one: the database's log has
    no room left, so the facilitator's next step needs space too."""
    try:
        for attempt in range(400):
            ack = phone.call("vote", {"round_id": round_id, "level": attempt % 4, "note": f"{attempt} {NOTE}"},
                             timeout=10)
            if not ack["ok"] and ack["error"]["code"] == "rate_limited":  # the phone's event budget
                time.sleep(1)
            elif not ack["ok"]:
                assert ack["error"]["code"] == "storage_unavailable", ack
                return
        raise AssertionError("the full disk never refused a vote")
    finally:
        phone.disconnect()


def test_the_facilitators_page_says_database_busy_then_disk_full_and_works_again(browser, small_disk, tmp_path):
    data_dir = small_disk.path / "data"
    data_dir.mkdir()
    server = start_server(data_dir, log_dir=tmp_path)
    try:
        session = make_session(data_dir, server.url, agenda=("1.1", "1.2"))
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="th-TH")
        page.goto(session["facilitator"])
        expect(page.locator(".crit-code").first).to_have_text("1.1", timeout=WAIT_MS)
        page.keyboard.press("o")
        _until(lambda: _round_state(data_dir) == ["open"], "the round opens")
        round_id = rows(data_dir, "SELECT id FROM rounds")[0][0]
        error = page.locator("#action-error")

        with lock_held(data_dir):
            page.locator('[data-action="close"]').click()
            expect(error).to_contain_text("ฐานข้อมูลกำลังถูกใช้งาน", timeout=WAIT_MS)
        assert _round_state(data_dir) == ["open"]

        phone = _joined_phone(server.url, session)
        small_disk.fill()
        _fill_the_log(phone, round_id)
        page.locator('[data-action="close"]').click()
        expect(error).to_contain_text("โฟลเดอร์ข้อมูลเต็ม", timeout=WAIT_MS)
        assert _round_state(data_dir) == ["open"]

        small_disk.free_space()
        page.locator('[data-action="close"]').click()
        expect(error).to_have_text("", timeout=WAIT_MS)
        _until(lambda: _round_state(data_dir) == ["closed"], "the round closes once space is back")
        assert rows(data_dir, "PRAGMA integrity_check") == [("ok",)]
    finally:
        server.stop()
