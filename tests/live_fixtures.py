"""Fixtures for the live layer's tests, registered in tests/conftest.py: the app, a workshop
session in its data folder, and Socket.IO test clients for each screen (`screens`).

Test modules ask for the fixtures by name; they import only the helpers (`last`, `received`,
`Screens`).
"""
from __future__ import annotations

import secrets

import pytest
from flask_socketio.test_client import SocketIOTestClient
from socketio import packet

from tests.helpers import make_session
from workshop import live
from workshop.extensions import socketio

__all__ = ["Screens", "ScreenClient", "last", "received"]


@pytest.fixture
def live_app(app):
    """The app whose Socket.IO server the screens connect to (the `app` fixture)."""
    return app


@pytest.fixture
def workshop_session(live_app, data_dir):
    """A PMQA 4.0 session (levels 0-3) on criteria 1.1 and 1.2, hidden results, two roles."""
    return make_session(data_dir, agenda=("1.1", "1.2"), roles=("executive", "staff"))


class ScreenClient(SocketIOTestClient):
    """Flask-SocketIO's test client, which also keeps why its last connection was refused:
    `refusal` is the `{"code", "message"}` the server sent (docs/protocol.md, "Connecting"),
    None while connected. (The stock client only marks itself disconnected.)"""

    refusal: dict | None = None

    def connect(self, namespace=None, query_string=None, headers=None, auth=None):
        server = self.socketio.server
        send = server._send_packet  # the stock client's fake transport, one for all its clients

        def recording(eio_sid, pkt):
            if eio_sid == self.eio_sid and pkt.packet_type == packet.CONNECT_ERROR:
                self.refusal = pkt.data.get("data") if isinstance(pkt.data, dict) else pkt.data
            send(eio_sid, pkt)
        self.refusal = None
        server._send_packet = recording
        try:
            super().connect(namespace=namespace, query_string=query_string, headers=headers, auth=auth)
        finally:
            server._send_packet = send

    def refused_with(self) -> str | None:
        """The refusal code of the last connection (None: it was accepted)."""
        return None if self.refusal is None else self.refusal["code"]


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
        client = ScreenClient(self.app, socketio, auth=auth)
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
