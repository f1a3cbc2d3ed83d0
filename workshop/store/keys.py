"""Random identifiers and secret tokens for sessions and phones, and how they are hashed.

Session ids go into URLs, join codes are typed on phones, tokens are kept by phones and in the
facilitator's secret link. Tokens are long random strings, so a plain SHA-256 is the right
hash for them (a slow password hash is for what people choose, not for random keys).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: a join code is read from a projector and typed on a phone.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
SESSION_ID_BYTES = 9  # 12 URL-safe characters
TOKEN_BYTES = 24  # 32 URL-safe characters


def new_session_id() -> str:
    """A short random URL-safe id for a workshop session. Never one starting with "-": on the
    command line (`workshop export SESSION`) it would read as an option."""
    while True:
        found = secrets.token_urlsafe(SESSION_ID_BYTES)
        if not found.startswith("-"):
            return found


def new_join_code() -> str:
    """A short code that is easy to read aloud and type; the store keeps it unique."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_token() -> str:
    """A random secret for a phone or a facilitator link; only its hash is stored."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def derived_token(secret_key: str, *parts: str) -> str:
    """A token the server can make again from the same parts (a phone's resent `join`), as
    secret as the server's key and the client's random key together: HMAC-SHA256, 32 URL-safe
    characters like `new_token`."""
    message = "\x1f".join(parts).encode("utf-8")
    digest = hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:TOKEN_BYTES]).decode("ascii")


def hash_token(token: str) -> str:
    """The stored form of a random token: SHA-256, hex (64 characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
