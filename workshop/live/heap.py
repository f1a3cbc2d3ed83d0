"""Keeping the garbage collector's full passes short once a room has joined.

After a join wave the process holds a few hundred thousand long-lived objects (sockets, their
rooms and buffers, the app). CPython's full collections walk all of them, every few thousand
votes, each pass stalling every phone for a fifth of a second (issue 12). Once a wave of
connections has settled (no new one for a few seconds), `gc.freeze()` moves what exists to the
permanent generation, which collections skip; what the next wave brings is frozen after it.
"""
from __future__ import annotations

import gc
import time
from typing import Callable

WAVE = 50  # connections since the last freeze worth a freeze
QUIET_SECONDS = 3.0  # no new connection for this long: the wave has settled


class HeapSettler:
    def __init__(self, wave: int = WAVE, quiet: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 freeze: Callable[[], None] = gc.freeze) -> None:
        self.wave, self.quiet, self.clock, self.freeze = wave, quiet, clock, freeze
        self.since_freeze = 0
        self.last_arrival = 0.0

    def arrived(self) -> None:
        """A socket connected (constant work)."""
        self.since_freeze += 1
        self.last_arrival = self.clock()

    def settle(self) -> bool:
        """Freeze the heap when a wave of connections has settled; True when it did."""
        if self.since_freeze < self.wave or self.clock() - self.last_arrival < self.quiet:
            return False
        self.freeze()
        self.since_freeze = 0
        return True
