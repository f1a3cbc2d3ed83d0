"""The organizer account: set its password, check a login, and the one-time setup link.

Before any password exists, `run` prints a setup link holding a random token kept in the
data folder (owner-only); whoever opens it first on the organizer's machine sets the password.
"""
from __future__ import annotations

import hmac
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..config import read_or_create_private_token
from ..domain.text import refusal
from ..errors import Refused
from ..store.models import OrganizerAccount

MIN_PASSWORD_LENGTH = 8
SETUP_TOKEN_FILE = "setup_token"


class WeakPassword(Refused):
    """The password is too short to protect the organizer dashboard."""


def has_account(db: Session) -> bool:
    return bool(db.scalar(select(func.count()).select_from(OrganizerAccount)))


def set_password(db: Session, username: str, password: str) -> None:
    username = username.strip()
    if not username:
        raise WeakPassword("The username must not be empty.")
    if refusal(username):
        raise WeakPassword(f"The username {refusal(username)}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    account = db.scalar(select(OrganizerAccount).where(OrganizerAccount.username == username))
    if account is None:
        account = OrganizerAccount(username=username, created_at=datetime.now(timezone.utc))
        db.add(account)
    account.password_hash = generate_password_hash(password)


def account_named(db: Session, username: str) -> OrganizerAccount | None:
    """The organizer account with this user name, detached (readable after the unit of work)."""
    account = db.scalar(select(OrganizerAccount).where(OrganizerAccount.username == username))
    if account is not None:
        db.expunge(account)
    return account


def check_login(db: Session, username: str, password: str) -> bool:
    account = db.scalar(select(OrganizerAccount).where(OrganizerAccount.username == username.strip()))
    if account is None:
        # Spend the same effort as a real check so timing does not reveal usernames.
        check_password_hash(generate_password_hash("x"), password)
        return False
    return check_password_hash(account.password_hash, password)


def setup_token(data_dir: Path) -> str:
    """The one-time setup token, created on first use (owner-only file)."""
    return read_or_create_private_token(Path(data_dir) / SETUP_TOKEN_FILE, 24)


def setup_token_if_needed(db: Session, data_dir: Path) -> str | None:
    return None if has_account(db) else setup_token(data_dir)


def setup_token_matches(data_dir: Path, offered: str) -> bool:
    path = Path(data_dir) / SETUP_TOKEN_FILE
    if not offered or not path.exists():
        return False
    return hmac.compare_digest(path.read_text(encoding="ascii").strip(), offered)


def forget_setup_token(data_dir: Path) -> None:
    (Path(data_dir) / SETUP_TOKEN_FILE).unlink(missing_ok=True)
