"""The scale-out set as deploy/run-local starts it (deploy/cluster.py): a real Redis, a real
PostgreSQL, two gunicorn workers (gevent) and nginx routing by the `workshop_route` cookie,
all on loopback ports. 50 phones whose cookies land on both workers, the facilitator on one
worker and the projector on the other, run a round; one worker is killed mid-round, then
Redis restarts, and the room still counts every vote once."""
from __future__ import annotations

import asyncio
import itertools
import os
import time

import pytest
import requests
from sqlalchemy import create_engine, func, select

from deploy.cluster import Cluster, free_port
from tests.helpers import make_session
from tests.live_clients import Screen, join_key, phone_auth, screen_auth, until
from workshop.store.models import Vote
from workshop.web.routing import ROUTE_COOKIE

PHONES = 50
SCALE = [0, 1, 2, 3]
ROUTE_WAIT_SECONDS = 30


@pytest.fixture
def cluster(tmp_path, redis_server, fresh_postgresql_url):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    session = make_session(data_dir, database_url=fresh_postgresql_url, agenda=("1.1", "1.2"))
    env = {"WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_DATABASE_URL": fresh_postgresql_url,
           "WORKSHOP_REDIS_URL": redis_server.url, "PYTHONUNBUFFERED": "1"}
    running = Cluster(tmp_path, {**os.environ, **env})
    try:
        running.migrate()
        running.start_worker(free_port())
        running.start_worker(free_port())
        running.start_nginx(free_port())
        running.session, running.redis, running.database_url = session, redis_server, fresh_postgresql_url
        yield running
    finally:
        running.stop()


def worker_of(url: str, cookie: str) -> str:
    """The worker nginx sends this cookie's requests to (it names it on /healthz)."""
    answer = requests.get(url + "/healthz", cookies={ROUTE_COOKIE: cookie}, timeout=10)
    assert answer.ok, answer.text
    return answer.headers["X-Workshop-Worker"]


def cookies_per_worker(cluster, wanted: int) -> dict[str, list[str]]:
    """`wanted` cookies for each worker, found by asking nginx where each one routes."""
    found = {w.address: [] for w in cluster.workers}
    for n in itertools.count():
        if all(len(c) >= wanted for c in found.values()):
            return found
        assert n < 2000, f"nginx routes every cookie to one worker: {found}"
        cookie = f"browser-{n}"
        found[worker_of(cluster.url, cookie)].append(cookie)


def screen(cluster, auth, cookie) -> Screen:
    made = Screen(cluster.url, auth)
    made.headers = {"Cookie": f"{ROUTE_COOKIE}={cookie}"}
    made.cookie = cookie
    return made


async def screen_again(cluster, old: Screen) -> Screen:
    """A facilitator or projector page reconnecting (it has no token: its link is its key)."""
    await old.client.disconnect()
    again = screen(cluster, old.auth, old.cookie)
    await again.connect()
    return again


def level_of(index: int) -> int:
    return SCALE[index % len(SCALE)]


async def vote(phone, round_id, level):
    ack = await phone.ok("vote", {"round_id": round_id, "level": level})
    assert ack["vote"]["level"] == level


def saw_nothing_of_the_votes(phone) -> bool:
    """Blind: no tally, no reasons, and no stage with results reached this phone."""
    for name, data in phone.events:
        if name in ("tally", "reasons"):
            return False
        if name in ("stage", "snapshot"):
            stage = data.get("stage") if name == "snapshot" else data  # a guest's has none
            if (stage or {}).get("results") is not None:
                return False
    return True


def votes_stored(cluster, round_id) -> int:
    engine = create_engine(cluster.database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == round_id))
    finally:
        engine.dispose()


