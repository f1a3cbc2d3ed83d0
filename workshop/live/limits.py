"""Rate limits of the live layer, through the `limits` library (docs/security.md has the numbers'
reasoning and the join-code arithmetic).

- Every connection has a budget of events. Past it an event is refused with `rate_limited`
  before any work is done; a connection that keeps sending refused events is cut off. A flooding
  socket is slowed, then disconnected: never the room.
- Join-code attempts: wrong codes per client address and per Engine.IO connection (one socket
  may retry Socket.IO connects). Past the budget every attempt from there is refused, right code
  or not, else guessing would go on.
- Participant creation (`join`) per client address and per Engine.IO connection.

A whole venue may sit behind ONE address (2,000 phones behind the venue's NAT, joining within a
minute or two): per-address limits are generous fences and reset within a minute; the
per-connection budgets do the real work.

Per-connection budgets live in this process, in a fixed-window counter kept per socket (a
socket lives in one process). They are read in the `limits` notation but not counted by the
library's memory storage: that storage starts a timer thread every 10 ms of activity and scans
every key each time (a 3,000-event flood started 11,220 timer greenlets and cost the server
1.6 s of CPU), which the vote path cannot afford. The per-address and per-client limits go
through the library: shared by every worker in Redis when `WORKSHOP_REDIS_URL` is set, in
memory otherwise (the library's memory storage without its per-hit timer: limits_memory.py).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from flask import Flask, current_app, request
from flask_socketio import disconnect
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from ..extensions import socketio
from ..services import sessions
from ..services.errors import LiveError
from ..network import address_key  # noqa: F401  (one rule: the login limit uses it too)
from .limits_memory import SweptMemoryStorage

log = logging.getLogger(__name__)
EXTENSION = "workshop.live.limits"


@dataclass(frozen=True)
class Rules:
    """The limits, in the `limits` library's notation ("N per period", several with ';')."""
    # Any real screen stays far below: a phone taps a vote, an idea, an upvote; a facilitator
    # clicks through a workshop. The minute bounds a flood; the second only a burst (a page's
    # resends after a reconnect, a facilitator's quick shortcuts).
    events_per_connection: str = "50/second;300/minute"
    # A connection refused this often within a minute is a flood, not a phone: cut it off.
    refusals_before_cutoff: str = "100/minute"
    # Mistyped codes at a venue are rare (most phones scan the QR code) and a minute heals.
    wrong_codes_per_address: str = "60/minute"
    wrong_codes_per_client: str = "10/minute"
    # 2,000 phones behind one NAT (or one reverse proxy) join within a minute or two, and a
    # rehearsal (`python -m workshop rehearse --phones 5000`) joins from one machine: 5,000.
    joins_per_address: str = "5000/minute"
    # One page creates one participant; a few more when someone clears the phone's storage.
    joins_per_client: str = "10/hour"
    # One session's room, whatever addresses its phones come from: the largest room we serve
    # (2,000 phones, or a 5,000-phone rehearsal) joins within this; a botnet does not.
    joins_per_session: str = "5000/minute;20000/hour"


@dataclass
class _Window:
    """One fixed window of one limit for one socket: when it started, what it counted."""
    started: float = 0.0
    count: int = 0


@dataclass
class _Budget:
    events: list[_Window] = field(default_factory=list)
    refusals: list[_Window] = field(default_factory=list)
    last_seen: float = 0.0


def _within(windows: list[_Window], items: list[RateLimitItem], now: float) -> bool:
    """Count one more in every window; True when none is over its amount."""
    allowed = True
    for window, item in zip(windows, items):
        if now - window.started >= item.get_expiry():
            window.started, window.count = now, 0
        window.count += 1
        allowed = allowed and window.count <= item.amount
    return allowed


