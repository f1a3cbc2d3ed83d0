"""Dirty marks shared by every worker through Redis, and the lease that lets exactly one worker
flush a session per interval (used when WORKSHOP_REDIS_URL is set).

A vote marks its session in the worker's memory (no I/O on the vote path); every tick the
broadcaster `push`es those marks to Redis, then `take`s the sessions whose flush lease
(`SET workshop:flush:<session> <worker> NX PX <interval>`) it won, with their marks removed
atomically. Marks pushed while another worker flushes wait in Redis for the next lease, so
none is lost; marks that could not be pushed stay in memory for the next tick.
"""
from __future__ import annotations

PREFIX = "workshop:"
DIRTY = f"{PREFIX}dirty"

# KEYS: dirty set, tally flag, ideas set, reasons set; ARGV[1]: the session.
TAKE = """
local tally = redis.call('GET', KEYS[2])
local ideas = redis.call('SMEMBERS', KEYS[3])
local reasons = redis.call('SMEMBERS', KEYS[4])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('SREM', KEYS[1], ARGV[1])
if tally then tally = 1 else tally = 0 end
return {tally, ideas, reasons}
"""


def _keys(session_id: str) -> tuple[str, str, str]:
    base = f"{PREFIX}dirty:{session_id}"
    return f"{base}:tally", f"{base}:ideas", f"{base}:reasons"


class RedisMarks:
    def __init__(self, client, worker_id: str, interval: float) -> None:
        self.redis, self.worker_id = client, worker_id
        self.lease_ms = max(1, int(interval * 1000))
        self._take = client.register_script(TAKE)

    def push(self, batch: dict) -> None:
        """Add this worker's marks ({session: Dirty}) to the shared ones (raises on failure)."""
        if not batch:
            return
        pipe = self.redis.pipeline(transaction=False)
        for session_id, dirty in batch.items():
            tally, ideas, reasons = _keys(session_id)
            if dirty.tally:
                pipe.set(tally, "1")
            if dirty.ideas:
                pipe.sadd(ideas, *dirty.ideas)
            if dirty.reasons:
                pipe.sadd(reasons, *dirty.reasons)
            pipe.sadd(DIRTY, session_id)
        pipe.execute()

    def take(self, make_dirty) -> dict:
        """The marks of every dirty session whose flush lease this worker won now."""
        won = {}
        for raw in self.redis.smembers(DIRTY):
            session_id = raw.decode() if isinstance(raw, bytes) else raw
            if not self.redis.set(f"{PREFIX}flush:{session_id}", self.worker_id,
                                  nx=True, px=self.lease_ms):
                continue
            tally, ideas, reasons = self._take([DIRTY, *_keys(session_id)], [session_id])
            won[session_id] = make_dirty(tally=bool(tally), ideas={int(i) for i in ideas},
                                         reasons={int(r) for r in reasons})
        return won