async def run_workshop(cluster):
    a, b = cluster.workers
    routes = cookies_per_worker(cluster, PHONES // 2 + 1)
    session = cluster.session
    facilitator = screen(cluster, screen_auth(session, "facilitator"), routes[a.address].pop())
    projector = screen(cluster, screen_auth(session, "projector"), routes[b.address].pop())
    await facilitator.connect()
    await projector.connect()
    phones = [screen(cluster, phone_auth(session), routes[w.address].pop())
              for w in (a, b) for _ in range(PHONES // 2)]
    on_b = phones[PHONES // 2:]
    await asyncio.gather(*(p.connect() for p in phones))

    async def join(phone):
        ack = await phone.ok("join", {"client_key": join_key()})
        phone.token = ack["token"]
    await asyncio.gather(*(join(p) for p in phones))

    # Presence: phones on both workers count on both screens.
    for watcher in (facilitator, projector):
        await watcher.wait_for("tally", lambda t: t["present"] == PHONES)

    round_id = (await facilitator.ok("open_round", {"criterion": "1.1"}))["round"]["id"]
    for watcher in (*phones, projector):
        await watcher.wait_for("stage", lambda s: s["round"] and s["round"]["id"] == round_id)

    # Half of each worker's phones vote; both screens follow, nothing reaches a phone.
    first = phones[:PHONES // 4] + on_b[:PHONES // 4]
    await asyncio.gather(*(vote(p, round_id, level_of(phones.index(p))) for p in first))
    for watcher in (facilitator, projector):
        await watcher.wait_for("tally", lambda t: t["voted"] == len(first) and t["present"] == PHONES)
    assert "counts" not in projector.last("tally")  # the projector is blind too until the reveal

    # Worker b dies mid-round: its phones and the projector come back through worker a,
    # each phone with its token; a phone that had voted finds its vote and sends it again.
    b.kill()
    await until(lambda: not any(p.client.connected for p in on_b), "worker b's sockets closed")
    back = await asyncio.gather(*(p.reconnect() for p in on_b))
    projector = await screen_again(cluster, projector)
    for phone, view in zip(on_b, back):
        index = phones.index(phone)
        expected = level_of(index) if phone in first else None
        assert (view["my_vote"] or {}).get("level") == expected, (index, view["my_vote"])
    rest = [p for p in phones if p not in first]
    await asyncio.gather(*(vote(p, round_id, level_of(phones.index(p))) for p in on_b + rest))
    for watcher in (facilitator, projector):
        await watcher.wait_for("tally", lambda t: t["voted"] == PHONES and t["present"] == PHONES)
    assert votes_stored(cluster, round_id) == PHONES

    # Worker b is back; the projector returns to it, so the screens sit on two workers again.
    cluster.restart_worker(b)
    await until(lambda: worker_of(cluster.url, projector.cookie) == b.address,
                     "nginx routes to the restarted worker", ROUTE_WAIT_SECONDS)
    projector = await screen_again(cluster, projector)

    # Redis restarts (everything it held is gone): the round goes on. Updates sent before the
    # workers are subscribed again are lost (docs/deploy.md): phones keep changing their
    # votes until the projector, on the other worker, sees the room again.
    cluster.redis.restart()
    projector.events.clear()
    changed = phones[:4]
    deadline = time.monotonic() + ROUTE_WAIT_SECONDS
    while not any(n == "tally" and t["voted"] == PHONES and t["present"] == PHONES
                  for n, t in projector.events):
        assert time.monotonic() < deadline, f"no tally reached the projector: {projector.events}"
        await asyncio.gather(*(vote(p, round_id, level_of(phones.index(p) + 1)) for p in changed))
        await asyncio.sleep(1)
    await facilitator.ok("close_round", {"round_id": round_id})
    await projector.wait_for("stage", lambda s: s["round"]["state"] == "closed")

    final = [level_of(i + 1) if p in changed else level_of(i) for i, p in enumerate(phones)]
    counts = {str(level): final.count(level) for level in SCALE}
    assert all(saw_nothing_of_the_votes(p) for p in phones)
    revealed = await facilitator.ok("reveal", {"round_id": round_id})
    assert revealed["results"]["counts"] == counts
    for watcher in (*phones, projector):
        stage = await watcher.wait_for("stage", lambda s: s["round"]["state"] == "revealed")
        assert stage["round"]["id"] == round_id and stage["results"]["counts"] == counts
    assert votes_stored(cluster, round_id) == PHONES
    for client in (*phones, facilitator, projector):
        await client.client.disconnect()


def run_showing_the_logs(cluster, story, timeout: float) -> None:
    try:
        asyncio.run(asyncio.wait_for(story(cluster), timeout=timeout))
    except BaseException:
        for worker in cluster.workers:
            print(f"--- {worker.log}\n{worker.log.read_text(errors='replace')[-6000:]}")
        raise


def test_a_workshop_on_two_workers_survives_a_dead_worker_and_a_redis_restart(cluster):
    run_showing_the_logs(cluster, run_workshop, 150)


def test_behind_nginx_both_workers_name_and_serve_the_same_compressed_files(cluster):
    """Scaled out (deploy/cluster.py): two gunicorn workers each build their own copy; a page
    from one worker and a file from the other still meet, compressed and cached a year."""
    from tests.test_static_files import A_YEAR, STATIC_URL, source_of

    join = f"{cluster.url}/j/{cluster.session['join_code']}"
    first, second = (cookies[0] for cookies in cookies_per_worker(cluster, 1).values())
    pages = [requests.get(join, cookies={ROUTE_COOKIE: c}, timeout=30).text for c in (first, second)]
    urls = STATIC_URL.findall(pages[0])
    assert urls and urls == STATIC_URL.findall(pages[1])
    for url in urls:
        answer = requests.get(cluster.url + url, cookies={ROUTE_COOKIE: second}, timeout=30,
                              headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == A_YEAR, url
        assert answer.headers["Content-Encoding"] == "gzip" and answer.content == source_of(url)


async def phones_join_after_steps_on_the_other_worker(cluster):
    """Each worker keeps the stage its phones share (workshop/live/stage_cache.py); a step the
    facilitator takes on worker a reaches the phones that join on worker b next, at once."""
    a, b = cluster.workers
    routes = cookies_per_worker(cluster, 6)
    facilitator = screen(cluster, screen_auth(cluster.session, "facilitator"), routes[a.address].pop())
    await facilitator.connect()

    async def join_on(worker) -> dict:
        phone = screen(cluster, phone_auth(cluster.session), routes[worker.address].pop())
        await phone.connect()
        await phone.ok("join", {"client_key": join_key()})
        snapshot = await phone.wait_for("snapshot", lambda s: s.get("me") is not None)
        await phone.client.disconnect()
        return snapshot["stage"]

    assert (await join_on(b))["round"] is None  # worker b keeps the stage without a round
    assert (await join_on(a))["round"] is None
    opened = (await facilitator.ok("open_round", {"criterion": "1.1"}))["round"]
    assert (await join_on(b))["round"] == {**opened, "state": "open"}
    await facilitator.ok("close_round", {"round_id": opened["id"]})
    closed = await join_on(b)
    assert closed["round"]["state"] == "closed" and closed["results"] is None
    await facilitator.ok("reveal", {"round_id": opened["id"]})
    assert (await join_on(b))["round"]["state"] == "revealed"
    await facilitator.client.disconnect()


def test_a_phone_joining_on_one_worker_sees_the_step_just_taken_on_the_other(cluster):
    run_showing_the_logs(cluster, phones_join_after_steps_on_the_other_worker, 90)
