"""Alembic's environment for the workshop store: runs migrations on the store's connection.

`Store.open` passes its own connection (holding the migration lock) through
`config.attributes["connection"]`. Run from the alembic command line instead (to write a new
revision with --autogenerate), the database is the one the workshop configuration names.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from workshop.store.models import Base


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _database_url() -> str:
    url = context.config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from workshop.config import Config

    return Config.from_env().database_url


def run_offline() -> None:
    context.configure(
        url=_database_url(), target_metadata=Base.metadata, literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    from workshop.store.db import create_store_engine

    engine = create_store_engine(_database_url())
    try:
        with engine.connect() as own_connection:
            _configure_and_run(own_connection)
            own_connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
