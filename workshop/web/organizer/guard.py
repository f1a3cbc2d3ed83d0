"""What stands in front of every organizer page: the login, the CSRF check, the login throttle.

- The login lives in Flask's signed session cookie: the username and a fingerprint of the
  account's password hash, so setting a new password (`set-password`) logs out old cookies.
- CSRF: a random token kept in the session; every POST to the organizer blueprint must carry
  it (form field `csrf_token` or header `X-CSRF-Token`). Scoped to this blueprint on purpose:
  the phone pages and the Socket.IO endpoint are not affected.
- Throttle: per client address, in this process; after `MAX_FAILURES` failed logins within
  `WINDOW_SECONDS`, logins from that address are refused for `LOCKOUT_SECONDS`.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from functools import wraps

from flask import abort, current_app, redirect, request, session, url_for
from sqlalchemy import select

from ...store.models import OrganizerAccount

SESSION_USER = "organizer"
SESSION_FINGERPRINT = "organizer_fp"
SESSION_CSRF = "organizer_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
MAX_FAILURES = 5
WINDOW_SECONDS = 300
LOCKOUT_SECONDS = 60


# --- login -------------------------------------------------------------------------------

def store():
    return current_app.extensions["workshop.store"]


def fingerprint(password_hash: str) -> str:
    """A short value that changes whenever the password changes (never the hash itself)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, password_hash.encode(), hashlib.sha256).hexdigest()[:16]


def log_in(username: str) -> None:
    with store().session() as db:
        account = db.scalar(select(OrganizerAccount).where(OrganizerAccount.username == username))
        password_hash = account.password_hash if account else ""
    csrf = session.get(SESSION_CSRF)
    session.clear()  # nothing from before the login survives it, except the CSRF token
    if csrf:
        session[SESSION_CSRF] = csrf
    session[SESSION_USER] = username
    session[SESSION_FINGERPRINT] = fingerprint(password_hash)


def log_out() -> None:
    session.pop(SESSION_USER, None)
    session.pop(SESSION_FINGERPRINT, None)


def current_organizer() -> str | None:
    """The logged-in organizer's username, or None (also when the password changed since)."""
    username = session.get(SESSION_USER)
    if not isinstance(username, str):
        return None
    with store().session() as db:
        password_hash = db.scalar(
            select(OrganizerAccount.password_hash).where(OrganizerAccount.username == username))
    if password_hash is None or not hmac.compare_digest(
            fingerprint(password_hash), str(session.get(SESSION_FINGERPRINT, ""))):
        return None
    return username


def login_required(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if current_organizer() is None:
            return redirect(url_for("organizer.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return guarded


def safe_next(target: str | None) -> str:
    """Only a path inside the organizer dashboard; never another site."""
    if target and target.startswith("/organizer") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("organizer.dashboard")


# --- CSRF --------------------------------------------------------------------------------

def csrf_token() -> str:
    token = session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session[SESSION_CSRF] = token
    return token


def check_csrf() -> None:
    """Abort with 400 when a POST does not carry this session's CSRF token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get(SESSION_CSRF)
    offered = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(expected, str) or not hmac.compare_digest(expected, offered):
        abort(400, description="csrf")


# --- throttle ----------------------------------------------------------------------------

class LoginThrottle:
    """Failed logins per client address; thread-safe, in-process, forgetting old failures."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}

    def wait_seconds(self, address: str) -> int:
        """How long this address must wait before trying again (0: it may try now)."""
        with self._lock:
            until = self._locked_until.get(address, 0.0)
            remaining = until - self._clock()
            if remaining <= 0:
                self._locked_until.pop(address, None)
                return 0
            return max(1, int(remaining + 0.999))

    def failed(self, address: str) -> None:
        now = self._clock()
        with self._lock:
            recent = [t for t in self._failures.get(address, []) if now - t < WINDOW_SECONDS]
            recent.append(now)
            if len(recent) >= MAX_FAILURES:
                self._locked_until[address] = now + LOCKOUT_SECONDS
                recent = []
            self._failures[address] = recent
            if len(self._failures) > 10_000:  # bounded memory whatever is thrown at it
                self._failures.clear()

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


def throttle() -> LoginThrottle:
    return current_app.extensions.setdefault("workshop.login_throttle", LoginThrottle())


def client_address() -> str:
    return request.remote_addr or "unknown"
