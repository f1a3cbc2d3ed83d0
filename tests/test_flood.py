"""Abuse against the real server (`python -m workshop run`, gevent): one socket floods while 50
phones vote, and join-code guessing, with the limits kept in a real Redis across a restart."""
from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time

import pytest
import socketio

from tests.helpers import make_session
from tests.live_clients import Screen, join_key, phone_auth, screen_auth
from tests.servers import free_port, start_server
from tests.storage import votes

PHONES = 50
FLOOD = 3000


async def _vote_three_times(phone, round_id, latencies):
    for level in (1, 2, 3):
        started = time.perf_counter()
        ack = await phone.call("vote", {"round_id": round_id, "level": level})
        latencies.append(time.perf_counter() - started)
        assert ack["ok"] is True, ack


FLOODER = """
import json, secrets, sys, threading, time, socketio
url, code, round_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = socketio.Client(reconnection=False)
answers, cut_off = [], threading.Event()
client.on("disconnect", lambda *reason: cut_off.set())
client.connect(url, auth={"role": "participant", "code": code, "lang": "en"}, transports=["websocket"])
client.call("join", {"client_key": secrets.token_urlsafe(18)}, timeout=10)
print("joined", flush=True)
sys.stdin.readline()
for number in range(count):
    if cut_off.is_set():
        break
    try:
        client.emit("vote", {"round_id": round_id, "level": number % 4}, callback=lambda a: answers.append(a))
    except Exception:
        break
cut_off.wait(30)
# The client handles each incoming message in a thread of its own: the disconnect can be seen
# before acknowledgements that arrived ahead of it. Wait until they stop coming in.
seen = -1
while seen != len(answers):
    seen = len(answers)
    time.sleep(0.5)
print(json.dumps({"answers": answers, "cut_off": cut_off.is_set(), "sent": number}), flush=True)
"""


def _start_flooder(url, code, round_id):
    """A device of its own (another process) sending votes as fast as it can, once told to."""
    flooder = subprocess.Popen([sys.executable, "-c", FLOODER, url, code, str(round_id), str(FLOOD)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert flooder.stdout.readline().strip() == "joined"
    return flooder


async def _flood(flooder):
    flooder.stdin.write("go\n")
    flooder.stdin.flush()
    line = await asyncio.to_thread(flooder.stdout.readline)
    flooder.wait(timeout=30)
    return json.loads(line)


def test_fifty_phones_keep_their_acknowledgements_while_one_socket_floods(live_server):
    session = make_session(live_server.data_dir, base_url=live_server.url, agenda=("1.1",))

    async def scenario():
        facilitator = Screen(live_server.url, screen_auth(session, "facilitator"))
        await facilitator.connect()
        round_id = (await facilitator.ok("open_round", {"criterion": "1.1"}))["round"]["id"]
        phones = [Screen(live_server.url, phone_auth(session)) for _ in range(PHONES)]
        await asyncio.gather(*(phone.connect() for phone in phones))
        for phone in phones:
            phone.me = (await phone.ok("join", {"client_key": join_key()}))["me"]
        flooder = _start_flooder(live_server.url, session["join_code"], round_id)
        quiet: list[float] = []
        await asyncio.gather(*(_vote_three_times(p, round_id, quiet) for p in phones))
        latencies: list[float] = []
        flood, *_ = await asyncio.gather(_flood(flooder),
                                         *(_vote_three_times(p, round_id, latencies) for p in phones))
        return round_id, phones, flood, quiet, latencies

    round_id, phones, flood, quiet, latencies = asyncio.run(scenario())
    answers = flood["answers"]
    accepted = [a for a in answers if a["ok"]]
    refused = {a["error"]["code"] for a in answers if not a["ok"]}
    p95 = lambda times: f"{statistics.quantiles(times, n=20)[-1] * 1000:.0f} ms"  # noqa: E731
    print(f"flood: {flood['sent']} sent, {len(answers)} answered, {len(accepted)} accepted; the 50 phones' ack p95 "
          f"{p95(quiet)} before, {p95(latencies)} during")
    assert refused == {"rate_limited"}
    assert len(accepted) <= 300, "the connection's budget is 300 events a minute"
    assert flood["cut_off"], "the flooding socket is cut off"
    stored = votes(live_server.data_dir, round_id)
    assert all(stored[phone.me["id"]] == 3 for phone in phones), "every phone's last vote is stored"


def _redis(tmp_path):
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip() == "PONG":
            return process, f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("redis-server did not answer")


@pytest.fixture
def redis_url(tmp_path):
    process, url = _redis(tmp_path)
    yield url
    process.terminate()
    process.wait(timeout=10)


async def _try_code(url, code) -> str:
    """Connect as a phone with `code`: "connected", or the refusal code the client received."""
    client = socketio.AsyncClient(reconnection=False)
    refusal = []
    client.on("connect_error", lambda data=None: refusal.append(data))
    try:
        await client.connect(url, auth={"role": "participant", "code": code, "lang": "en"},
                             transports=["websocket"], wait_timeout=10)
    except socketio.exceptions.ConnectionError as error:
        assert refusal, f"refused without the documented data: {error}"
        return refusal[-1]["data"]["code"]
    await client.disconnect()
    return "connected"


def test_join_code_guessing_meets_rate_limited_and_the_limit_survives_a_restart_in_redis(tmp_path, redis_url):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {"WORKSHOP_REDIS_URL": redis_url}
    server = start_server(data_dir, env=env)
    session = make_session(data_dir, base_url=server.url)
    wrong = "ABCDEF" if session["join_code"] != "ABCDEF" else "ABCDEG"
    try:
        answers = [asyncio.run(_try_code(server.url, wrong)) for _ in range(61)]
        assert answers == ["not_found"] * 60 + ["rate_limited"], answers
        assert asyncio.run(_try_code(server.url, session["join_code"])) == "rate_limited"
        server.stop()
        server = start_server(data_dir, env=env)  # this process knows nothing: Redis does
        assert asyncio.run(_try_code(server.url, session["join_code"])) == "rate_limited"
    finally:
        server.stop()
