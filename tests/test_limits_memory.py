"""The join and join-code limits of a server without Redis count in memory without starting a
timer per hit (live/limits_memory.py): a join wave of 500 phones spawns no timer, the 11th
participant from one client is still refused, and keys past their window are swept."""
from __future__ import annotations

import threading
import time

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from workshop.live.limits import LiveLimits
from workshop.live.limits_memory import SweptMemoryStorage
from workshop.services.errors import LiveError


@pytest.fixture
def timers(monkeypatch):
    """Every timer the limits' storage starts from here on."""
    started = []
    real = threading.Timer

    def counting(*args, **kwargs):
        started.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(threading, "Timer", counting)
    return started


def a_join_wave(limits: LiveLimits, phones: int) -> None:
    for phone in range(phones):
        limits.charge_join(address="192.168.1.23", client=f"socket-{phone}", session_id="room")


def test_a_wave_of_500_joins_starts_no_timer(timers):
    limits = LiveLimits("memory://")
    timers.clear()  # the library's storage starts one when it is made; it runs 10 ms and ends
    a_join_wave(limits, 500)
    assert timers == []


def test_the_librarys_own_memory_storage_starts_timers_in_the_same_wave(timers):
    """What the wave cost before: the library's storage restarts its timer while hits come."""
    limiter = SlidingWindowCounterRateLimiter(MemoryStorage())
    timers.clear()
    for phone in range(500):
        limiter.hit(parse("10/hour"), "join", f"socket-{phone}")
        time.sleep(0.0005)  # hits spread over the wave, as joins are
    assert len(timers) > 1


def test_one_client_still_creates_at_most_ten_participants_an_hour():
    limits = LiveLimits("memory://")
    for _ in range(10):
        limits.charge_join(address="192.168.1.23", client="one-page", session_id="room")
    with pytest.raises(LiveError) as refused:
        limits.charge_join(address="192.168.1.23", client="one-page", session_id="room")
    assert refused.value.code == "rate_limited"


def test_keys_past_their_window_are_swept_by_a_later_hit():
    storage = SweptMemoryStorage(sweep_seconds=0)
    storage.incr("phone-that-left", expiry=0.01)
    time.sleep(0.05)
    storage.incr("phone-that-stays", expiry=60)
    assert "phone-that-left" not in storage.storage and "phone-that-left" not in storage.expirations
    assert storage.get("phone-that-stays") == 1
