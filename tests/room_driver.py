"""A room driven over Socket.IO beside the browser pages of a test: the facilitator and phones
as python-socketio clients (tests/live_clients.py), run on their own event loop in a thread so
that a Playwright (sync) test can call them between its page steps."""
from __future__ import annotations

import asyncio
import threading

from tests.live_clients import Screen, join_key, phone_auth, screen_auth


def run(coroutine):
    """Run `coroutine` to its end on a fresh event loop in another thread; return its result."""
    box: dict = {}

    def main():
        try:
            box["result"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            box["error"] = error
    thread = threading.Thread(target=main)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("result")


class Room:
    """The facilitator and `phones` joined phones of a session, each call one step of the day."""

    def __init__(self, url: str, session: dict):
        self.url, self.session = url, session

    async def _facilitator(self) -> Screen:
        screen = Screen(self.url, screen_auth(self.session, "facilitator"))
        await screen.connect()
        return screen

    async def _phones(self, n: int) -> list[Screen]:
        phones = [Screen(self.url, phone_auth(self.session)) for _ in range(n)]
        await asyncio.gather(*(phone.connect() for phone in phones))
        for phone in phones:
            ack = await phone.ok("join", {"client_key": join_key()})
            phone.token, phone.me = ack["token"], ack["me"]
        return phones

    def act(self, event: str, payload: dict) -> dict:
        """One facilitator action; its acknowledgement."""
        async def go():
            facilitator = await self._facilitator()
            try:
                return await facilitator.ok(event, payload)
            finally:
                await facilitator.client.disconnect()
        return run(go())

    def others_vote(self, round_id: int, levels: list[int]) -> None:
        """Other phones join and vote these levels in the open round."""
        async def go():
            phones = await self._phones(len(levels))
            try:
                for phone, level in zip(phones, levels):
                    await phone.ok("vote", {"round_id": round_id, "level": level})
            finally:
                for phone in phones:
                    await phone.client.disconnect()
        run(go())

    def voted_round(self, criterion: str, levels: list[int], reasons: dict[int, str] | None = None,
                    ideas: list[str] | None = None, reveal: bool = True) -> int:
        """A round on `criterion` voted by one phone per level, closed and revealed; then the
        phones of `reasons` (index -> text) explain, and `ideas` are added. Returns its id."""
        async def go():
            facilitator = await self._facilitator()
            phones = await self._phones(len(levels))
            try:
                round_id = (await facilitator.ok("open_round", {"criterion": criterion}))["round"]["id"]
                for phone, level in zip(phones, levels):
                    await phone.ok("vote", {"round_id": round_id, "level": level})
                await facilitator.ok("close_round", {"round_id": round_id})
                if reveal:
                    await facilitator.ok("reveal", {"round_id": round_id})
                if reasons:
                    await facilitator.ok("explain", {"round_id": round_id, "open": True})
                    for index, text in reasons.items():
                        await phones[index].ok("reason", {"round_id": round_id, "text": text})
                if ideas:
                    await facilitator.ok("ideas_phase", {"criterion": criterion, "open": True})
                    for phone, text in zip(phones * len(ideas), ideas):
                        await phone.ok("idea", {"criterion": criterion, "text": text, "client_key": join_key()})
                return round_id
            finally:
                for screen in [facilitator, *phones]:
                    await screen.client.disconnect()
        return run(go())
