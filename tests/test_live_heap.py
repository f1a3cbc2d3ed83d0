"""The heap is frozen out of the garbage collector's full passes once a join wave has settled,
not while phones are still arriving, and not for a handful of connections."""
from __future__ import annotations

from workshop.live.heap import HeapSettler


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_heap_is_frozen_once_after_the_room_has_joined():
    clock, freezes = Clock(), []
    heap = HeapSettler(wave=50, quiet=3.0, clock=clock, freeze=lambda: freezes.append(clock.now))
    for _ in range(200):  # the room arrives
        heap.arrived()
        clock.now += 0.01
        assert heap.settle() is False
    clock.now += 3.0
    assert heap.settle() is True and heap.settle() is False
    assert len(freezes) == 1


def test_a_few_late_phones_do_not_freeze_the_heap_again():
    clock, freezes = Clock(), []
    heap = HeapSettler(wave=50, quiet=3.0, clock=clock, freeze=lambda: freezes.append(clock.now))
    for _ in range(10):
        heap.arrived()
    clock.now += 60
    assert heap.settle() is False and freezes == []
