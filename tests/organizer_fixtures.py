"""Fixtures for the organizer's pages, registered in tests/conftest.py: a fixed LAN address,
the organizer's account, a test client logged in as the organizer, and the realistic workshop
of tests/workshop_data.py in the app's store.

`lan` is not autouse: a module whose pages print links asks for it with
`pytestmark = pytest.mark.usefixtures("lan")`.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import cache

import pytest
from werkzeug.security import generate_password_hash

from tests.workshop_data import make_workshop
from workshop import network
from workshop.services import accounts
from workshop.store.models import OrganizerAccount

PASSWORD = "correct horse battery"


def csrf_of(page) -> str:
    """The form token of a rendered page (a Flask test response)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


@cache
def password_hash() -> str:
    """PASSWORD hashed as `accounts.set_password` hashes it, once per run: a hash costs a
    deliberate fraction of a second, and hundreds of tests log in (they still check it)."""
    return generate_password_hash(PASSWORD)


def add_account(db) -> None:
    """The organizer's account, password PASSWORD (as `accounts.set_password` makes it; its own
    tests call it)."""
    db.add(OrganizerAccount(username="organizer", password_hash=password_hash(),
                            created_at=datetime.now(timezone.utc)))


def logged_in(client, store):
    """The client, logged in as the organizer (the account made first if there is none);
    `.csrf` is its form token."""
    with store.session() as db:
        if not accounts.has_account(db):
            add_account(db)
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
        add_account(db)


@pytest.fixture
def organizer(client, store):
    """A test client logged in as the organizer; `.csrf` is its form token."""
    return logged_in(client, store)


@pytest.fixture
def workshop(store):
    """The realistic PMQA workshop of tests/workshop_data.py (twelve people, five rounds...)."""
    return make_workshop(store)
