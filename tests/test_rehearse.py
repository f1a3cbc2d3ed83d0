"""`python -m workshop rehearse`: simulated phones that a facilitator rehearses a session with.

The end-to-end tests run the real server (`python -m workshop run`) and the real rehearsal
command, each in its own process, and drive the session as a facilitator over Socket.IO.
"""
from __future__ import annotations

import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.helpers import make_session
from tests.live_clients import Screen, screen_auth
from tests.servers import ROOT
from workshop.rehearse import RoundReport, changed_level, plausible_level

SCALE = [0, 1, 2, 3]
WAIT_SECONDS = 30
PHONES = 12


def test_a_phone_votes_near_the_rooms_truth_and_a_revote_clusters_closer():
    rng = random.Random(7)
    first = [plausible_level(rng, SCALE, 1.6, 0.0, revote=False) for _ in range(2000)]
    again = [plausible_level(rng, SCALE, 1.6, 0.0, revote=True) for _ in range(2000)]
    assert set(first) <= {None, *SCALE} and set(again) <= {None, *SCALE}
    assert 0.02 < first.count(None) / len(first) < 0.1  # a few are not sure
    levels, relevels = [v for v in first if v is not None], [v for v in again if v is not None]
    assert statistics.median(levels) == 2 and statistics.median(relevels) == 2
    assert statistics.pstdev(relevels) < statistics.pstdev(levels)
    assert again.count(None) < first.count(None)


def test_the_same_seed_replays_the_same_room():
    one, two = random.Random(42), random.Random(42)
    assert ([plausible_level(one, SCALE, 2.2, 0.3, False) for _ in range(50)]
            == [plausible_level(two, SCALE, 2.2, 0.3, False) for _ in range(50)])


def test_a_second_thought_moves_one_level_toward_the_truth_and_stays_on_the_scale():
    rng = random.Random(1)
    assert changed_level(rng, SCALE, 0, truth=2.4) == 1
    assert changed_level(rng, SCALE, 3, truth=0.5) == 2
    assert changed_level(rng, SCALE, None, truth=2.4) == 2
    assert changed_level(rng, SCALE, 0, truth=0.0) == 1  # at the truth already: a step it can take


def test_a_round_line_tells_the_facilitator_what_the_phones_did():
    report = RoundReport("1.2", 2, votes={0: 1, 1: 2, 2: 2, 3: None}, changed={1})
    assert report.line(SCALE, 5) == "1.2 round 2: 4 of 5 phones voted [0:0 1:1 2:2 3:0] not sure 1, changed 1"


# --- against the real server -------------------------------------------------------------------


