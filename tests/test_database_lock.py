"""A locked SQLite file (a backup, the sqlite3 shell, another program) against the real server:
the room keeps answering while votes wait, waiting votes are stored once the lock goes, and a
lock held past the bound gives the facilitator `database_busy`, with nothing changed."""
from __future__ import annotations

import asyncio
import re

import requests

from tests.helpers import make_session
from tests.live_clients import Screen, join_key, phone_auth, screen_auth
from tests.storage import lock_held, rows, votes
from tests.servers import ROOT
from workshop.store.faults import WRITE_WAIT_SECONDS


async def _room(server, phones=5):
    session = make_session(server.data_dir, base_url=server.url, agenda=("1.1", "1.2"))
    facilitator = Screen(server.url, screen_auth(session, "facilitator"))
    await facilitator.connect()
    opened = await facilitator.ok("open_round", {"criterion": "1.1"})
    crowd = [Screen(server.url, phone_auth(session)) for _ in range(phones)]
    await asyncio.gather(*(phone.connect() for phone in crowd))
    for phone in crowd:
        phone.me = (await phone.ok("join", {"client_key": join_key()}))["me"]
    return session, facilitator, opened["round"]["id"], crowd


def test_the_room_keeps_answering_while_another_program_locks_the_database(live_server):
    async def scenario():
        session, facilitator, round_id, crowd = await _room(live_server)
        with lock_held(live_server.data_dir) as lock:
            waiting = [asyncio.create_task(phone.call("vote", {"round_id": round_id, "level": i % 4}))
                       for i, phone in enumerate(crowd)]
            page = await asyncio.to_thread(requests.get, f"{live_server.url}/j/{session['join_code']}", timeout=10)
            latecomer = await Screen(live_server.url, phone_auth(session)).connect()
            projector = await Screen(live_server.url, screen_auth(session, "projector")).connect()
            answered_while_locked = lock.holding
            assert not any(task.done() for task in waiting), "a vote was acknowledged during the lock"
        acks = await asyncio.gather(*waiting)
        return session, round_id, crowd, page, latecomer, projector, answered_while_locked, acks

    session, round_id, crowd, page, latecomer, projector, answered_while_locked, acks = asyncio.run(scenario())
    assert answered_while_locked
    assert page.status_code == 200 and latecomer["role"] == "participant" and projector["role"] == "projector"
    assert all(ack["ok"] for ack in acks), acks
    assert votes(live_server.data_dir, round_id) == {phone.me["id"]: i % 4 for i, phone in enumerate(crowd)}


def test_a_lock_held_past_the_bound_tells_the_facilitator_database_busy_and_changes_nothing(live_server):
    async def scenario():
        session, facilitator, round_id, crowd = await _room(live_server, phones=2)
        await crowd[0].ok("vote", {"round_id": round_id, "level": 2})
        thai = Screen(live_server.url, {**screen_auth(session, "facilitator"), "lang": "th"})
        await thai.connect()
        with lock_held(live_server.data_dir):
            # Both at once: each waits out the bound on its own, so in turn they would wait it twice.
            refused, late_vote = await asyncio.gather(
                thai.call("close_round", {"round_id": round_id}),
                crowd[1].call("vote", {"round_id": round_id, "level": 3}))
        closed = await thai.call("close_round", {"round_id": round_id})
        return session, round_id, crowd, refused, late_vote, closed

    session, round_id, crowd, refused, late_vote, closed = asyncio.run(scenario())
    assert refused["ok"] is False and refused["error"]["code"] == "database_busy"
    assert "ฐานข้อมูล" in refused["error"]["message"]  # the facilitator reads it in Thai
    assert late_vote["ok"] is False and late_vote["error"]["code"] == "database_busy"
    assert closed["ok"] is True and closed["round"]["state"] == "closed"  # nothing changed before
    assert votes(live_server.data_dir, round_id) == {crowd[0].me["id"]: 2}
    assert rows(live_server.data_dir, "SELECT count(*) FROM votes")[0][0] == 1


def test_the_bound_lets_the_answer_reach_a_page_before_it_gives_up_waiting():
    script = (ROOT / "static" / "js" / "live_client.js").read_text(encoding="utf-8")
    ack_timeout_ms = int(re.search(r"ACK_TIMEOUT_MS = (\d+)", script).group(1))
    assert WRITE_WAIT_SECONDS * 1000 < ack_timeout_ms


def test_a_page_that_meets_a_storage_fault_says_so_instead_of_a_bare_500(client, monkeypatch, data_dir):
    from workshop.store.db import Store
    from workshop.store.faults import StorageUnavailable

    session = make_session(data_dir)

    def unavailable(self, **_):
        raise StorageUnavailable("database or disk is full")
    monkeypatch.setattr(Store, "session", unavailable)
    page = client.get(f"/j/{session['join_code']}", headers={"Accept-Language": "en"})
    assert page.status_code == 503 and page.headers["Retry-After"]
    assert "full or read-only" in page.get_data(as_text=True)
    as_json = client.get(f"/j/{session['join_code']}", headers={"Accept": "application/json"})
    assert as_json.status_code == 503 and as_json.get_json()["error"]["code"] == "storage_unavailable"
