"""The `limits` library's in-memory storage without its expiry timer: the join and join-code
limits of a server without Redis (live/limits.py).

The library's `MemoryStorage` starts a timer (a thread; a greenlet under gevent) 10 ms after
any hit, and that timer walks every key it holds. In a wave of 2,000 joins that is a spawn and
a walk over thousands of per-client keys every 10 ms, on the hub, all through the wave (the
join's profile: about a tenth of its CPU). Counting does not need it: `get`, which every hit
reads first, drops a key past its expiry. This storage walks the keys nobody reads again only
on a hit that finds the last walk `sweep_seconds` old.
"""
from __future__ import annotations

import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 30.0


class SweptMemoryStorage(MemoryStorage):
    """`MemoryStorage` that expires on read and sweeps now and then, with no timer per hit.
    (No STORAGE_SCHEME of its own: `memory://` stays the library's storage everywhere else.)"""

    def __init__(self, sweep_seconds: float = SWEEP_SECONDS) -> None:
        super().__init__()  # starts the library's timer once; it runs 10 ms and ends
        self.sweep_seconds = sweep_seconds
        self._next_sweep = time.monotonic() + sweep_seconds

    def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the library's private hook
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.sweep_seconds
            self._MemoryStorage__expire_events()
