"""Presence shared by every worker through Redis (used when WORKSHOP_REDIS_URL is set).

Keys (one Redis, not a cluster: the scripts build session keys themselves):
- `workshop:presence:<session>`: hash participant id -> sockets connected on all workers;
  its length is the session's presence (constant work to read).
- `workshop:worker:<worker>`: hash "<session>|<participant>" -> sockets on that worker, so
  a worker's share can be taken back out when it dies.
- `workshop:alive:<worker>`: refreshed every `HEARTBEAT` seconds, expires after `TTL`.
- `workshop:workers`: the workers that ever registered.

Each worker also keeps its own sockets in a `LocalPresence`. A worker whose `alive` key is
missing (Redis restarted, or the worker was paused past `TTL` and reaped) writes its whole
share again; a worker whose `alive` key expired (killed) is reaped by the next live worker's
heartbeat, under a `SET NX PX` lease so one worker does it. A Redis error on a connect or a
disconnect never refuses a phone: the local count changes, and the next heartbeat rewrites
this worker's share.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

from .presence import LocalPresence

HEARTBEAT = 2.0  # seconds between heartbeats of a worker
TTL = 10.0  # seconds after which a silent worker's sockets stop counting
PREFIX = "workshop:"
log = logging.getLogger(__name__)

ARRIVE = """
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
"""
# 1: the participant's last socket went away; 0: still present; -1: this worker's share
# was not in Redis (restarted): the caller rewrites it.
LEAVE = """
local mine = redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
if mine <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
if mine < 0 then return -1 end
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return 1 end
return 0
"""
# Replace a worker's whole share (KEYS[1]) by the field/count pairs in ARGV[2..];
# ARGV[1] is the presence key prefix. Returns the sessions whose counts were touched.
REPLACE = """
local touched, seen = {}, {}
local function touch(sid) if not seen[sid] then seen[sid] = true table.insert(touched, sid) end end
local function add(field, count)
  local sep = string.find(field, '|', 1, true)
  local sid, pid = string.sub(field, 1, sep - 1), string.sub(field, sep + 1)
  local n = redis.call('HINCRBY', ARGV[1] .. sid, pid, count)
  if n <= 0 then redis.call('HDEL', ARGV[1] .. sid, pid) end
  touch(sid)
end
local old = redis.call('HGETALL', KEYS[1])
for i = 1, #old, 2 do add(old[i], -tonumber(old[i + 1])) end
redis.call('DEL', KEYS[1])
for i = 2, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  add(ARGV[i], tonumber(ARGV[i + 1]))
end
return touched
"""


def presence_key(session_id: str) -> str:
    return f"{PREFIX}presence:{session_id}"


class RedisPresence:
    """The `Presence` interface over Redis, plus `tick()` (heartbeat and reaping)."""

    def __init__(self, client, worker_id: str, changed: Callable[[Iterable[str]], None],
                 heartbeat: float = HEARTBEAT, ttl: float = TTL) -> None:
        self.redis, self.worker_id, self.changed = client, worker_id, changed
        self.heartbeat, self.ttl = heartbeat, ttl
        self.local = LocalPresence()
        self._arrive = client.register_script(ARRIVE)
        self._leave = client.register_script(LEAVE)
        self._replace = client.register_script(REPLACE)
        self._rewrite = True  # write this worker's share on the first heartbeat
        self._next_beat = 0.0

    def _keys(self, session_id: str, worker_id: str | None = None) -> list[str]:
        return [presence_key(session_id), f"{PREFIX}worker:{worker_id or self.worker_id}"]

    def arrive(self, session_id: str, participant_id: int) -> bool:
        first_here = self.local.arrive(session_id, participant_id)
        try:
            return self._arrive(self._keys(session_id),
                                [participant_id, f"{session_id}|{participant_id}"]) == 1
        except Exception:
            log.warning("presence: Redis unavailable on arrive; rewriting at the next heartbeat")
            self._rewrite = True
            return first_here

    def leave(self, session_id: str, participant_id: int) -> bool:
        last_here = self.local.leave(session_id, participant_id)
        try:
            result = self._leave(self._keys(session_id),
                                 [participant_id, f"{session_id}|{participant_id}"])
        except Exception:
            log.warning("presence: Redis unavailable on leave; rewriting at the next heartbeat")
            result = -1
        if result == -1:
            self._rewrite = True
            return last_here
        return result == 1

    def present(self, session_id: str) -> int:
        try:
            return int(self.redis.hlen(presence_key(session_id)))
        except Exception:
            log.warning("presence: Redis unavailable; counting this worker's sockets only")
            return self.local.present(session_id)

    # -- heartbeat (called often by the broadcaster's task; does its work every `heartbeat` s) --
    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if now < self._next_beat:
            return
        self._next_beat = now + self.heartbeat
        try:
            self._beat()
            self._reap()
        except Exception:
            log.warning("presence heartbeat failed (Redis unavailable?); retrying", exc_info=True)
            self._rewrite = True

    def _beat(self) -> None:
        alive = f"{PREFIX}alive:{self.worker_id}"
        ttl_ms = int(self.ttl * 1000)
        if not self._rewrite and self.redis.set(alive, "1", px=ttl_ms, xx=True):
            return
        pairs = []
        for (session_id, participant_id), count in self.local.sockets().items():
            pairs += [f"{session_id}|{participant_id}", count]
        touched = self._replace([f"{PREFIX}worker:{self.worker_id}"], [presence_key(""), *pairs])
        self.redis.sadd(f"{PREFIX}workers", self.worker_id)
        self.redis.set(alive, "1", px=ttl_ms)
        self._rewrite = False
        self.changed(_text(touched))

    def _reap(self) -> None:
        """Take the share of every worker whose heartbeat expired out of the counts."""
        for worker in _text(self.redis.smembers(f"{PREFIX}workers")):
            if worker == self.worker_id or self.redis.exists(f"{PREFIX}alive:{worker}"):
                continue
            lease = f"{PREFIX}reap:{worker}"
            if not self.redis.set(lease, self.worker_id, nx=True, px=int(self.ttl * 1000)):
                continue
            touched = self._replace([f"{PREFIX}worker:{worker}"], [presence_key("")])
            self.redis.srem(f"{PREFIX}workers", worker)
            log.warning("presence: worker %s stopped answering; its sockets no longer count", worker)
            self.changed(_text(touched))


def _text(values) -> list[str]:
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]