class LiveLimits:
    """The live layer's rate limiters: per-connection budgets in memory, the rest in `storage_uri`."""

    def __init__(self, storage_uri: str = "memory://", rules: Rules = Rules()) -> None:
        self.rules = rules
        self._budgets: dict[str, _Budget] = {}
        self._budgets_seen = 1024
        storage = SweptMemoryStorage() if storage_uri == "memory://" else storage_from_string(storage_uri)
        self._shared = SlidingWindowCounterRateLimiter(storage)
        self._events = parse_many(rules.events_per_connection)
        self._refusals = parse_many(rules.refusals_before_cutoff)
        self._wrong_address = parse_many(rules.wrong_codes_per_address)
        self._wrong_client = parse_many(rules.wrong_codes_per_client)
        self._joins_address = parse_many(rules.joins_per_address)
        self._joins_client = parse_many(rules.joins_per_client)
        self._joins_session = parse_many(rules.joins_per_session)

    # -- events -------------------------------------------------------------------------

    def event_refused(self, sid: str) -> bool:
        """Charge one event to the connection; True when it is over budget (and refused).

        A connection refused more than `refusals_before_cutoff` is disconnected."""
        now = time.monotonic()
        budget = self._budgets.get(sid) or self._new_budget(sid, now)
        budget.last_seen = now
        if _within(budget.events, self._events, now):
            return False
        if not _within(budget.refusals, self._refusals, now):
            cut_off(sid)
        return True

    def _new_budget(self, sid: str, now: float) -> _Budget:
        if len(self._budgets) >= 2 * self._budgets_seen:  # forget sockets idle past every window
            longest = max(item.get_expiry() for item in self._events + self._refusals)
            self._budgets = {k: b for k, b in self._budgets.items() if now - b.last_seen < longest}
            self._budgets_seen = max(1024, len(self._budgets))
        budget = self._budgets[sid] = _Budget([_Window(now) for _ in self._events],
                                              [_Window(now) for _ in self._refusals])
        return budget

    # -- join codes ---------------------------------------------------------------------

    def code_attempt_allowed(self, address: str, client: str) -> bool:
        """May this client try a join code now (it has wrong codes to spare)?"""
        return self._shared_test(self._wrong_address, "code", address) and \
            self._shared_test(self._wrong_client, "code", client)

    def wrong_code(self, address: str, client: str) -> None:
        self._shared_hit(self._wrong_address, "code", address)
        self._shared_hit(self._wrong_client, "code", client)

    def session_by_join_code(self, db, code: str):
        """The session a phone's join code opens (None when wrong), within the code budget."""
        address, client = address_key(), client_key()
        if not self.code_attempt_allowed(address, client):
            raise LiveError("rate_limited", "too many wrong join codes from this client")
        session = sessions.facts_by_join_code(db, code)
        if session is None:
            self.wrong_code(address, client)
        return session

    # -- participants -------------------------------------------------------------------

    def charge_join(self, address: str | None = None, client: str | None = None,
                    session_id: str | None = None) -> None:
        """Charge the creation of a participant (by default: by the client of this request) in
        a session; raise `rate_limited` past the budget of the address, the client or the session."""
        address, client = address or address_key(), client or client_key()
        if not (self._shared_hit(self._joins_address, "join", address)
                and self._shared_hit(self._joins_client, "join", client)
                and (session_id is None or self._shared_hit(self._joins_session, "join-session", session_id))):
            raise LiveError("rate_limited", "too many participants created from this client")

    # -- storage ------------------------------------------------------------------------

    def _shared_test(self, items: list[RateLimitItem], *keys: str) -> bool:
        try:
            return all(self._shared.test(item, *keys) for item in items)
        except Exception:  # the limits' storage is down: let people in rather than lock a room out
            log.exception("rate-limit storage failed; allowing")
            return True

    def _shared_hit(self, items: list[RateLimitItem], *keys: str) -> bool:
        try:
            return all([self._shared.hit(item, *keys) for item in items])  # charge every window
        except Exception:
            log.exception("rate-limit storage failed; allowing")
            return True


def cut_off(sid: str) -> None:
    """Disconnect a flooding socket and close its WebSocket, so its queued events stop coming."""
    environ = socketio.server.get_environ(sid, namespace="/") or {}  # also outside a request
    log.warning("cutting off a flooding connection from %s", address_key(environ.get("REMOTE_ADDR") or "unknown"))
    eio_sid = socketio.server.manager.eio_sid_from_sid(sid, "/")
    disconnect(sid=sid, namespace="/")
    if eio_sid is not None:
        socketio.server.eio.disconnect(eio_sid)


def client_key() -> str:
    """The Engine.IO connection: one WebSocket that may try several Socket.IO connects."""
    eio_sid = socketio.server.manager.eio_sid_from_sid(request.sid, "/")
    return f"eio:{eio_sid or request.sid}"


def init_app(app: Flask) -> None:
    config = app.config["WORKSHOP"]
    app.extensions[EXTENSION] = LiveLimits(config.rate_limit_storage)


def live_limits() -> LiveLimits:
    return current_app.extensions[EXTENSION]
