"""Rehearsal: N simulated phones join a session and behave like a room, so a facilitator can try
a session alone before the day (`python -m workshop rehearse SESSION --phones N`).

Each phone is a python-socketio AsyncClient speaking docs/protocol.md: it connects as a guest,
joins, and follows `snapshot` and `stage`. When a round opens it votes after a moment's thought:
around the room's "true" level of that criterion (chosen per criterion), with each phone's own
optimism and some spread, a few "not sure", and some phones changing their vote; a re-vote
clusters closer. In an ideas phase a few phones send ideas and others upvote them; in an explain
step phones outside the central band give a one-line reason. A line is printed per round voted.
Everything random comes from one seed, so a rehearsal can be replayed.
"""
from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field

import aiohttp
import socketio

from .errors import WorkshopError

NOT_SURE_SHARE = 0.06
CHANGE_SHARE = 0.15
FIRST_SPREAD, REVOTE_SPREAD = 0.75, 0.45
IDEA_SHARE, UPVOTE_SHARE, REASON_SHARE = 0.25, 0.5, 0.7
THINK_SECONDS = 6.0  # at most, by default; the quickest phone takes a tenth of it
CONNECT_AT_ONCE = 50
ACK_SECONDS = 10
SEND_TRIES = 3
REPORT_DELAY = 0.5
IDEAS = {
    "th": ["จัดทำคู่มือและสื่อสารให้ทุกหน่วยงานทราบ", "ติดตามผลทุกไตรมาสและรายงานผู้บริหาร",
           "อบรมบุคลากรให้เข้าใจแนวทางร่วมกัน", "ใช้ระบบดิจิทัลเก็บข้อมูลแทนกระดาษ",
           "กำหนดผู้รับผิดชอบและตัวชี้วัดให้ชัดเจน", "รับฟังความคิดเห็นผู้รับบริการอย่างสม่ำเสมอ"],
    "en": ["Write a short guide and share it with every unit", "Review progress every quarter",
           "Train staff on a common approach", "Move the paper records into a shared system",
           "Name an owner and an indicator for each step", "Ask service users for feedback regularly"],
}
REASONS = {"th": ["เรามีหลักฐานการดำเนินการในหน่วยงานของเรา", "ในทางปฏิบัติยังไม่ได้ทำทุกหน่วยงาน"],
           "en": ["Our unit has evidence of this already", "In practice not every unit does it yet"]}


class RehearsalError(WorkshopError):
    """The rehearsal cannot start (no such session, server not reachable); the message says why."""


def plausible_level(rng: random.Random, scale: list[int], truth: float, optimism: float,
                    revote: bool) -> int | None:
    """One phone's vote: near the room's truth, shifted by its optimism; None is "not sure"."""
    if rng.random() < (NOT_SURE_SHARE / 2 if revote else NOT_SURE_SHARE):
        return None
    spread = REVOTE_SPREAD if revote else FIRST_SPREAD
    value = rng.gauss(truth + (optimism / 2 if revote else optimism), spread)
    return min(scale, key=lambda level: (abs(level - value), level))


def changed_level(rng: random.Random, scale: list[int], level: int | None, truth: float) -> int:
    """A second thought: one step toward the truth (or onto it, from "not sure")."""
    if level is None:
        return min(scale, key=lambda candidate: abs(candidate - truth))
    step = 1 if truth > level else -1 if truth < level else rng.choice((-1, 1))
    return level + step if level + step in scale else level - step if level - step in scale else level


@dataclass
class RoundReport:
    criterion: str
    number: int
    votes: dict[int, int | None] = field(default_factory=dict)  # phone -> level (None: not sure)
    changed: set[int] = field(default_factory=set)

    def line(self, scale: list[int], phones: int, suffix: str = "") -> str:
        counts = Counter(level for level in self.votes.values() if level is not None)
        spread = " ".join(f"{level}:{counts.get(level, 0)}" for level in scale)
        not_sure = sum(1 for level in self.votes.values() if level is None)
        return (f"{self.criterion} round {self.number}: {len(self.votes)} of {phones} phones voted "
                f"[{spread}] not sure {not_sure}, changed {len(self.changed)}{suffix}")


class Room:
    """What all phones share: the seed, each criterion's truth, and the report per round."""

    def __init__(self, phones: int, seed: int | None, echo=print, think: float = THINK_SECONDS):
        self.rng = random.Random(seed)
        self.think = (think / 10, think)
        self.phones = phones
        self.echo = echo
        self.scale: list[int] = []
        self.truths: dict[str, float] = {}
        self.rounds: dict[int, RoundReport] = {}
        self.reported: set[int] = set()
        self.ideas_sent = Counter()
        self.upvotes_sent = Counter()

    def truth(self, criterion: str) -> float:
        if criterion not in self.truths:  # rooms tend to sit in the lower half of a scale
            low, high = min(self.scale), max(self.scale)
            self.truths[criterion] = low + (high - low) * self.rng.betavariate(2.0, 2.6)
        return self.truths[criterion]

    def report(self, round_: dict) -> RoundReport:
        if round_["id"] not in self.rounds:
            self.rounds[round_["id"]] = RoundReport(round_["criterion"], round_["number"])
        return self.rounds[round_["id"]]

    def round_left_open(self, round_id: int) -> None:
        if round_id in self.rounds and round_id not in self.reported:
            self.reported.add(round_id)
            asyncio.get_running_loop().call_later(REPORT_DELAY, self._print_round, round_id, "")

    def _print_round(self, round_id: int, suffix: str) -> None:
        self.echo(self.rounds[round_id].line(self.scale, self.phones, suffix))

    def finish(self) -> None:
        for round_id in self.rounds:
            if round_id not in self.reported:
                self.reported.add(round_id)
                self._print_round(round_id, " (still open)")
        if self.ideas_sent:
            self.echo(f"ideas sent: {sum(self.ideas_sent.values())}, "
                      f"upvotes: {sum(self.upvotes_sent.values())}")


