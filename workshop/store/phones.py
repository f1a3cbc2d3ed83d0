"""The statements of a phone's connect and join (issue 12, "light joins"): SQLAlchemy Core
statements built once, run prebuilt on a bare connection (a `RawUnit`, store/prebuilt.py) or
on an ORM unit of work's connection. Rows come back as named rows (attribute access like the
models'), with no ORM identity map, unit-of-work bookkeeping or entity loading per join.

They read and write the same tables and columns as the models (store/models.py), with the
same column defaults.
"""
from __future__ import annotations

import functools

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import NotFound
from .models import ChecklistAnswer, Idea, IdeaUpvote, Participant, Vote, WorkshopSession, utcnow
from .prebuilt import RawUnit
from .votes import DIALECT_INSERTS

_sessions = WorkshopSession.__table__
_participants = Participant.__table__
_ideas = Idea.__table__

# What a phone's socket keeps of its session (services/sessions.py `facts_by_join_code`): none of it changes
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


def _first(db, statement, values: dict):
    if isinstance(db, RawUnit):
        return db.first(statement, values)
    return db.connection().execute(statement, values).first()


def session_by_code(db, code: str):
    return _first(db, SESSION_BY_CODE, {"code": code})


def participant_by_key(db, session_id: str, key_hash: str):
    return _first(db, PARTICIPANT_BY_KEY, {"session_id": session_id, "key_hash": key_hash})


def participant_by_token(db, session_id: str, token_hash: str):
    return _first(db, PARTICIPANT_BY_TOKEN, {"session_id": session_id, "token_hash": token_hash})


NEW_PARTICIPANT = ("session_id", "token_hash", "name", "role", "observer", "proxy", "joined_at",
                   "last_seen_at", "client_key_hash")


@functools.cache
def _insert_of(insert) -> object:
    """Built once per dialect: a statement built anew per join spent more CPU on its cache key
    than the database on the insert."""
    return (insert(_participants).values({name: bindparam(name) for name in NEW_PARTICIPANT})
            .on_conflict_do_nothing().returning(*_participants.c))


class SessionGone(NotFound):
    """The session was deleted after the phone connected (its participant's foreign key)."""


def insert_participant(db, values: dict):
    """The participant as stored by one `INSERT … ON CONFLICT DO NOTHING RETURNING` (every
    column), or None when a copy of the same join was stored first. `values`: the columns of
    a new phone's participant; the others take the model's defaults here. Every unique
    constraint is a conflict, so an integrity error can only be the session's foreign key."""
    now = utcnow()
    values = {"proxy": False, "joined_at": now, "last_seen_at": now, **values}
    dialect = _dialect(db)
    try:
        return _first(db, _insert_of(DIALECT_INSERTS[dialect.name]), values)
    except (IntegrityError, dialect.dbapi.IntegrityError):
        raise SessionGone(f"session {values['session_id']} was deleted") from None


SET_TOKEN_HASH = update(_participants).where(_participants.c.id == bindparam("participant_id")).values(
    token_hash=bindparam("token_hash"))


def set_token_hash(db, participant_id: int, token_hash: str) -> None:
    values = {"participant_id": participant_id, "token_hash": token_hash}
    if isinstance(db, RawUnit):
        db.execute(SET_TOKEN_HASH, values)
    else:
        db.connection().execute(SET_TOKEN_HASH, values)


def ideas_of(db, session_id: str, criterion: str | None) -> list:
    """A criterion's ideas, most upvoted first, with the columns `ideas.idea_view` reads."""
    if criterion is None:
        return []
    return _all(db, IDEAS_OF, {"session_id": session_id, "criterion": criterion})


def _dialect(db):
    return db.dialect if isinstance(db, RawUnit) else db.get_bind().dialect


# A returning phone's own part of its snapshot: its vote, its checklist answers, its upvotes.
_votes, _answers, _upvotes = Vote.__table__, ChecklistAnswer.__table__, IdeaUpvote.__table__
MY_VOTE = select(_votes.c.round_id, _votes.c.level, _votes.c.not_sure, _votes.c.note).where(
    _votes.c.round_id == bindparam("round_id"), _votes.c.participant_id == bindparam("participant_id"))
MY_ANSWERS = select(_answers.c.line_id, _answers.c.answer).where(
    _answers.c.round_id == bindparam("round_id"),
    _answers.c.participant_id == bindparam("participant_id")).order_by(_answers.c.line_id)
MY_UPVOTES = select(_upvotes.c.idea_id).where(_upvotes.c.participant_id == bindparam("participant_id"))


def _all(db, statement, values: dict) -> list:
    if isinstance(db, RawUnit):
        return db.all(statement, values)
    return list(db.connection().execute(statement, values))


def my_vote(db, round_id: int, participant_id: int):
    return _first(db, MY_VOTE, {"round_id": round_id, "participant_id": participant_id})


def my_answers(db, round_id: int, participant_id: int) -> dict[str, str]:
    return dict(_all(db, MY_ANSWERS, {"round_id": round_id, "participant_id": participant_id}))


def my_upvotes(db, participant_id: int) -> set[int]:
    return {row[0] for row in _all(db, MY_UPVOTES, {"participant_id": participant_id})}
