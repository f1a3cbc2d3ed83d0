"""Screens that behave like the pages' own socket code (static/js/live_client.js) when the server goes
away: they reconnect by themselves, and an event whose acknowledgement never came is sent
again, the same payload, until one arrives."""
from __future__ import annotations

import asyncio
import random
import time

import socketio

from tests.live_clients import join_key

ACK_TIMEOUT_SECONDS = 5  # the pages wait 8 s; shorter here keeps the tests quick
GIVE_UP_SECONDS = 90


class ResendingScreen:
    """A python-socketio client that reconnects by itself, recording snapshots and events.

    Like the pages it reconnects whatever ended the connection: a dropped transport (the server
    killed) or a clean disconnect from the server (the server stopped), which socket.io leaves
    to the page (`socket.connect()` on "io server disconnect" in live_client.js)."""

    def __init__(self, url: str, auth: dict, http_session=None):
        self.url, self.auth = url, auth
        self.events: list[tuple[str, object]] = []
        self.connects = 0
        self.closing = False
        self._reconnecting: asyncio.Task | None = None
        self.client = socketio.AsyncClient(reconnection=False, http_session=http_session)

        @self.client.on("*")
        async def anything(event, data=None):
            self.events.append((event, data))

        @self.client.on("connect")
        async def connected():
            self.connects += 1

        @self.client.on("disconnect")
        async def disconnected(*reason):
            if not self.closing and (self._reconnecting is None or self._reconnecting.done()):
                self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def connect(self):
        # A function, so that a reconnect presents the token the phone keeps after joining.
        await self.client.connect(self.url, auth=lambda: self.auth, transports=["websocket"], wait_timeout=20)

    async def _reconnect(self):
        delay = 0.5
        while not self.closing and not self.client.connected:
            await asyncio.sleep(delay * (0.5 + random.random()))  # spread the storm, as socket.io does
            if self.closing or self.client.connected:
                return
            try:
                await self.connect()
            except (socketio.exceptions.ConnectionError, ValueError):
                delay = min(delay * 2, 2.0)

    async def join(self):
        ack = await self.deliver("join", {"client_key": join_key()})  # one key, however often resent
        assert ack["ok"], ack
        self.auth, self.me = {**self.auth, "token": ack["token"]}, ack["me"]

    async def deliver(self, event: str, payload: dict) -> dict:
        """Send until acknowledged, waiting for a connection first, like the pages' Socket.IO
        client (`retries` in live_client.js), here bounded by time."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        while time.monotonic() < deadline:
            if not self.client.connected:
                await asyncio.sleep(0.1)
                continue
            try:
                return await self.client.call(event, payload, timeout=ACK_TIMEOUT_SECONDS)
            except (socketio.exceptions.SocketIOError, asyncio.TimeoutError):
                await asyncio.sleep(0.2)
        raise AssertionError(f"{event} {payload} never acknowledged")

    def snapshots(self) -> list:
        return [data for name, data in self.events if name == "snapshot"]

    async def close(self):
        self.closing = True
        await self.client.disconnect()
