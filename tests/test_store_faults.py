"""The store's storage faults in-process, on real SQLite files: a lock held by another
connection makes a write wait then give up with StoreBusy (nothing written), a read-only file
gives StorageUnavailable, and a write that waited goes through once the lock is gone."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import text

from workshop.store.db import Store
from workshop.store.faults import StorageUnavailable, StoreBusy, WriteTurns


@pytest.fixture
def store(tmp_path):
    opened = Store.open(f"sqlite:///{tmp_path / 'faults.sqlite3'}", migrate=False, cooperative=True)
    with opened.session() as db:
        db.execute(text("CREATE TABLE votes (id INTEGER PRIMARY KEY, level INTEGER)"))
    yield opened
    opened.dispose()


def _other_program(store):
    holder = sqlite3.connect(store.engine.url.database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def _levels(store):
    with store.session() as db:
        return db.scalars(text("SELECT level FROM votes")).all()


def test_a_write_gives_up_with_database_busy_past_the_bound_and_writes_nothing(store):
    store._writes = WriteTurns(cooperative=True, wait_seconds=0.3)
    holder = _other_program(store)
    try:
        with pytest.raises(StoreBusy):
            with store.session(write=True) as db:
                db.execute(text("INSERT INTO votes (level) VALUES (2)"))
    finally:
        holder.execute("COMMIT")
    assert _levels(store) == []
    assert StoreBusy.code == "database_busy"


def test_a_write_that_waits_goes_through_once_the_lock_is_released(store):
    holder = _other_program(store)
    threading.Timer(0.3, lambda: holder.execute("COMMIT")).start()
    with store.session(write=True) as db:
        db.execute(text("INSERT INTO votes (level) VALUES (3)"))
    assert _levels(store) == [3]


def test_a_read_only_database_file_is_storage_unavailable_not_a_crash(store, tmp_path):
    read_only = Store.open(f"sqlite:///file:{store.engine.url.database}?mode=ro&uri=true", migrate=False)
    try:
        with pytest.raises(StorageUnavailable):
            with read_only.session(write=True) as db:
                db.execute(text("INSERT INTO votes (level) VALUES (1)"))
    finally:
        read_only.dispose()
    assert _levels(store) == []