class Phone:
    """One simulated phone: a socket, an optimism of its own, and the tasks of its thumbs."""

    def __init__(self, index: int, room: Room, url: str, code: str, http: aiohttp.ClientSession):
        self.index, self.room, self.url = index, room, url
        self.rng = random.Random(room.rng.random())
        self.optimism = self.rng.uniform(-0.6, 0.6)
        self.auth = {"role": "participant", "code": code}  # messages in the session's language
        self.token: str | None = None
        self.join_key: str | None = None
        self.session: dict = {}
        self.voted: set[int] = set()
        self.my_levels: dict[int, int | None] = {}
        self.ideas_done: set[str] = set()
        self.explained: set[int] = set()
        self.seen_ideas: dict[str, set[int]] = {}
        self.mine: set[int] = set()
        self.ideas_open: str | None = None
        self.snapshot_seen = asyncio.Event()
        self.tasks: set[asyncio.Task] = set()
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_delay=1,
                                        reconnection_delay_max=5, http_session=http,
                                        handle_sigint=False)
        self.sio.on("snapshot", self.on_snapshot)
        self.sio.on("stage", self.on_stage)
        self.sio.on("ideas", self.on_ideas)

    def language(self) -> str:
        return self.session.get("language") or "th"

    def current_auth(self) -> dict:
        """Sent on every (re)connect: once joined, the token makes it the same participant."""
        return {**self.auth, "token": self.token} if self.token else self.auth

    async def connect(self) -> None:
        await self.sio.connect(self.url, auth=self.current_auth, transports=["websocket"],
                               wait_timeout=ACK_SECONDS)
        await asyncio.wait_for(self.snapshot_seen.wait(), timeout=ACK_SECONDS)
        if self.token is None:
            ack = await self.send("join", self.join_payload())
            if not ack or not ack.get("ok"):
                raise RehearsalError(f"phone {self.index} could not join: {ack}")
            self.token = ack["token"]

    def join_payload(self) -> dict:
        if self.join_key is None:  # one key per phone: a resent join is the same participant
            self.join_key = secrets.token_urlsafe(18)
        payload = {"client_key": self.join_key}
        roles = self.session.get("roles") or []
        if roles:
            payload["role"] = self.rng.choice(roles)
        if self.session.get("anonymous") is False:
            payload["name"] = (f"ผู้ทดสอบ {self.index + 1}" if self.language() == "th"
                               else f"Rehearsal phone {self.index + 1}")
        return payload

    async def send(self, event: str, payload: dict) -> dict | None:
        """Send until acknowledged (a few tries): votes and ideas are upserts, retries are harmless."""
        for _ in range(SEND_TRIES):
            try:
                return await self.sio.call(event, payload, timeout=ACK_SECONDS)
            except socketio.exceptions.SocketIOError:
                await asyncio.sleep(1)
        return None

    def later(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # --- what the server says -----------------------------------------------------------------

    async def on_snapshot(self, data: dict) -> None:
        self.session = data.get("session") or {}
        self.snapshot_seen.set()
        for idea in data.get("ideas") or []:
            self.seen_ideas.setdefault(idea["criterion"], set()).add(idea["id"])
            if idea.get("mine"):
                self.mine.add(idea["id"])
        my_vote = data.get("my_vote")
        if my_vote:
            self.voted.add(my_vote["round_id"])
            self.my_levels[my_vote["round_id"]] = my_vote["level"]
        await self.on_stage(data.get("stage") or {})

    async def on_stage(self, stage: dict) -> None:
        levels = (stage.get("criterion") or {}).get("levels")
        if levels and not self.room.scale:  # a phone's snapshot carries the current item's levels only
            self.room.scale = [level["value"] for level in levels]
        round_ = stage.get("round")
        if round_ and round_["state"] == "open" and round_["id"] not in self.voted:
            self.voted.add(round_["id"])
            self.later(self.vote(round_))
        elif round_ and round_["state"] != "open":
            self.room.round_left_open(round_["id"])
        criterion = (stage.get("criterion") or {}).get("code")
        self.ideas_open = criterion if stage.get("ideas_open") else None
        if self.ideas_open and criterion not in self.ideas_done:
            self.ideas_done.add(criterion)
            self.later(self.ideas(criterion))
        explain = stage.get("explain")
        if explain and explain["round_id"] not in self.explained:
            self.explained.add(explain["round_id"])
            self.later(self.reason(explain))

    async def on_ideas(self, data: dict) -> None:
        for idea in data.get("items") or []:
            ids = self.seen_ideas.setdefault(idea["criterion"], set())
            (ids.discard if idea.get("hidden") else ids.add)(idea["id"])

    # --- what the phone does ------------------------------------------------------------------

    async def vote(self, round_: dict) -> None:
        room, revote = self.room, round_["number"] > 1
        truth = room.truth(round_["criterion"])
        level = plausible_level(self.rng, room.scale, truth, self.optimism, revote)
        await asyncio.sleep(self.rng.uniform(*self.room.think))
        if not await self.cast(round_, level):
            return
        if self.rng.random() < CHANGE_SHARE:
            await asyncio.sleep(self.rng.uniform(*self.room.think))
            second = changed_level(self.rng, room.scale, level, truth)
            if second != level and await self.cast(round_, second):
                room.report(round_).changed.add(self.index)

    async def cast(self, round_: dict, level: int | None) -> bool:
        payload = ({"round_id": round_["id"], "not_sure": True} if level is None
                   else {"round_id": round_["id"], "level": level})
        ack = await self.send("vote", payload)
        if not ack or not ack.get("ok"):
            return False  # the round closed meanwhile, or the server is gone: nothing to do
        self.my_levels[round_["id"]] = level
        self.room.report(round_).votes[self.index] = level
        return True

    async def ideas(self, criterion: str) -> None:
        language = self.language()
        if self.rng.random() < IDEA_SHARE:
            await asyncio.sleep(self.rng.uniform(*self.room.think))
            text = self.rng.choice(IDEAS.get(language, IDEAS["en"]))
            ack = await self.send("idea", {"criterion": criterion, "text": text,
                                           "client_key": f"rehearse-{self.index}-{criterion}"[:40]})
            if ack and ack.get("ok"):
                self.mine.add(ack["idea"]["id"])
                self.room.ideas_sent[criterion] += 1
        if self.rng.random() < UPVOTE_SHARE:
            await asyncio.sleep(2 * self.rng.uniform(*self.room.think))
            others = sorted(self.seen_ideas.get(criterion, set()) - self.mine)
            for idea_id in self.rng.sample(others, min(len(others), self.rng.randint(1, 2))):
                if self.ideas_open != criterion:
                    return
                ack = await self.send("upvote", {"idea_id": idea_id, "on": True})
                if ack and ack.get("ok"):
                    self.room.upvotes_sent[criterion] += 1

    async def reason(self, explain: dict) -> None:
        level, band = self.my_levels.get(explain["round_id"]), explain.get("band")
        if level is None or not band or band[0] <= level <= band[1]:
            return
        if self.rng.random() < REASON_SHARE:
            await asyncio.sleep(self.rng.uniform(*self.room.think))
            language = self.language()
            await self.send("reason", {"round_id": explain["round_id"],
                                       "text": self.rng.choice(REASONS.get(language, REASONS["en"]))})

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await self.sio.disconnect()


async def rehearse(url: str, code: str, phones: int, seed: int | None = None,
                   duration: float | None = None, echo=print,
                   stop: asyncio.Event | None = None, think: float = THINK_SECONDS) -> Room:
    """Run the rehearsal until `stop` is set, `duration` seconds pass, or the task is cancelled."""
    room = Room(phones, seed, echo, think)
    stop = stop or asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        crowd = [Phone(index, room, url, code, http) for index in range(phones)]
        try:
            await _connect_all(crowd, url, code)
            echo(f"{phones} phones joined session {code} at {url}; waiting for rounds "
                 "(Ctrl-C to stop)")
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=duration)
        finally:
            await asyncio.gather(*(phone.close() for phone in crowd), return_exceptions=True)
            room.finish()
    return room


