"""The statements of a phone's connect and join (issue 12, "light joins"), as SQLAlchemy Core on
the unit of work's connection: rows come back as plain named rows (attribute access like the
models'), with no ORM identity map, unit-of-work bookkeeping or entity loading per join.

They read and write the same tables and columns as the models (store/models.py), with the
same column defaults; the statements are built once per process and SQLAlchemy's compiled
cache keeps their SQL.
"""
from __future__ import annotations

import functools

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .models import Idea, Participant, WorkshopSession
from .votes import dialect_insert

_sessions = WorkshopSession.__table__
_participants = Participant.__table__
_ideas = Idea.__table__

# What a phone's socket keeps of its session (services/session_facts.py): none of it changes
# once the session exists, unlike its stage (current criterion, ideas phase, timer, explain).
SESSION_BY_CODE = select(_sessions.c.id, _sessions.c.title, _sessions.c.organization, _sessions.c.held_on,
                         _sessions.c.language, _sessions.c.settings, _sessions.c.join_code).where(
    _sessions.c.join_code == bindparam("code"))
PARTICIPANT_BY_KEY = select(*_participants.c).where(
    _participants.c.session_id == bindparam("session_id"),
    _participants.c.client_key_hash == bindparam("key_hash"))
PARTICIPANT_BY_TOKEN = select(*_participants.c).where(
    _participants.c.session_id == bindparam("session_id"),
    _participants.c.token_hash == bindparam("token_hash"))
IDEAS_OF = select(_ideas.c.id, _ideas.c.criterion_code, _ideas.c.kind, _ideas.c.text, _ideas.c.upvotes,
                  _ideas.c.hidden, _ideas.c.kept, _ideas.c.merged_into, _ideas.c.participant_id).where(
    _ideas.c.session_id == bindparam("session_id"),
    _ideas.c.criterion_code == bindparam("criterion")).order_by(_ideas.c.upvotes.desc(), _ideas.c.id)


def session_by_code(db: Session, code: str):
    return db.connection().execute(SESSION_BY_CODE, {"code": code}).first()


def participant_by_key(db: Session, session_id: str, key_hash: str):
    return db.connection().execute(PARTICIPANT_BY_KEY, {"session_id": session_id, "key_hash": key_hash}).first()


def participant_by_token(db: Session, session_id: str, token_hash: str):
    return db.connection().execute(PARTICIPANT_BY_TOKEN,
                                   {"session_id": session_id, "token_hash": token_hash}).first()


NEW_PARTICIPANT = ("session_id", "token_hash", "name", "role", "observer", "client_key_hash")


@functools.cache
def _insert_of(insert) -> object:
    """Built once per dialect: a statement built anew per join spent more CPU on its cache key
    than the database on the insert."""
    return (insert(_participants).values({name: bindparam(name) for name in NEW_PARTICIPANT})
            .on_conflict_do_nothing().returning(*_participants.c))


def insert_participant(db: Session, values: dict):
    """The participant as stored by one `INSERT … ON CONFLICT DO NOTHING RETURNING` (every
    column; `values` has NEW_PARTICIPANT's, the model's column defaults fill in the others), or
    None when a copy of the same join was stored first."""
    return db.connection().execute(_insert_of(dialect_insert(db)), values).first()


def ideas_of(db: Session, session_id: str, criterion: str | None) -> list:
    """A criterion's ideas, most upvoted first, with the columns `ideas.idea_view` reads."""
    if criterion is None:
        return []
    return list(db.connection().execute(IDEAS_OF, {"session_id": session_id, "criterion": criterion}))
