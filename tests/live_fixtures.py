"""Fixtures for the live layer's tests, registered in tests/conftest.py: the app, a workshop
session in its data folder, and Socket.IO test clients for each screen (`screens`).

Test modules ask for the fixtures by name; they import only the helpers (`last`, `received`,
`Screens`).
"""
from __future__ import annotations

import secrets

import pytest

from tests.helpers import make_session
from workshop import live
from workshop.extensions import socketio

__all__ = ["Screens", "last", "received"]


@pytest.fixture
def live_app(app):
    """The app whose Socket.IO server the screens connect to (the `app` fixture)."""
    return app


@pytest.fixture
def workshop_session(live_app, data_dir):
    """A PMQA 4.0 session (levels 0-3) on criteria 1.1 and 1.2, hidden results, two roles."""
    return make_session(data_dir, agenda=("1.1", "1.2"), roles=("executive", "staff"))


def received(client, event: str) -> list:
    return [item["args"][0] for item in client.get_received() if item["name"] == event]


def last(client, event: str):
    found = received(client, event)
    return found[-1] if found else None


class Screens:
    """Connects the screens of one session to the in-process server."""

    def __init__(self, app, session: dict):
        self.app = app
        self.session = session
        self.clients = []

    def connect(self, auth):
        client = socketio.test_client(self.app, auth=auth)
        self.clients.append(client)
        return client

    def facilitator(self, lang="en"):
        return self.connect({"role": "facilitator", "session": self.session["id"],
                             "key": self.session["facilitator_key"], "lang": lang})

    def projector(self):
        return self.connect({"role": "projector", "session": self.session["id"],
                             "key": self.session["projector_key"], "lang": "en"})

    def phone(self, token=None, lang="en"):
        auth = {"role": "participant", "code": self.session["join_code"], "lang": lang}
        if token:
            auth["token"] = token
        return self.connect(auth)

    def joined_phone(self, **join):
        phone = self.phone()
        ack = phone.emit("join", {"client_key": secrets.token_urlsafe(18), **join}, callback=True)
        assert ack["ok"], ack
        phone.token = ack["token"]
        phone.me = ack["me"]
        return phone

    def flush(self):
        """Send the coalesced updates now instead of waiting for the background task."""
        return live.live_state(self.app).broadcaster.flush()

    def close(self):
        for client in self.clients:
            if client.is_connected():
                client.disconnect()


@pytest.fixture
def screens(live_app, workshop_session):
    opened = Screens(live_app, workshop_session)
    yield opened
    opened.close()
