"""Presence and the broadcaster's marks shared by several workers through a real Redis
(workshop/live/redis_presence.py, redis_marks.py): two "workers" here are two objects with
their own worker ids on one Redis, as two processes would be."""
from __future__ import annotations

import redis

from workshop.live.broadcast import Dirty
from workshop.live.redis_marks import RedisMarks
from workshop.live.redis_presence import RedisPresence


def worker(url, name, changed=None, ttl=10.0):
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    return RedisPresence(client, name, changed or (lambda ids: None), heartbeat=0, ttl=ttl)


def test_a_participant_on_two_workers_is_present_once(redis_server):
    a, b = worker(redis_server.url, "a"), worker(redis_server.url, "b")
    assert a.arrive("S", 1) is True
    assert b.arrive("S", 1) is False  # their second device, on the other worker
    assert b.arrive("S", 2) is True
    assert a.present("S") == b.present("S") == 2
    assert a.leave("S", 1) is False
    assert b.leave("S", 1) is True
    assert a.present("S") == 1


def test_a_dead_workers_phones_stop_counting_after_its_heartbeat_expires(redis_server):
    touched = []
    a = worker(redis_server.url, "a", ttl=0.3)
    b = worker(redis_server.url, "b", changed=touched.extend, ttl=0.3)
    a.tick(), b.tick()
    a.arrive("S", 1), a.arrive("S", 2), b.arrive("S", 2)
    assert b.present("S") == 2
    # a is killed: no more heartbeats. b's heartbeat keeps b alive while a's key expires.
    client = redis.Redis.from_url(redis_server.url)
    client.delete("workshop:alive:a")
    b.tick()
    assert b.present("S") == 1  # participant 2 is still here through b
    assert "S" in touched


def test_a_live_worker_is_not_reaped(redis_server):
    a, b = worker(redis_server.url, "a"), worker(redis_server.url, "b")
    a.tick(), b.tick()
    a.arrive("S", 1)
    b.tick(), a.tick()
    assert b.present("S") == 1


def test_presence_comes_back_after_redis_restarts(redis_server):
    a, b = worker(redis_server.url, "a"), worker(redis_server.url, "b")
    a.tick(), b.tick()
    a.arrive("S", 1), b.arrive("S", 2), b.arrive("S", 3)
    redis_server.restart()
    assert a.present("S") == 0  # Redis lost everything
    a.tick(), b.tick()  # each worker finds its heartbeat gone and writes its share again
    assert a.present("S") == 3
    b.leave("S", 3)
    assert a.present("S") == 2


def test_a_disconnect_while_redis_is_down_is_counted_when_it_returns(redis_server):
    a = worker(redis_server.url, "a")
    a.tick()
    a.arrive("S", 1), a.arrive("S", 2)
    redis_server.stop()
    assert a.leave("S", 2) is True  # answered from this worker's own count
    assert a.present("S") == 1
    redis_server.start()
    a.tick()
    assert a.present("S") == 1


def marks(url, name):
    return RedisMarks(redis.Redis.from_url(url), name, interval=5.0)


def test_only_one_worker_takes_a_sessions_marks_per_interval(redis_server):
    a, b = marks(redis_server.url, "a"), marks(redis_server.url, "b")
    a.push({"S": Dirty(tally=True, ideas={1})})
    b.push({"S": Dirty(ideas={2}, reasons={7})})
    taken_by_b = b.take(Dirty)
    taken_by_a = a.take(Dirty)
    assert taken_by_a == {}
    assert taken_by_b == {"S": Dirty(tally=True, ideas={1, 2}, reasons={7})}


def test_marks_pushed_during_anothers_lease_wait_for_the_next_one(redis_server):
    a, b = marks(redis_server.url, "a"), marks(redis_server.url, "b")
    a.push({"S": Dirty(tally=True)})
    assert set(a.take(Dirty)) == {"S"}
    b.push({"S": Dirty(ideas={3})})
    assert b.take(Dirty) == {}  # a holds this interval's lease
    redis.Redis.from_url(redis_server.url).delete("workshop:flush:S")  # the interval ends
    assert b.take(Dirty) == {"S": Dirty(ideas={3})}


class Flushes:
    """Two workers' broadcasters on one Redis; what each one would send is recorded."""

    def __init__(self, url):
        self.sent = []
        self.workers = [self._broadcaster(url, name) for name in ("a", "b")]

    def _broadcaster(self, url, name):
        from workshop.live.broadcast import Broadcaster
        from workshop.live.presence import LocalPresence

        made = Broadcaster(store=None, presence=LocalPresence(), shared=marks(url, name))
        made._flush_one = lambda session_id, dirty: self.sent.append((name, session_id, dirty))
        return made


def test_a_session_is_flushed_by_one_worker_per_interval_with_both_workers_marks(redis_server):
    flushes = Flushes(redis_server.url)
    a, b = flushes.workers
    a.mark_tally("S")
    b.mark_idea("S", 4)
    b.mark_tally("T")
    a.flush()
    b.flush()  # S's lease is a's for this interval: b's mark of S waits in Redis
    assert [(name, s) for name, s, _ in flushes.sent] == [("a", "S"), ("b", "T")]
    redis.Redis.from_url(redis_server.url).delete("workshop:flush:S")  # the interval ends
    b.flush()
    a.flush()
    assert [(name, s, d.ideas) for name, s, d in flushes.sent[2:]] == [("b", "S", {4})]


def test_a_vote_marked_while_redis_is_down_is_flushed_when_it_returns(redis_server):
    flushes = Flushes(redis_server.url)
    a, _ = flushes.workers
    redis_server.stop()
    a.mark_tally("S")
    assert a.flush() == 0 and flushes.sent == []
    redis_server.start()
    assert a.flush() == 1 and flushes.sent[0][1] == "S"
