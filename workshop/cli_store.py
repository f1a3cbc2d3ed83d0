"""How a command reaches the database: the configured store, opened for that command alone,
and a session or workshop found by what the user typed, or a clear message and exit 1.

Commands go through services (services/units.py opens the store); no command imports store/.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, TypeVar

import click

from .config import Config
from .services.units import command_store

Found = TypeVar("Found")


@contextmanager
def opened_store() -> Iterator:
    """The store named by the environment (WORKSHOP_DATABASE_URL or the data folder)."""
    with command_store(Config.from_env().database_url) as store:
        yield store


@contextmanager
def database() -> Iterator:
    """One unit of work on the configured store: committed at the end, rolled back on an error."""
    with opened_store() as store, store.session() as db:
        yield db


def found(thing: Found | None, missing: str) -> Found:
    """`thing` as looked up; `missing` as the command's error when there was none."""
    if thing is None:
        raise click.ClickException(missing)
    return thing


def join_code_of(typed: str) -> str:
    """A join code as typed, or the code of a session id found in the local data folder."""
    from .services import sessions as session_service

    code = session_service.full_join_code(typed)
    if code is not None:
        return code
    with database() as db:
        return found(session_service.get(db, typed),
                     f"{typed!r} is neither a join code nor a session id in "
                     f"{Config.from_env().data_dir}; pass the join code shown on the projector"
                     ).join_code
