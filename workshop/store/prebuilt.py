"""Statements of the join's hot path run on a bare DB-API connection (`Store.raw_unit`): a Core
statement compiled once per process and dialect to the driver's SQL, its parameters and result
columns converted by their column types' own processors (so values are stored and read as
the ORM would: UTC timestamps, JSON, booleans), rows returned as named tuples.

An ORM unit of work around one short statement cost about 8 times the statement itself on
SQLite (160 us against 20 us); a phone's connect and join run four of them.
"""
from __future__ import annotations

import threading
from collections import namedtuple
from typing import Any

_compiled: dict[tuple[int, str], "Prebuilt"] = {}
_lock = threading.Lock()


class Prebuilt:
    def __init__(self, statement, dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self._order = compiled.positiontup if compiled.positional else None
        self._required = {name for name, bind in compiled.binds.items() if bind.required}
        self._literals = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        self._bind = {name: processor for name, bind in compiled.binds.items()
                      if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None}
        columns = list(statement.exported_columns) if hasattr(statement, "exported_columns") else []
        self._row = namedtuple("Row", [column.key for column in columns]) if columns else None
        self._results = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                         for column in columns]

    def parameters(self, values: dict[str, Any]):
        missing = self._required - values.keys()
        if missing:
            raise ValueError(f"parameters missing: {sorted(missing)}")
        values = {**self._literals, **values}
        for name, process in self._bind.items():
            values[name] = process(values[name])
        return values if self._order is None else tuple(values[name] for name in self._order)

    def row(self, raw) -> tuple | None:
        if raw is None:
            return None
        return self._row(*(value if process is None else process(value)
                           for process, value in zip(self._results, raw)))


def prebuilt(statement, dialect) -> Prebuilt:
    """The statement compiled for this dialect, once per process (statements are module-level
    constants, so their identity is their key)."""
    key = (id(statement), dialect.name)
    found = _compiled.get(key)
    if found is None:
        with _lock:
            found = _compiled.setdefault(key, Prebuilt(statement, dialect))
    return found


class RawUnit:
    """A unit of work on a bare pooled DB-API connection (Store.raw_unit), for prebuilt statements."""

    def __init__(self, connection, dialect) -> None:
        self.connection, self.dialect = connection, dialect

    def first(self, statement, values: dict[str, Any]):
        """The first row of the statement's result as a named tuple, or None."""
        compiled = prebuilt(statement, self.dialect)
        cursor = self.connection.execute(compiled.sql, compiled.parameters(values))
        return compiled.row(cursor.fetchone())

    def execute(self, statement, values: dict[str, Any]) -> None:
        compiled = prebuilt(statement, self.dialect)
        self.connection.execute(compiled.sql, compiled.parameters(values))

    def all(self, statement, values: dict[str, Any]) -> list:
        compiled = prebuilt(statement, self.dialect)
        cursor = self.connection.execute(compiled.sql, compiled.parameters(values))
        return [compiled.row(raw) for raw in cursor.fetchall()]