class Rehearsal:
    """`python -m workshop rehearse` in its own process, its output in a file."""

    def __init__(self, data_dir: Path, url: str, session: str, *extra: str):
        self.log = data_dir / f"rehearse-{time.monotonic_ns()}.log"
        env = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "workshop", "rehearse", session, "--url", url, *extra],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str) -> str:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if text in self.output():
                return self.output()
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"the rehearsal never printed {text!r}:\n{self.output()}")

    def interrupt(self) -> int:
        """Ctrl-C, as the facilitator would; its exit code."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Facilitator:
    """The facilitator's control page, as a python-socketio client recording what it receives.

    The asyncio client on an event loop in a thread of its own, so the test drives it step by
    step: the threaded client's disconnect waits out websocket-client's 3 s close timeout."""

    def __init__(self, url: str, session: dict):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.screen = Screen(url, screen_auth(session, "facilitator"))
        self.events = self.screen.events
        self._do(self.screen.connect())

    def _do(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def ok(self, event: str, payload: dict) -> dict:
        return self._do(self.screen.ok(event, payload))

    def hang_up(self) -> None:
        self._do(self.screen.client.disconnect())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    def wait_for(self, event: str, check) -> object:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            for name, data in reversed(list(self.events)):
                if name == event and check(data):
                    return data
            time.sleep(0.05)
        last = [data for name, data in self.events if name == event][-1:]
        raise AssertionError(f"no {event} passing the check; last: {last!r}")


def test_a_facilitator_rehearses_a_whole_criterion_alone_with_simulated_phones(module_live_server):
    session = make_session(module_live_server.data_dir, base_url=module_live_server.url, agenda=("1.1", "1.2"),
                           roles=("ผู้บริหาร", "เจ้าหน้าที่"))
    facilitator = Facilitator(module_live_server.url, session)
    # By session id: the rehearsal finds the join code in the data folder it shares with the server.
    rehearsal = Rehearsal(module_live_server.data_dir, module_live_server.url, session["id"], "--phones", str(PHONES),
                          "--seed", "11", "--think", "1")
    try:
        rehearsal.wait_for_output(f"{PHONES} phones joined session {session['join_code']}")
        facilitator.wait_for("tally", lambda tally: tally["present"] == PHONES)

        first = facilitator.ok("open_round", {"criterion": "1.1"})["round"]
        tally = facilitator.wait_for("tally", lambda t: t["round_id"] == first["id"] and t["voted"] == PHONES)
        assert sum(tally["counts"].values()) + tally["not_sure"] == PHONES
        facilitator.ok("close_round", {"round_id": first["id"]})
        results = facilitator.ok("reveal", {"round_id": first["id"]})["results"]
        line = rehearsal.wait_for_output("1.1 round 1:")
        counted = " ".join(f"{level}:{results['counts'][str(level)]}" for level in SCALE)
        assert f"1.1 round 1: {PHONES} of {PHONES} phones voted [{counted}] not sure {results['not_sure']}" in line

        revote = facilitator.ok("open_round", {"criterion": "1.1"})["round"]
        assert revote["number"] == 2
        facilitator.wait_for("tally", lambda t: t["round_id"] == revote["id"] and t["voted"] == PHONES)
        facilitator.ok("close_round", {"round_id": revote["id"]})
        rehearsal.wait_for_output("1.1 round 2:")

        facilitator.ok("ideas_phase", {"criterion": "1.1", "open": True})
        facilitator.wait_for("ideas", lambda batch: any(item["upvotes"] > 0 for item in batch["items"]))

        assert rehearsal.interrupt() == 0
        printed = rehearsal.output()
        assert "Traceback" not in printed and "ideas sent:" in printed
    finally:
        rehearsal.stop()
        facilitator.hang_up()


def test_a_phone_that_joins_mid_round_votes_in_it(module_live_server):
    session = make_session(module_live_server.data_dir, base_url=module_live_server.url, agenda=("2.1",))
    facilitator = Facilitator(module_live_server.url, session)
    opened = facilitator.ok("open_round", {"criterion": "2.1"})["round"]
    rehearsal = Rehearsal(module_live_server.data_dir, module_live_server.url, session["join_code"].lower(),
                          "--phones", "3", "--think", "0.5")
    try:
        facilitator.wait_for("tally", lambda t: t["round_id"] == opened["id"] and t["voted"] == 3)
        facilitator.ok("close_round", {"round_id": opened["id"]})
        rehearsal.wait_for_output("2.1 round 1: 3 of 3 phones voted")
        assert rehearsal.interrupt() == 0
    finally:
        rehearsal.stop()
        facilitator.hang_up()


def test_rehearsing_an_unknown_session_says_so_and_exits_non_zero(module_live_server):
    rehearsal = Rehearsal(module_live_server.data_dir, module_live_server.url, "ZZZZ22", "--phones", "2")
    try:
        assert rehearsal.process.wait(timeout=WAIT_SECONDS) != 0
        assert "could not join ZZZZ22" in rehearsal.output() and "Traceback" not in rehearsal.output()
    finally:
        rehearsal.stop()
    unknown_id = Rehearsal(module_live_server.data_dir, module_live_server.url, "no-such-session-id", "--phones", "2")
    try:
        assert unknown_id.process.wait(timeout=WAIT_SECONDS) != 0
        assert "neither a join code nor a session id" in unknown_id.output()
    finally:
        unknown_id.stop()
