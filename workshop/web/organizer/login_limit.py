"""The organizer login throttle: failed logins per client address (keyed as every rate limit
keys it: `network.address_key`, an IPv6 client by its /64), counted by the `limits`
library in the storage the live layer's limits use (`Config.rate_limit_storage`): in Redis when
`WORKSHOP_REDIS_URL` is set, so every worker counts the same failures, in memory otherwise.

Past `FAILED_LOGINS` from one address, every login from there is refused, right password or
not, until the oldest counted failure leaves its window (a moving window: the wait is exact).
A successful login forgets the address's failures. Should the storage fail, logins go on
(and the failure is logged), as the live limits let phones in rather than lock a room out.
"""
from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ...network import address_key

log = logging.getLogger(__name__)
EXTENSION = "workshop.login_limit"
# An organizer who mistypes a few times gets in within the minute; a guesser gets 5 a minute.
FAILED_LOGINS = "5/minute"
NAMESPACE = "organizer-login"


class LoginLimit:
    """Failed logins per address, in `storage_uri` (a `limits` storage URI)."""

    def __init__(self, storage_uri: str = "memory://", rule: str = FAILED_LOGINS) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._items = parse_many(rule)

    def wait_seconds(self, address: str) -> int:
        """How long this address must wait before trying again (0: it may try now)."""
        try:
            full = [item for item in self._items if not self._limiter.test(item, NAMESPACE, address)]
            resets = [self._limiter.get_window_stats(item, NAMESPACE, address).reset_time
                      for item in full]
        except Exception:  # the storage is down: let the organizer try rather than lock out
            log.exception("login-limit storage failed; allowing")
            return 0
        return max((max(1, math.ceil(reset - time.time())) for reset in resets), default=0)

    def failed(self, address: str) -> None:
        self._apply(lambda item: self._limiter.hit(item, NAMESPACE, address))

    def succeeded(self, address: str) -> None:
        self._apply(lambda item: self._limiter.clear(item, NAMESPACE, address))

    def _apply(self, change) -> None:
        try:
            for item in self._items:
                change(item)
        except Exception:
            log.exception("login-limit storage failed; not counted")


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = LoginLimit(app.config["WORKSHOP"].rate_limit_storage)


def login_limit() -> LoginLimit:
    return current_app.extensions[EXTENSION]


def client_address() -> str:
    """This request's client as every rate limit counts it (an IPv6 client by its /64)."""
    return address_key()
