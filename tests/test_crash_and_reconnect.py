"""The real server killed with SIGKILL during a 200-phone vote burst, and a 500-phone reconnect
storm after a restart, with phones that behave like the pages (tests/resending_clients.py):
no acknowledged vote is lost, a resent vote counts once, the round keeps its state, and every
screen comes back by itself with its own vote in its snapshot."""
from __future__ import annotations

import asyncio

import aiohttp

from tests.helpers import make_session
from tests.live_clients import phone_auth, screen_auth, until
from tests.resending_clients import ResendingScreen
from tests.servers import start_server
from tests.storage import votes

BURST_PHONES = 200
STORM_PHONES = 500


def _port(server) -> int:
    return int(server.url.rsplit(":", 1)[1])


async def _crowd(url, session, count, http):
    phones = [ResendingScreen(url, phone_auth(session), http) for _ in range(count)]
    gate = asyncio.Semaphore(50)

    async def enter(phone):
        async with gate:
            await phone.connect()
            await phone.join()
    await asyncio.gather(*(enter(phone) for phone in phones))
    return phones


_until = until


def _tallied(screen, round_id, voted):
    return lambda: any(name == "tally" and data["round_id"] == round_id and data["voted"] == voted
                       for name, data in screen.events)


def test_a_server_killed_mid_burst_loses_no_acknowledged_vote_and_every_screen_comes_back(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    servers = [start_server(data_dir, log_dir=tmp_path)]
    session = make_session(data_dir, base_url=servers[0].url, agenda=("1.1", "1.2"))
    url = servers[0].url

    async def scenario():
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            facilitator = ResendingScreen(url, screen_auth(session, "facilitator"), http)
            projector = ResendingScreen(url, screen_auth(session, "projector"), http)
            await facilitator.connect()
            await projector.connect()
            round_id = (await facilitator.deliver("open_round", {"criterion": "1.1"}))["round"]["id"]
            phones = await _crowd(url, session, BURST_PHONES, http)
            levels = {phone.me["id"]: index % 4 for index, phone in enumerate(phones)}
            acked_before_kill: dict[int, int] = {}
            killed = False

            async def vote(phone):
                ack = await phone.deliver("vote", {"round_id": round_id, "level": levels[phone.me["id"]]})
                if not killed:
                    acked_before_kill[phone.me["id"]] = ack["vote"]["level"]
                return ack

            burst = [asyncio.create_task(vote(phone)) for phone in phones]
            await _until(lambda: len(acked_before_kill) >= 20, "the first acknowledgements")
            servers[0].process.kill()  # SIGKILL: no shutdown, no flush, mid-burst
            servers[0].process.wait(timeout=10)
            killed = True
            in_flight = BURST_PHONES - len(acked_before_kill)
            servers.append(start_server(data_dir, port=_port(servers[0]), log_dir=tmp_path))
            acks = await asyncio.gather(*burst)
            await _until(lambda: facilitator.connects >= 2 and projector.connects >= 2, "the screens reconnect")
            await _until(_tallied(projector, round_id, BURST_PHONES), "the projector counts every phone once")
            # a phone whose vote was stored before the kill has nothing to resend: it comes back
            # on its own reconnect timer, which may be after the projector's count
            await _until(lambda: all(phone.connects >= 2 for phone in phones), "every phone reconnects by itself")
            stage = facilitator.snapshots()[-1]["stage"]
            await asyncio.gather(*(screen.close() for screen in [facilitator, projector, *phones]))
            return round_id, levels, acked_before_kill, in_flight, acks, stage, phones

    try:
        round_id, levels, acked_before_kill, in_flight, acks, stage, phones = asyncio.run(scenario())
    finally:
        for server in servers:
            server.stop()
    assert 0 < in_flight < BURST_PHONES, "the kill came mid-burst"
    assert all(ack["ok"] for ack in acks), [ack for ack in acks if not ack["ok"]][:3]
    stored = votes(data_dir, round_id)
    assert all(stored[pid] == level for pid, level in acked_before_kill.items()), "an acknowledged vote was lost"
    assert stored == levels, "every phone's vote is stored exactly once"
    assert stage["round"] == {**stage["round"], "id": round_id, "state": "open"}
    assert all(phone.connects >= 2 for phone in phones), "every phone reconnected by itself"


def test_five_hundred_phones_reconnecting_at_once_after_a_restart_each_get_their_vote_back(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    servers = [start_server(data_dir, log_dir=tmp_path)]
    session = make_session(data_dir, base_url=servers[0].url, agenda=("1.1",))
    url = servers[0].url

    async def scenario():
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            facilitator = ResendingScreen(url, screen_auth(session, "facilitator"), http)
            await facilitator.connect()
            round_id = (await facilitator.deliver("open_round", {"criterion": "1.1"}))["round"]["id"]
            phones = await _crowd(url, session, STORM_PHONES, http)
            gate = asyncio.Semaphore(100)

            async def vote(index, phone):
                async with gate:
                    ack = await phone.deliver("vote", {"round_id": round_id, "level": index % 4})
                    assert ack["ok"], ack
            await asyncio.gather(*(vote(index, phone) for index, phone in enumerate(phones)))
            servers[0].stop()
            for phone in phones:
                phone.events.clear()
            servers.append(start_server(data_dir, port=_port(servers[0]), log_dir=tmp_path))
            await _until(lambda: all(phone.snapshots() for phone in phones), "every phone has a new snapshot",
                         seconds=120, progress=lambda: f"{sum(1 for phone in phones if phone.snapshots())} have")
            mine = [phone.snapshots()[-1]["my_vote"] for phone in phones]
            await asyncio.gather(*(screen.close() for screen in [facilitator, *phones]))
            return round_id, mine

    try:
        round_id, mine = asyncio.run(scenario())
    finally:
        for server in servers:
            server.stop()
    assert [vote and vote["level"] for vote in mine] == [index % 4 for index in range(STORM_PHONES)]
    assert all(vote["round_id"] == round_id for vote in mine)
