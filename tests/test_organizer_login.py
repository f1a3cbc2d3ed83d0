"""The organizer's login as the libraries keep it: Flask-Login's session (strong protection),
Flask-WTF's CSRF token, and the failed-login limit counted by `limits`, shared by every worker
through Redis when one is configured."""
from __future__ import annotations

import types

import limits.storage.memory
import pytest
from limits import parse_many

from tests.organizer_fixtures import PASSWORD, csrf_of
from tests.test_organizer import new_session_form, sessions_in
from workshop import create_app
from workshop.web.organizer import login_limit
from workshop.web.organizer.login_limit import FAILED_LOGINS, LoginLimit

LIMIT = parse_many(FAILED_LOGINS)[0]
ANOTHER_BROWSER = {"User-Agent": "Mozilla/5.0 (someone else's laptop)"}


def log_in(client, password: str, csrf: str | None = None):
    csrf = csrf or csrf_of(client.get("/organizer/login?lang=en"))
    return client.post("/organizer/login?lang=en", data={
        "csrf_token": csrf, "username": "organizer", "password": password})


class Clock:
    """Stands in for `time` in the limits' memory storage and the login limit: the test moves it."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(login_limit, "time", clock)
    return clock


# --- the login session ----------------------------------------------------------------------

def test_a_login_cookie_replayed_from_another_browser_opens_nothing(organizer):
    assert organizer.get("/organizer").status_code == 200
    stolen = organizer.get("/organizer", headers=ANOTHER_BROWSER)
    assert stolen.status_code == 302 and "/organizer/login" in stolen.location


def test_a_stranger_sent_to_the_login_comes_back_to_the_page_asked_for(client, account):
    asked = client.get("/organizer/sessions/new")
    assert asked.status_code == 302 and "/organizer/login" in asked.location
    answer = client.post(asked.location, data={"csrf_token": csrf_of(client.get(asked.location)),
                                               "username": "organizer", "password": PASSWORD})
    assert answer.status_code == 302 and answer.location == "/organizer/sessions/new"


# --- the CSRF token -------------------------------------------------------------------------

def test_a_form_posted_over_https_needs_its_token_and_no_referer(organizer, store):
    """Every page withholds the Referer (Referrer-Policy: no-referrer): behind TLS the token alone
    decides, as over plain HTTP."""
    https = {"base_url": "https://localhost"}
    forged = organizer.post("/organizer/sessions", data=new_session_form("forged"), **https)
    assert forged.status_code == 400 and sessions_in(store) == []
    made = organizer.post("/organizer/sessions", data=new_session_form(organizer.csrf), **https)
    assert made.status_code == 302 and len(sessions_in(store)) == 1


def test_logging_out_without_the_token_keeps_the_organizer_logged_in(organizer):
    assert organizer.post("/organizer/logout").status_code == 400
    assert organizer.get("/organizer").status_code == 200


# --- the failed-login limit -----------------------------------------------------------------

def test_the_lockout_ends_when_the_oldest_failure_leaves_its_window_without_waiting(client, account, clock):
    csrf = csrf_of(client.get("/organizer/login"))
    for _ in range(LIMIT.amount):
        assert log_in(client, "guess", csrf).status_code == 401
        clock.now += 1
    refused = log_in(client, PASSWORD, csrf)
    wait = LIMIT.get_expiry() - LIMIT.amount
    assert refused.status_code == 429 and f"Try again in {wait} seconds" in refused.get_data(as_text=True)
    clock.now += wait
    assert log_in(client, PASSWORD, csrf).status_code == 302


def test_a_right_password_forgets_the_earlier_mistakes(client, account, clock):
    csrf = csrf_of(client.get("/organizer/login"))
    for _ in range(LIMIT.amount - 1):
        log_in(client, "guess", csrf)
    assert log_in(client, PASSWORD, csrf).status_code == 302
    for _ in range(LIMIT.amount - 1):
        assert log_in(client, "guess", csrf).status_code == 401


def test_another_address_is_not_locked_out_by_a_guesser(client, account, app):
    limit = app.extensions[login_limit.EXTENSION]
    for _ in range(LIMIT.amount):
        limit.failed("10.0.0.9")
    assert limit.wait_seconds("10.0.0.9") > 0
    assert limit.wait_seconds("10.0.0.10") == 0
    assert log_in(client, PASSWORD).status_code == 302  # the test client is 127.0.0.1


def test_two_addresses_of_one_ipv6_64_share_the_login_budget(client, account):
    """One device may hold a whole IPv6 /64: a guesser changing its address within it is still
    one guesser, counted as the live layer counts it; another /64 is someone else."""
    def from_address(address: str) -> dict:
        return {"environ_base": {"REMOTE_ADDR": address}}

    csrf = csrf_of(client.get("/organizer/login"))
    form = {"csrf_token": csrf, "username": "organizer"}
    for n in range(LIMIT.amount):
        guess = client.post("/organizer/login", data={**form, "password": "guess"},
                            **from_address(f"2001:db8:1:2::{n + 1:x}"))
        assert guess.status_code == 401
    refused = client.post("/organizer/login", data={**form, "password": PASSWORD},
                          **from_address("2001:db8:1:2:ffff::9"))
    assert refused.status_code == 429
    elsewhere = client.post("/organizer/login", data={**form, "password": PASSWORD},
                            **from_address("2001:db8:1:3::1"))
    assert elsewhere.status_code == 302


def test_two_workers_sharing_redis_count_the_same_failed_logins(config, redis_server):
    workers = [create_app(config) for _ in range(2)]
    try:
        for worker in workers:  # as `WORKSHOP_REDIS_URL` makes create_app do in each process
            worker.extensions[login_limit.EXTENSION] = LoginLimit(redis_server.url)
        from workshop.services import accounts

        with workers[0].extensions["workshop.store"].session() as db:
            accounts.set_password(db, "organizer", PASSWORD)
        first, second = (worker.test_client() for worker in workers)
        for _ in range(LIMIT.amount):
            assert log_in(first, "guess").status_code == 401
        assert log_in(second, PASSWORD).status_code == 429
    finally:
        for worker in workers:
            worker.extensions["workshop.store"].dispose()


def test_a_broken_limit_storage_lets_the_organizer_log_in(client, account, app):
    broken = LoginLimit()
    broken._limiter = types.SimpleNamespace()  # every call into the storage fails
    app.extensions[login_limit.EXTENSION] = broken
    assert log_in(client, "guess").status_code == 401
    assert log_in(client, PASSWORD).status_code == 302
