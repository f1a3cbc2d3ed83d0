"""The store's schema comes from its Alembic migrations, matches the models, and survives a race.

Each test runs on a SQLite file and on the PostgreSQL server the suite starts itself.
"""
from __future__ import annotations

import multiprocessing

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from workshop.store import db as store_db
from workshop.store.db import Store, alembic_config, head_revision, normalize_url
from workshop.store.models import Base

WORKER_LIMIT_SECONDS = 120  # a guard against a deadlocked start, not a speed check
WORKSHOP_TABLES = {
    "organizer_accounts", "workshop_sessions", "participants", "rounds", "votes",
    "decisions", "ideas", "idea_upvotes", "plan_items", "workshops", "settlements",
    "checklist_answers", "indicators",
}


@pytest.fixture
def opened(backend_url):
    store = Store.open(backend_url)
    yield store
    store.dispose()


def test_a_fresh_database_gets_every_workshop_table_from_the_migrations(opened):
    tables = set(inspect(opened.engine).get_table_names())
    assert tables == WORKSHOP_TABLES | {"alembic_version"}
    with opened.engine.connect() as connection:
        assert store_db.current_revision(connection) == head_revision() == "0008_timer"


def test_the_migrated_schema_is_exactly_what_the_models_declare(opened):
    with opened.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_migrations_go_down_to_nothing_and_up_again(opened):
    with opened.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(opened.engine).get_table_names()) <= {"alembic_version"}
    with opened.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert WORKSHOP_TABLES <= set(inspect(opened.engine).get_table_names())


def test_reopening_a_database_already_at_head_leaves_it_alone(backend_url, monkeypatch):
    Store.open(backend_url).dispose()

    def no_upgrade_expected(*_args, **_kwargs):
        raise AssertionError("upgrade ran on a database already at head")

    monkeypatch.setattr(store_db.command, "upgrade", no_upgrade_expected)
    Store.open(backend_url).dispose()


def _start_worker(database_url: str, barrier, results) -> None:
    """One worker process starting up: wait for the others, then open the store."""
    barrier.wait()
    try:
        Store.open(database_url).dispose()
        results.put("ok")
    except BaseException as error:  # reported to the test, which names it
        results.put(repr(error))


def test_four_worker_processes_starting_on_a_new_database_at_once_all_get_the_schema(
    backend_url,
):
    workers = 4
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(workers), spawn.Queue()
    processes = [
        spawn.Process(target=_start_worker, args=(backend_url, barrier, results))
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=WORKER_LIMIT_SECONDS) for _ in processes]
    for process in processes:
        process.join()
    assert outcomes == ["ok"] * workers
    store = Store.open(backend_url, migrate=False)
    try:
        with store.engine.connect() as connection:
            versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        assert versions == [("0008_timer",)]
    finally:
        store.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_enforced(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'workshop.sqlite3'}")
    try:
        with store.engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("synchronous") == 1  # NORMAL
            assert pragma("busy_timeout") == store_db.SQLITE_BUSY_TIMEOUT_MS
    finally:
        store.dispose()
    assert _wal_mode_persisted(tmp_path)


def _wal_mode_persisted(tmp_path) -> bool:
    """WAL mode is stored in the file itself: a bare connection sees it too."""
    engine = create_engine(f"sqlite:///{tmp_path / 'workshop.sqlite3'}")
    try:
        with engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "given, driver",
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:////tmp/x.sqlite3", "sqlite"),
    ],
)
def test_a_plain_postgresql_url_is_served_by_psycopg_3(given, driver):
    assert normalize_url(given).drivername == driver


@pytest.mark.postgres
def test_the_postgresql_store_really_talks_to_postgresql(fresh_postgresql_url):
    store = Store.open(fresh_postgresql_url.replace("postgresql+psycopg://", "postgresql://"))
    try:
        assert store.dialect == "postgresql"
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT version()").scalar().startswith("PostgreSQL")
    finally:
        store.dispose()