async def _connect_all(crowd: list[Phone], url: str, code: str) -> None:
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def connect(phone: Phone) -> None:
        async with gate:
            await phone.connect()

    results = await asyncio.gather(*(connect(phone) for phone in crowd), return_exceptions=True)
    failures = [result for result in results if isinstance(result, BaseException)]
    if failures:
        raise RehearsalError(f"{len(failures)} of {len(crowd)} phones could not join {code} at "
                             f"{url}: {_describe(failures[0])}")


def _describe(error: BaseException) -> str:
    if isinstance(error, socketio.exceptions.ConnectionError) and error.args:
        detail = error.args[-1] if len(error.args) > 1 else error.args[0]
        if isinstance(detail, dict):
            return f"{detail.get('code')}: {detail.get('message')}"
    return str(error) or type(error).__name__


def run(url: str, code: str, phones: int, seed: int | None, duration: float | None,
        echo=print, think: float = THINK_SECONDS) -> None:
    """Run from the command line: Ctrl-C (or SIGTERM) stops the phones and prints the summary."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, stop.set)
        await rehearse(url, code, phones, seed, duration, echo, stop, think)

    try:
        asyncio.run(main())
    except KeyboardInterrupt:  # where signal handlers cannot be installed (Windows)
        sys.stderr.write("stopped\n")
