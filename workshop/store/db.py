"""The store: one engine per process, sessions for units of work, and the schema kept at head.

`Store.open(url)` builds the engine (SQLite tuned for many phones on one laptop, or
PostgreSQL through psycopg 3) and brings the schema to the newest Alembic revision.
Several processes may open the same database at once (several workers starting together):
the upgrade runs under a database-wide lock (a PostgreSQL advisory lock, SQLite's
BEGIN IMMEDIATE write lock), and whoever comes second finds the schema at head already.
A server under gevent opens a *cooperative* store: SQLite never waits inside C for another
process's lock, writing units of work wait cooperatively instead (`store/faults.py`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from .faults import WriteTurns, storage_faults
from .prebuilt import RawUnit

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
# Any constant shared by all workers: the advisory lock that serialises migrations.
MIGRATION_LOCK_KEY = 0x574B5348  # "WKSH"


def normalize_url(database_url: str | URL) -> URL:
    """Parse a database URL; plain `postgresql://` (or `postgres://`) means psycopg 3."""
    url = make_url(database_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def _sqlite_pragmas(busy_timeout_ms: int):
    def set_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()
    return set_pragmas


def create_store_engine(database_url: str | URL, *, cooperative: bool = False) -> Engine:
    """An engine for the URL, with the SQLite pragmas set on every new connection.

    `cooperative`: SQLite never sleeps in C waiting for a lock (busy timeout 0); see faults.py."""
    url = normalize_url(database_url)
    if url.get_backend_name() == "sqlite":
        busy_ms = 0 if cooperative else SQLITE_BUSY_TIMEOUT_MS
        engine = create_engine(url, connect_args={"timeout": busy_ms / 1000})
        event.listen(engine, "connect", _sqlite_pragmas(busy_ms))
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    """Alembic's configuration, built in code: no alembic.ini needed."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _lock_for_migration(connection: Connection) -> None:
    """Take a lock that only one migrating process holds, until the transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that holds the migration lock, committed at the end."""
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            raw.isolation_level = None  # let us issue BEGIN IMMEDIATE ourselves
        try:
            _lock_for_migration(connection)
            yield connection
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if sqlite:
                raw.isolation_level = ""


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; harmless when it is there already."""
    head = head_revision()
    with engine.connect() as connection:
        if current_revision(connection) == head:
            return
    with _migration_connection(engine) as connection:
        if current_revision(connection) != head:
            command.upgrade(alembic_config(connection), "head")


class Store:
    """The database of one server process: an engine and a session factory."""

    def __init__(self, engine: Engine, *, cooperative: bool = False) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writes = WriteTurns(cooperative) if engine.dialect.name == "sqlite" else None
        self._writer = None  # the vote path's own SQLite connection (`raw_write`)

    @classmethod
    def open(cls, database_url: str | URL, *, migrate: bool = True, cooperative: bool = False) -> "Store":
        """Connect to the database and (by default) bring its schema to head.

        `cooperative`: for a server under gevent, where no call may block the hub."""
        engine = create_store_engine(database_url, cooperative=cooperative)
        try:
            if migrate:
                upgrade_to_head(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, cooperative=cooperative)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back when it raises.

        `write=True` takes the write lock first, waiting without blocking the server (faults.py).
        A storage fault (busy past the bound, read-only, full) raises `StoreError`."""
        with storage_faults():
            db = self._sessions()
            try:
                turn = self._writes.turn(db) if write and self._writes else nullcontext()
                with turn:
                    yield db
                    db.commit()
            except BaseException:
                db.rollback()
                raise
            finally:
                db.close()

    @contextmanager
    def raw_write(self) -> Iterator[Any]:
        """A writing unit of work on a bare DB-API connection, for the one prebuilt statement of
        the vote's hot path (no ORM session, no SQLAlchemy execution machinery): the same write
        turn, commit-or-rollback and storage faults as `session(write=True)`.

        On SQLite, where this process's writers take turns anyway, the statement runs on one
        connection kept for it: no pool checkout, ping and reset per vote (a fifth of the vote
        handler's CPU). A connection that failed is closed, and the next write opens another.
        On PostgreSQL writers run side by side, each on a pooled connection."""
        if self._writes is None:
            with self._raw(write=True) as driver:
                yield driver
            return
        with storage_faults(), self._writes.turn_of(self._hot_writer):
            try:
                yield self._writer.dbapi_connection
                self._writer.dbapi_connection.commit()
            except BaseException:
                self._drop_writer()  # closing rolls back what it held
                raise

    @contextmanager
    def raw_unit(self, *, write: bool = False) -> Iterator[RawUnit]:
        """A unit of work for prebuilt statements (store/prebuilt.py) on a bare pooled DB-API
        connection: committed at the end, rolled back when it raises; `write` takes the write
        turn as `session(write=True)` does."""
        with self._raw(write=write) as driver:
            yield RawUnit(driver, self.engine.dialect)

    @contextmanager
    def _raw(self, *, write: bool) -> Iterator[Any]:
        with storage_faults():
            pooled = self.engine.raw_connection()
            try:
                driver = pooled.driver_connection
                turn = self._writes.turn_of(lambda: driver) if write and self._writes else nullcontext()
                with turn:
                    yield driver
                    pooled.commit()
            except BaseException:
                pooled.rollback()
                raise
            finally:
                pooled.close()

    def _hot_writer(self):
        """The hot path's own SQLite connection (taken under the write turn), opened on first use."""
        if self._writer is None:
            writer = self.engine.raw_connection()  # with the engine's pragmas
            writer.detach()  # never returned to the pool: closed by `_drop_writer`
            self._writer = writer
        return self._writer.dbapi_connection  # pysqlite: the driver's own connection

    def _drop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            try:
                writer.close()
            except Exception:  # already broken: nothing more to release
                pass

    def dispose(self) -> None:
        """Close every connection (at shutdown, or after a fork)."""
        self._drop_writer()
        self.engine.dispose()
