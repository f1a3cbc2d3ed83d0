"""A report downloads while the room votes, and the room does not notice: on the real server
(`python -m workshop run`, gevent), exports render in their own process, so phones' votes keep
being acknowledged while a PDF is being made (issue 12, point 3).

Nothing here reads a clock: the phones and the download write into one ordered log, and the
test counts the acknowledgements that arrived between sending the download and receiving it.
"""
from __future__ import annotations

import asyncio
import json
import re

import pytest
import requests

from tests.helpers import make_session
from tests.live_clients import Screen, join_key, phone_auth, screen_auth, until
from workshop.config import Config
from workshop.exports import worker
from workshop.services.export_data import read_export_data
from workshop.services import accounts
from workshop.store.db import Store

PASSWORD = "a long organizer password"
PHONES = 20
# Each phone votes four times a second: well within a connection's event budget (live/limits.py).
PAUSE_SECONDS = 0.25
# Rendered on the event loop, the only votes acknowledged during the second download (the
# first also starts the export process, or imports the renderer) were those in flight when it
# started: 9 when measured, against 272 with the export process. Each phone must have had
# several votes acknowledged in the meantime.
ACKS_WHILE_RENDERING = 3 * PHONES


def organizer_login(server) -> requests.Session:
    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(server.data_dir)}).database_url)
    try:
        with store.session() as db:
            accounts.set_password(db, "organizer", PASSWORD)
    finally:
        store.dispose()
    browser = requests.Session()
    page = browser.get(server.url + "/organizer/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = browser.post(server.url + "/organizer/login", timeout=30, allow_redirects=False,
                          data={"csrf_token": csrf, "username": "organizer", "password": PASSWORD})
    assert answer.status_code == 302
    return browser


async def a_room_votes_while_the_report_downloads(server, session, browser, log):
    facilitator = Screen(server.url, screen_auth(session, "facilitator"))
    await facilitator.connect()
    round_id = (await facilitator.ok("open_round", {"criterion": session["agenda"][0]}))["round"]["id"]
    phones = [Screen(server.url, phone_auth(session)) for _ in range(PHONES)]
    for phone in phones:
        await phone.connect()
        await phone.ok("join", {"client_key": join_key()})
    downloading = True

    async def keep_voting(phone, number):
        level = 0
        while downloading:
            level = level % 2 + 1
            await phone.ok("vote", {"round_id": round_id, "level": level})
            log.append(("ack", number))
            await asyncio.sleep(PAUSE_SECONDS)

    voters = [asyncio.create_task(keep_voting(phone, n)) for n, phone in enumerate(phones)]
    await until(lambda: {n for what, n in log if what == "ack"} == set(range(PHONES)),
                "every phone's first vote is acknowledged: the votes are flowing")
    for _ in range(2):  # the first one also starts the export process
        log.append(("download sent", None))
        report = await asyncio.to_thread(browser.get, f"{server.url}/organizer/sessions/{session['id']}/download/pdf",
                                         timeout=120)
        log.append(("download received", report))
    downloading = False
    await asyncio.gather(*voters)
    for screen in [facilitator, *phones]:
        await screen.client.disconnect()


def acks_between_the_last_download_sent_and_received(log) -> int:
    sent = max(i for i, (what, _) in enumerate(log) if what == "download sent")
    received = max(i for i, (what, _) in enumerate(log) if what == "download received")
    return sum(1 for what, _ in log[sent:received] if what == "ack")


def test_phones_votes_are_acknowledged_while_a_pdf_report_renders(live_server):
    session = make_session(live_server.data_dir, live_server.url)
    browser = organizer_login(live_server)
    log: list = []
    asyncio.run(a_room_votes_while_the_report_downloads(live_server, session, browser, log))
    reports = [data for what, data in log if what == "download received"]
    assert all(r.status_code == 200 and r.content.startswith(b"%PDF") for r in reports)
    acks = acks_between_the_last_download_sent_and_received(log)
    assert acks >= ACKS_WHILE_RENDERING, (acks, live_server.output()[-3000:])
    assert "Traceback" not in live_server.output()



def test_a_download_interrupted_mid_render_never_hands_its_export_to_the_next_one(data_dir, monkeypatch):
    session = make_session(data_dir)
    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)}).database_url)
    try:
        with store.session() as db:
            snapshot = read_export_data(db, session["id"])
    finally:
        store.dispose()

    class Interrupted(BaseException):
        """What a download's greenlet gets when its browser goes away mid-render."""

    renderer = worker.Renderer()
    real_read = worker._read
    try:
        monkeypatch.setattr(worker, "_read", lambda stream: (_ for _ in ()).throw(Interrupted()))
        with pytest.raises(Interrupted):
            renderer.render("csv_export", "export_csv", "votes", snapshot, timeout=60)
        monkeypatch.setattr(worker, "_read", real_read)
        archive = renderer.render("archive", "export_archive", None, snapshot, timeout=60)
        assert json.loads(archive)["session"]["title"] == "ทดสอบ"
    finally:
        renderer.stop()
