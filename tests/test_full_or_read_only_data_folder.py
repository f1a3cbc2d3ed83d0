"""A data folder on a small filesystem of its own (tmpfs, mounted by the test: the suite runs
as root, where chmod stops nothing) that fills up or turns read-only, against the real server:
it says so at start, the facilitator hears `storage_unavailable`, nothing stored is damaged,
and work resumes when space is back."""
from __future__ import annotations

import asyncio

import pytest

from tests.helpers import make_session
from tests.live_clients import Screen, join_key, phone_auth, screen_auth
from tests.servers import start_server
from tests.storage import rows, votes
from workshop import data_folder

NOTE = "หลักฐาน " * 60  # a long note: every vote needs fresh pages in the database's log


def _server_on(disk):
    data_dir = disk.path / "data"
    data_dir.mkdir(exist_ok=True)
    return start_server(data_dir, log_dir=disk.path.parent)  # its log is not on the small disk


def test_a_read_only_data_folder_stops_the_server_at_start_with_a_clear_message(small_disk):
    server = _server_on(small_disk)
    session = make_session(server.data_dir, base_url=server.url)
    server.stop()
    small_disk.read_only()
    with pytest.raises(RuntimeError) as refused:
        _server_on(small_disk)
    said = str(refused.value)
    assert "exited with 1" in said and "cannot be written: it is read-only" in said, said
    assert "Traceback" not in said
    small_disk.writable()
    assert rows(server.data_dir, "SELECT join_code FROM workshop_sessions") == [(session["join_code"],)]
    assert rows(server.data_dir, "PRAGMA integrity_check") == [("ok",)]


def test_a_full_data_folder_refuses_to_start_and_a_nearly_full_one_warns(small_disk):
    folder = small_disk.path
    assert "only" in data_folder.check(folder, low_space_bytes=64 * 1024 * 1024)
    assert data_folder.check(folder, low_space_bytes=1024) is None
    small_disk.fill()
    with pytest.raises(data_folder.DataFolderUnusable, match="it is full"):
        data_folder.check(folder)


async def _vote_until_refused(phones, round_id):
    """Votes with long notes until the disk refuses one (every acknowledged one is kept)."""
    acked = {}
    for attempt in range(400):
        phone = phones[attempt % len(phones)]
        level = attempt % 4
        ack = await phone.call("vote", {"round_id": round_id, "level": level, "note": f"{attempt} {NOTE}"})
        if not ack["ok"] and ack["error"]["code"] == "rate_limited":  # the phone's event budget
            await asyncio.sleep(1)
            continue
        if not ack["ok"]:
            return acked, ack
        acked[phone.me["id"]] = level
    raise AssertionError("the full disk never refused a vote")


def test_a_full_data_folder_tells_the_facilitator_and_work_resumes_when_space_is_back(small_disk):
    server = _server_on(small_disk)
    session = make_session(server.data_dir, base_url=server.url, agenda=("1.1", "1.2"))

    async def scenario():
        facilitator = Screen(server.url, {**screen_auth(session, "facilitator"), "lang": "th"})
        await facilitator.connect()
        round_id = (await facilitator.ok("open_round", {"criterion": "1.1"}))["round"]["id"]
        phones = [Screen(server.url, phone_auth(session)) for _ in range(5)]
        for phone in phones:
            await phone.connect()
            phone.me = (await phone.ok("join", {"client_key": join_key()}))["me"]
        small_disk.fill()
        acked, refused_vote = await _vote_until_refused(phones, round_id)
        refused_close = await facilitator.call("close_round", {"round_id": round_id})
        small_disk.free_space()
        resumed_vote = await phones[0].call("vote", {"round_id": round_id, "level": 1})
        acked[phones[0].me["id"]] = 1
        closed = await facilitator.call("close_round", {"round_id": round_id})
        return round_id, acked, refused_vote, refused_close, resumed_vote, closed

    try:
        round_id, acked, refused_vote, refused_close, resumed_vote, closed = asyncio.run(scenario())
    finally:
        server.stop()
    assert refused_vote["error"]["code"] == "storage_unavailable"
    assert refused_close["ok"] is False and refused_close["error"]["code"] == "storage_unavailable"
    assert "เต็ม" in refused_close["error"]["message"]  # Thai: the folder is full
    assert resumed_vote["ok"] and closed["ok"] and closed["round"]["state"] == "closed"
    assert votes(server.data_dir, round_id) == acked, "every acknowledged vote is stored, no other"
    assert rows(server.data_dir, "PRAGMA integrity_check") == [("ok",)]
