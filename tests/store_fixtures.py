"""Fixtures for the store's tests, registered in tests/conftest.py: a fresh store on each
backend (`backend_url`: SQLite and PostgreSQL) and a live room in it, with the builders they use."""
from __future__ import annotations

from datetime import date

import pytest

from workshop.store.db import Store
from workshop.store.keys import hash_token, new_token
from workshop.store.models import Participant, Round, WorkshopSession

FRAMEWORK = {"id": "pmqa-4.0", "levels": [{"value": v} for v in range(4)], "categories": []}


@pytest.fixture
def fresh_store(backend_url):
    store = Store.open(backend_url)
    yield store
    store.dispose()


def add_session(db, **overrides) -> WorkshopSession:
    fields = dict(
        title="ประเมิน PMQA 4.0", organization="กรมตัวอย่าง", held_on=date(2026, 5, 9),
        language="th", framework=FRAMEWORK, framework_id="pmqa-4.0", agenda=["1.1", "1.2"],
        link_nonce=new_token()[:16],
        settings={"anonymous": True, "results": "hidden", "roles": ["executive", "staff"]},
    )
    workshop = WorkshopSession(**(fields | overrides))
    db.add(workshop)
    db.flush()
    return workshop


def add_phone(db, workshop, **fields) -> Participant:
    phone = Participant(session_id=workshop.id, token_hash=hash_token(new_token()), **fields)
    db.add(phone)
    db.flush()
    return phone


def open_round(db, workshop, criterion="1.1", number=1) -> Round:
    round_ = Round(session_id=workshop.id, criterion_code=criterion, number=number)
    db.add(round_)
    db.flush()
    return round_


@pytest.fixture
def room(fresh_store):
    """A live session with an open round on 1.1 and three phones: ids in a dict."""
    with fresh_store.session() as db:
        workshop = add_session(db, status="live", current_criterion="1.1")
        phones = [add_phone(db, workshop) for _ in range(3)]
        round_ = open_round(db, workshop)
        return dict(session=workshop.id, round=round_.id, phones=[p.id for p in phones])
