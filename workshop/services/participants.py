"""Who is in the room: phones that join (a random token, only its hash stored), observers,
and proxies the facilitator adds for people without a phone.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.keys import hash_token, new_token
from ..store.models import Participant, WorkshopSession
from .errors import LiveError, invalid

NAME_LIMIT = 60
TOKEN_LIMIT = 64


@dataclass(frozen=True)
class Joined:
    participant: Participant
    token: str


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


def join(db: Session, session: WorkshopSession, *, name: str | None = None,
         role: str | None = None, observer: bool = False) -> Joined:
    """A new participant; in an anonymous session the name is dropped, never stored."""
    name = _clean_name(name)
    role = _check_role(session, role)
    if session.settings.get("anonymous", True):
        name = None
    token = new_token()
    participant = Participant(session_id=session.id, token_hash=hash_token(token), name=name,
                              role=role, observer=bool(observer))
    db.add(participant)
    db.flush()
    return Joined(participant, token)


def find_by_token(db: Session, session_id: str, token: object) -> Participant | None:
    """The participant a phone's token stands for in this session, or None."""
    if not isinstance(token, str) or not 8 <= len(token) <= TOKEN_LIMIT:
        return None
    return db.scalar(select(Participant).where(
        Participant.session_id == session_id, Participant.token_hash == hash_token(token)))


def add_proxy(db: Session, session: WorkshopSession, *, name: str, role: str | None = None) -> Participant:
    """Someone without a phone, whose votes the facilitator records; kept even when anonymous
    (the facilitator must tell proxies apart), never shown to the projector or phones."""
    cleaned = _clean_name(name)
    if not cleaned:
        raise invalid("name", "a proxy needs a name")
    participant = Participant(session_id=session.id, token_hash=hash_token(new_token()),
                              name=cleaned, role=_check_role(session, role), proxy=True)
    db.add(participant)
    db.flush()
    return participant


def proxy_of(db: Session, session_id: str, participant_id: int) -> Participant:
    found = db.get(Participant, participant_id)
    if found is None or found.session_id != session_id or not found.proxy:
        raise LiveError("not_found", "not a proxy of this session", field="participant_id")
    return found


def proxies(db: Session, session_id: str) -> list[Participant]:
    return list(db.scalars(select(Participant).where(
        Participant.session_id == session_id, Participant.proxy.is_(True)).order_by(Participant.id)))


def me(participant: Participant) -> dict:
    return {"id": participant.id, "name": participant.name, "role": participant.role,
            "observer": participant.observer}
