"""Clients for tests against the real server: a Socket.IO screen or phone that records events,
and the organizer logged in over HTTP."""
from __future__ import annotations

import asyncio
import secrets
import re
import time

import requests
import socketio

WAIT_SECONDS = 15


class Screen:
    """One socket.io client that records every event it receives."""

    def __init__(self, url: str, auth: dict):
        self.url, self.auth = url, auth
        self.events: list[tuple[str, object]] = []
        self.client = self._new_client()
        self.token = None
        self.me = None
        self.headers: dict = {}  # e.g. the routing cookie a page would carry

    def _new_client(self):
        client = socketio.AsyncClient(reconnection=False)
        self.refusal = None

        @client.on("*")
        async def anything(event, data=None):
            self.events.append((event, data))

        @client.on("connect_error")
        async def refused(data=None):  # {"message", "data": {"code", "message"}}: keep the data
            self.refusal = data.get("data") if isinstance(data, dict) else data
        return client

    async def connect(self):
        await self.client.connect(self.url, auth=self.auth, headers=self.headers,
                                  transports=["websocket"], wait_timeout=10)
        return await self.wait_for("snapshot")

    async def reconnect(self):
        await self.client.disconnect()
        self.events.clear()
        self.client = self._new_client()
        self.auth = {**self.auth, "token": self.token}
        return await self.connect()

    async def call(self, event, data=None):
        return await self.client.call(event, data if data is not None else {}, timeout=10)

    async def ok(self, event, data=None):
        ack = await self.call(event, data)
        assert ack["ok"] is True, (event, data, ack)
        return ack

    async def refused(self, event, data, code):
        ack = await self.call(event, data)
        assert ack["ok"] is False and ack["error"]["code"] == code, (event, data, ack)
        return ack

    def last(self, event):
        found = [data for name, data in self.events if name == event]
        return found[-1] if found else None

    async def wait_for(self, event, check=lambda data: True):
        """Bounded poll for an event whose payload passes `check`."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            for name, data in reversed(self.events):
                if name == event and check(data):
                    return data
            await asyncio.sleep(0.02)
        raise AssertionError(f"no {event} passing the check; last: {self.last(event)!r}")


async def until(check, what: str, seconds: float = 60, progress=lambda: "") -> None:
    """Bounded poll until `check()` is true, or fail saying what never happened."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what} {progress()}")


def join_key() -> str:
    """A fresh client key for a `join`, as the phone's page makes one."""
    return secrets.token_urlsafe(18)


def phone_auth(session):
    return {"role": "participant", "code": session["join_code"], "lang": "en"}


def screen_auth(session, role):
    return {"role": role, "session": session["id"], "key": session[f"{role}_key"], "lang": "en"}


def organizer_login(url: str, password: str) -> tuple[requests.Session, str]:
    """The organizer logged in over HTTP: the session with its cookie, and the page's CSRF token."""
    browser = requests.Session()
    page = browser.get(f"{url}/organizer/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = browser.post(f"{url}/organizer/login", allow_redirects=False, timeout=30, data={
        "csrf_token": csrf, "username": "organizer", "password": password})
    assert answer.status_code == 302
    return browser, csrf
