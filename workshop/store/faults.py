"""What the database's storage does wrong, and how a unit of work meets it without freezing
the server.

- **Busy**: another process (a backup, `sqlite3` in a terminal, a second server) holds
  SQLite's write lock. SQLite's own busy handler sleeps inside C and would block the gevent
  hub, i.e. every phone, page and projector of this process. So a cooperative store sets
  `busy_timeout = 0` and a writing unit of work takes the write lock up front
  (`BEGIN IMMEDIATE`), retrying with cooperative sleeps (tenacity) until `WRITE_WAIT_SECONDS`
  have passed; the writers of this process take turns on one lock first, so only one of them
  polls. Past the bound: `StoreBusy` (the protocol's `database_busy`), nothing changed.
- **Unavailable**: the data folder is read-only or full (or the disk fails): `StorageUnavailable`
  (`storage_unavailable`). The transaction is rolled back, so nothing stored is damaged, and
  the next unit of work succeeds once space is back.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager
from typing import Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_random_exponential

from ..errors import Unavailable

# How long a write waits for another process's lock before the client hears database_busy.
# Below the pages' acknowledgement timeout (ACK_TIMEOUT_MS in static/js/live_client.js), so the answer arrives.
WRITE_WAIT_SECONDS = 5.0
# SQLite primary result codes (https://sqlite.org/rescode.html).
_SQLITE_BUSY = {5, 6}                # SQLITE_BUSY, SQLITE_LOCKED
_SQLITE_UNAVAILABLE = {8, 10, 13, 14}  # READONLY, IOERR, FULL, CANTOPEN
# PostgreSQL: class 53 (insufficient resources: disk full, out of memory), read-only transaction.
_PG_UNAVAILABLE_PREFIXES = ("53", "25006")


class StoreError(Unavailable):
    """A fault of the database's storage, not of the request; `code` is a protocol error code."""
    code = "server_error"


class StoreBusy(StoreError):
    code = "database_busy"


class StorageUnavailable(StoreError):
    code = "storage_unavailable"


def _sqlite_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_busy(error: BaseException) -> bool:
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.Error) and _sqlite_code(original) in _SQLITE_BUSY


def classify(error: DBAPIError | sqlite3.Error) -> StoreError | None:
    """The storage fault behind a driver error, or None when it is something else."""
    original = getattr(error, "orig", error)
    if isinstance(original, sqlite3.Error):
        code = _sqlite_code(original)
        if code in _SQLITE_BUSY:
            return StoreBusy(str(original))
        if code in _SQLITE_UNAVAILABLE:
            return StorageUnavailable(str(original))
        return None
    sqlstate = getattr(original, "sqlstate", None) or ""
    if sqlstate.startswith(_PG_UNAVAILABLE_PREFIXES):
        return StorageUnavailable(str(original))
    return None


@contextmanager
def storage_faults():
    """Turn a driver error that is a storage fault into `StoreError`; let the rest through."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as error:
        fault = classify(error)
        if fault is None:
            raise
        raise fault from error


class WriteTurns:
    """Writers of this process take turns, then take SQLite's write lock without blocking the hub."""

    def __init__(self, cooperative: bool, wait_seconds: float = WRITE_WAIT_SECONDS) -> None:
        self.cooperative = cooperative
        self.wait_seconds = wait_seconds
        self._turn = threading.Lock()  # gevent's lock when the server runs under gevent

    @contextmanager
    def turn(self, db: Session):
        """Hold this process's writing turn and SQLite's write lock for the unit of work `db`."""
        with self.turn_of(lambda: db.connection().connection.driver_connection):
            yield

    @contextmanager
    def turn_of(self, driver_connection: Callable[[], sqlite3.Connection]):
        """The same for a bare DB-API connection (given once the turn is ours)."""
        deadline = time.monotonic() + self.wait_seconds
        if not self._turn.acquire(timeout=self.wait_seconds):
            raise StoreBusy("another unit of work of this process held the write turn too long")
        try:
            self._begin_immediate(driver_connection(), deadline)
            yield
        finally:
            self._turn.release()

    def _begin_immediate(self, raw: sqlite3.Connection, deadline: float) -> None:
        """Take SQLite's write lock on `raw` (one statement, without the ORM's overhead)."""
        if raw.in_transaction:  # the unit of work began before asking for its turn: nothing to take
            return
        if not self.cooperative:  # SQLite's busy_timeout does the waiting (a thread may block)
            raw.execute("BEGIN IMMEDIATE")
            return
        try:
            raw.execute("BEGIN IMMEDIATE")  # the common case: nobody else holds the lock
            return
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
        retrying = Retrying(
            retry=retry_if_exception(is_busy),
            wait=wait_random_exponential(multiplier=0.01, max=0.2),
            stop=stop_after_delay(max(0.0, deadline - time.monotonic())),
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                raw.execute("BEGIN IMMEDIATE")
