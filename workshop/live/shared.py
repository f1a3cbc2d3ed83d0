"""The Redis client and worker identity behind the shared live state (WORKSHOP_REDIS_URL).

Short socket timeouts: a Redis that is down or restarting slows a heartbeat or a flush by
at most a couple of seconds, never a phone's vote (marks stay in memory meanwhile).
"""
from __future__ import annotations

import os
import secrets
import socket

from .broadcast import RATE
from .redis_marks import RedisMarks
from .redis_presence import RedisPresence
from .stage_cache import RedisVersions

TIMEOUT_SECONDS = 2


def worker_id() -> str:
    """Unique per process start: a restarted worker never inherits a dead one's share."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def shared_live(redis_url: str, changed) -> tuple[RedisPresence, RedisMarks, RedisVersions]:
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=TIMEOUT_SECONDS,
                                  socket_connect_timeout=TIMEOUT_SECONDS)
    worker = worker_id()
    return (RedisPresence(client, worker, changed), RedisMarks(client, worker, 1 / RATE),
            RedisVersions(client))
