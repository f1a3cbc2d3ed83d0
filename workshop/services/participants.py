"""Who is in the room: phones that join (a random token, only its hash stored), observers,
and proxies the facilitator adds for people without a phone.

Both `join` and `add_proxy` carry a client key, random per request, kept hashed with the
participant (unique per session): a resent copy finds the participant the first copy made. A
phone's token is derived from the server's secret and its join key, so the resent copy answers
with the same token.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import limits
from ..store.keys import derived_token, hash_token, new_token
from ..store import phones
from ..store.models import Participant, WorkshopSession
from ..store.votes import dialect_insert
from .errors import LiveError, invalid

NAME_LIMIT = limits.PARTICIPANT_NAME
TOKEN_LIMIT = 64


@dataclass(frozen=True)
class Joined:
    participant: Participant  # or its row (store/phones.py): the same attributes, read only
    token: str
    # Made by this very join: it has no vote, answer or upvote yet (its snapshot skips those reads).
    new: bool = False


def _clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    name = " ".join(name.split())
    if len(name) > NAME_LIMIT:
        raise invalid("name", f"at most {NAME_LIMIT} characters")
    return name or None


def _check_role(session: WorkshopSession, role: str | None) -> str | None:
    if role is None or role == "":
        return None
    if role not in (session.settings.get("roles") or []):
        raise invalid("role", "not one of the roles this session offers")
    return role


def _key_hash(kind: str, client_key: str) -> str:
    """Phones' and proxies' keys never match each other: a phone cannot claim a proxy."""
    return hash_token(f"{kind}:{client_key}")


def _by_key(db: Session, session_id: str, key_hash: str) -> Participant | None:
    return db.scalar(select(Participant).where(Participant.session_id == session_id,
                                               Participant.client_key_hash == key_hash))


def _insert_once(db: Session, participant: Participant) -> Participant | None:
    """The participant as stored by one `INSERT … ON CONFLICT DO NOTHING` (no savepoint, no
    flush); None when a copy sent at the same time was stored first."""
    table = Participant.__table__
    values = {column.key: value for column in table.columns
              if (value := getattr(participant, column.key)) is not None}
    statement = dialect_insert(db)(Participant).values(values).on_conflict_do_nothing().returning(Participant)
    return db.scalars(statement, execution_options={"populate_existing": True}).one_or_none()


def _add_once(db: Session, participant: Participant) -> Participant:
    """Insert, or (when a copy sent at the same time won the race) return the one stored."""
    return _insert_once(db, participant) or _stored_by_key(db, participant.session_id,
                                                           participant.client_key_hash)


def _stored_by_key(db: Session, session_id: str, key_hash: str) -> Participant:
    """The participant whose insert just lost to a copy of the same request."""
    found = _by_key(db, session_id, key_hash)
    if found is None:  # the clash was on the token itself, which a random key makes vanishingly rare
        raise LiveError("server_error", "participant not stored")
    return found


def rejoin(db, session: WorkshopSession, *, client_key: str, secret_key: str) -> Joined | None:
    """The participant an earlier copy of this join made, with its token, when nothing about it
    needs writing (read only); None when `join` must run."""
    token = derived_token(secret_key, "join", session.id, client_key)
    found = phones.participant_by_key(db, session.id, _key_hash("join", client_key))
    if found is None or found.token_hash != hash_token(token):
        return None
    return Joined(found, token)


def join(db, session: WorkshopSession, *, client_key: str, secret_key: str,
         name: str | None = None, role: str | None = None, observer: bool = False) -> Joined:
    """A new participant, or the one an earlier copy of this join (same client key) made, with
    the same token; in an anonymous session the name is dropped, never stored. The insert comes
    first (the caller's `rejoin` has just looked the key up): a copy stored before it is found
    after it."""
    token = derived_token(secret_key, "join", session.id, client_key)
    key_hash = _key_hash("join", client_key)
    name = _clean_name(name)
    role = _check_role(session, role)
    if session.settings.get("anonymous", True):
        name = None
    try:
        made = phones.insert_participant(db, dict(
            session_id=session.id, token_hash=hash_token(token), name=name, role=role,
            observer=bool(observer), client_key_hash=key_hash))
    except phones.SessionGone:
        raise LiveError("not_found", "this session was deleted", field="session") from None
    if made is not None:
        return Joined(made, token, new=True)
    found = phones.participant_by_key(db, session.id, key_hash)  # a copy was stored first
    if found is None:  # the clash was on the token itself, which a random key makes vanishingly rare
        raise LiveError("server_error", "participant not stored")
    if found.token_hash != hash_token(token):  # the server's secret changed since
        phones.set_token_hash(db, found.id, hash_token(token))
    return Joined(found, token)


def find_by_token(db, session_id: str, token: object) -> Participant | None:
    """The participant a phone's token stands for in this session, or None."""
    if not isinstance(token, str) or not 8 <= len(token) <= TOKEN_LIMIT:
        return None
    return phones.participant_by_token(db, session_id, hash_token(token))


def add_proxy(db: Session, session: WorkshopSession, *, name: str, client_key: str,
              role: str | None = None) -> Participant:
    """Someone without a phone, whose votes the facilitator records; kept even when anonymous
    (the facilitator must tell proxies apart), never shown to the projector or phones. A resent
    copy (same client key) returns the proxy the first one added."""
    key_hash = _key_hash("proxy", client_key)
    found = _by_key(db, session.id, key_hash)
    if found is not None:
        return found
    cleaned = _clean_name(name)
    if not cleaned:
        raise invalid("name", "a proxy needs a name")
    return _add_once(db, Participant(
        session_id=session.id, token_hash=hash_token(new_token()), name=cleaned,
        role=_check_role(session, role), proxy=True, client_key_hash=key_hash))


def proxy_of(db: Session, session_id: str, participant_id: int) -> Participant:
    found = db.get(Participant, participant_id)
    if found is None or found.session_id != session_id or not found.proxy:
        raise LiveError("not_found", "not a proxy of this session", field="participant_id")
    return found


def proxies(db: Session, session_id: str) -> list[Participant]:
    return list(db.scalars(select(Participant).where(
        Participant.session_id == session_id, Participant.proxy.is_(True)).order_by(Participant.id)))


def proxy_count(db: Session, session_id: str) -> int:
    """How many proxies the facilitator added (they count as present)."""
    return db.scalar(select(func.count()).select_from(Participant).where(
        Participant.session_id == session_id, Participant.proxy.is_(True))) or 0


def me(participant: Participant) -> dict:
    return {"id": participant.id, "name": participant.name, "role": participant.role,
            "observer": participant.observer}
