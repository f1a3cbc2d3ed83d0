"""What stands in front of every organizer page: the login and the CSRF check.

- The login is Flask-Login's, in Flask's signed session cookie. The user id it keeps is the
  username with a fingerprint of the account's password hash, so setting a new password
  (`set-password`) logs out old cookies. Session protection is "strong": a cookie replayed
  from another browser (another address or User-Agent) is not logged in.
- CSRF: Flask-WTF's token, kept in the session; every POST to the organizer blueprint and every
  change the organizer's plan editor sends must carry it (form field `csrf_token` or header
  `X-CSRF-Token`). Checked only where a login authorizes: the phone pages, the facilitator's
  secret links and the Socket.IO endpoint carry no cookie authority and are not affected.
- The login throttle lives in `login_limit.py`.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app, session, url_for
from flask_login import UserMixin, current_user, login_required, login_user, logout_user

from ...extensions import csrf, login_manager
from ...services.units import store_of
from ...services import accounts

__all__ = ["login_required", "check_csrf", "log_in", "log_out", "current_organizer", "safe_next"]
CSRF_SESSION_KEY = "csrf_token"  # Flask-WTF's raw token in the session (WTF_CSRF_FIELD_NAME)


def store():
    return store_of()


def fingerprint(password_hash: str) -> str:
    """A short value that changes whenever the password changes (never the hash itself)."""
    secret = current_app.config["WORKSHOP"].secret_key.encode()
    return hmac.new(secret, password_hash.encode(), hashlib.sha256).hexdigest()[:16]


class Organizer(UserMixin):
    """The organizer account as Flask-Login sees it."""

    def __init__(self, username: str, password_hash: str) -> None:
        self.username = username
        self._fingerprint = fingerprint(password_hash)

    def get_id(self) -> str:
        return f"{self._fingerprint}:{self.username}"


def _account(username: str):
    with store().session() as db:
        return accounts.account_named(db, username)


@login_manager.user_loader
def _load_organizer(user_id: str) -> Organizer | None:
    """The organizer of this cookie, or None (also when the password changed since)."""
    account = _account(str(user_id).partition(":")[2])
    if account is None:
        return None
    organizer = Organizer(account.username, account.password_hash)
    return organizer if hmac.compare_digest(organizer.get_id(), str(user_id)) else None


def init_app(app: Flask) -> None:
    app.config.update(
        # Only the organizer blueprint and the organizer's plan editor call `check_csrf`.
        WTF_CSRF_CHECK_DEFAULT=False,
        # A token lives as long as the browser session: an editor left open all day still saves.
        WTF_CSRF_TIME_LIMIT=None,
        # Behind TLS, Flask-WTF would also want a Referer, which every page withholds
        # (Referrer-Policy: no-referrer); the token and the SameSite cookie do the work.
        WTF_CSRF_SSL_STRICT=False,
        SESSION_PROTECTION="strong",
    )
    csrf.init_app(app)
    # No `current_user` in every template: it would load the login on the phones' pages too;
    # the organizer's pages get `organizer` from the blueprint's context processor.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.login_view = "organizer.login"
    login_manager.login_message = None  # the login page says what to do; no extra flash


def check_csrf() -> None:
    """Abort with 400 (`CSRFError`) when a change does not carry this session's CSRF token."""
    csrf.protect()


def log_in(username: str) -> None:
    account = _account(username)
    token = session.get(CSRF_SESSION_KEY)
    session.clear()  # nothing from before the login survives it, except the CSRF token
    if token:
        session[CSRF_SESSION_KEY] = token
    login_user(Organizer(username, account.password_hash if account else ""))


def log_out() -> None:
    logout_user()


def current_organizer() -> str | None:
    """The logged-in organizer's username, or None."""
    return current_user.username if current_user.is_authenticated else None


def safe_next(target: str | None) -> str:
    """Only a path inside the organizer dashboard; never another site."""
    if target and target.startswith("/organizer") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("organizer.dashboard")
