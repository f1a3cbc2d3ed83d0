"""The one way the web, live and CLI layers reach the database: the app's store (or, for a
command, a store of its own) and a unit of work on it. They hold the ORM session a unit gives
and pass it to services; only services/ (and store/ itself) know the models behind it."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from flask import Flask, current_app

EXTENSION = "workshop.store"


def store_of(app: Flask | None = None):
    """The app's `store.db.Store` (opened by `create_app`)."""
    return (app or current_app).extensions[EXTENSION]


def unit_of_work(*, write: bool = False, app: Flask | None = None):
    """A context manager giving an ORM session; `write` holds the store's write turn."""
    return store_of(app).session(write=write)


@contextmanager
def command_store(database_url: str) -> Iterator:
    """The store of one command-line run, where no app holds one: opened (its schema brought to
    head), yielded, and closed when the command is done."""
    from ..store.db import Store

    store = Store.open(database_url)
    try:
        yield store
    finally:
        store.dispose()


def light_unit(*, write: bool = False, app: Flask | None = None):
    """A unit of work on a bare connection for the join's prebuilt statements (store/phones.py,
    store/prebuilt.py): what `participants` and `views` read and write on a phone's join."""
    return store_of(app).raw_unit(write=write)
