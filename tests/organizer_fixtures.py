"""Fixtures for the organizer's pages, registered in tests/conftest.py: a fixed LAN address,
the organizer's account, a test client logged in as the organizer, and the realistic workshop
of tests/workshop_data.py in the app's store.

`lan` is not autouse: a module whose pages print links asks for it with
`pytestmark = pytest.mark.usefixtures("lan")`.
"""
from __future__ import annotations

import re

import pytest

from tests.workshop_data import make_workshop
from workshop import network
from workshop.services import accounts

PASSWORD = "correct horse battery"


def csrf_of(page) -> str:
    """The form token of a rendered page (a Flask test response)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def logged_in(client, store):
    """The client, logged in as the organizer (the account made first if there is none);
    `.csrf` is its form token."""
    with store.session() as db:
        if not accounts.has_account(db):
            accounts.set_password(db, "organizer", PASSWORD)
    client.csrf = csrf_of(client.get("/organizer/login"))
    answer = client.post("/organizer/login", data={"csrf_token": client.csrf,
                                                   "username": "organizer", "password": PASSWORD})
    assert answer.status_code == 302
    return client


@pytest.fixture
def lan(monkeypatch):
    """The machine's LAN address is 192.168.1.23 and no public URL is set: links are predictable."""
    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.1.23"])
    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)


@pytest.fixture
def account(store):
    """The organizer's account, password PASSWORD."""
    with store.session() as db:
        accounts.set_password(db, "organizer", PASSWORD)


@pytest.fixture
def organizer(client, store):
    """A test client logged in as the organizer; `.csrf` is its form token."""
    return logged_in(client, store)


@pytest.fixture
def workshop(store):
    """The realistic PMQA workshop of tests/workshop_data.py (twelve people, five rounds...)."""
    return make_workshop(store)
