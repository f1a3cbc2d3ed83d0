"""Fuzzing the archive importer: a real archive, mutated the ways a careless or hostile hand
would (wrong types, missing keys, extra keys, numbers out of range, odd text), mostly with
its checksum computed again. Every file is either refused with a message, writing nothing,
or imported, and then the session works: its pages, its live snapshots and every export.
"""
from __future__ import annotations

import copy
import json
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.session_works import assert_session_works
from tests.organizer_fixtures import logged_in
from tests.workshop_data import make_workshop
from workshop.exports.archive import export_archive
from workshop.services.archive_import import import_archive
from workshop.exports.archive_format import ArchiveRefused, checksum
from workshop.services.export_data import read_export_data
from workshop.store.db import Store
from workshop.store.models import (Decision, Idea, IdeaUpvote, Participant, PlanItem, Round,
                                   Vote, WorkshopSession)

TABLES = (WorkshopSession, Participant, Round, Vote, Decision, Idea, IdeaUpvote, PlanItem)
# the session's own fields and the plan are what pages and exports lean on most: drawn oftener
SECTIONS = ("session", "session", "session", "framework", "participants", "rounds", "decisions",
            "ideas", "plan_items", "plan_items")
EXAMPLES = int(os.environ.get("WORKSHOP_FUZZ_EXAMPLES", "40"))  # more for a deeper run

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**40, 2**40)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)
# what people type: names, roles, notes, reasons, ideas, titles, plan texts
PROSE = ("name", "role", "note", "reason", "text", "title", "organization", "owner",
         "indicator", "target_value", "budget_note", "decided_by")
NUMBERS = st.integers(-10, 10) | st.integers(-2**70, 2**70)
TEXTS = st.text(max_size=40) | st.sampled_from(["", "=1+1", "Q5/2570", "9.9", "1.1", "live",
                                                "closed", "open", "bell\u0007", "x" * 6000])


@pytest.fixture(scope="module")
def base_archive(tmp_path_factory) -> dict:
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('base') / 'base.sqlite3'}")
    try:
        workshop = make_workshop(store)
        with store.session() as db:
            return json.loads(export_archive(read_export_data(db, workshop.session_id)))
    finally:
        store.dispose()


def paths_in(value, path=()):
    """Every place in the JSON tree: (path, value)."""
    yield path, value
    children = value.items() if isinstance(value, dict) else \
        enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from paths_in(child, (*path, key))


def _parent(tree, path):
    for part in path[:-1]:
        tree = tree[part]
    return tree


@st.composite
def mutations(draw, base: dict):
    archive = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 2))):
        section = draw(st.sampled_from(SECTIONS))
        kind = draw(st.sampled_from(["replace", "delete", "extra", "number", "text", "prose"]))
        places = list(paths_in(archive[section], (section,)))
        alike = [p for p in places if isinstance(p[1], {"number": int, "text": str}.get(kind, ()))
                 or kind == "prose" and p[0][-1:] in [(key,) for key in PROSE]]
        path, value = draw(st.sampled_from(alike or places))  # numbers for numbers, text for text
        if kind == "extra" and isinstance(value, dict):
            value[draw(st.text(min_size=1, max_size=10))] = draw(JSON)
        elif kind == "delete" and len(path) > 1:
            del _parent(archive, path)[path[-1]]
        else:
            new = {"number": NUMBERS, "text": TEXTS, "prose": TEXTS}.get(kind, JSON)
            _parent(archive, path)[path[-1]] = draw(new)
    if draw(st.integers(0, 9)):  # mostly re-sealed on purpose
        archive["checksum"] = checksum(archive)
    return json.dumps(archive, ensure_ascii=False).encode()


def resealed(base: dict, path: tuple, value) -> bytes:
    """`base` with one value changed and its checksum computed again."""
    archive = copy.deepcopy(base)
    _parent(archive, path)[path[-1]] = value
    archive["checksum"] = checksum(archive)
    return json.dumps(archive, ensure_ascii=False).encode()


def counts(store) -> dict:
    with store.session() as db:
        return {t.__tablename__: db.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_a_mutated_archive_is_refused_whole_or_makes_a_session_that_works(app, client, store,
                                                                          base_archive):
    organizer = logged_in(client, store)
    outcomes = {"refused": 0, "imported": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(data=mutations(base_archive))
    @example(data=resealed(base_archive, ("ideas", 0, "text"), "=HYPERLINK(\"x\")\nบรรทัดสอง"))
    @example(data=resealed(base_archive, ("session", "settings", "roles"), 5))
    def check(data: bytes) -> None:
        before = counts(store)
        try:
            imported = import_archive(store, data, new_id=True)
        except ArchiveRefused as refused:
            assert str(refused).strip()
            assert counts(store) == before  # nothing half-written
            outcomes["refused"] += 1
            return
        assert_session_works(app, organizer, imported.session_id,
                             pdf=outcomes["imported"] == 0)  # one PDF: WeasyPrint is slow
        outcomes["imported"] += 1

    check()
    assert outcomes["refused"] and outcomes["imported"]  # both ways were tried (the @examples)
