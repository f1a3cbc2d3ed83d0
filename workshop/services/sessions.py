"""Workshop sessions: create one from a framework, find it, and the links that open its screens.

A session freezes a copy of its framework when it is created, so later edits of the framework
file never change it. The facilitator and projector links carry keys derived (HMAC) from the
server's secret key, the session id and the session's link nonce: nothing secret is stored in
the database, the dashboard can show a link again, and a new nonce revokes the old links.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from copy import deepcopy
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain import limits
from ..domain.consensus import Thresholds
from ..domain.framework import Framework
from ..domain.session_settings import MAX_ROLES, RESULTS_MODES, ROLE_LIMIT
from ..errors import Refused
from ..domain.text import refusal
from ..store.keys import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, new_join_code
from ..store import phones
from ..store.models import Decision, Idea, Participant, PlanItem, Round, Vote, WorkshopSession
from .lookups import WITHOUT_FRAMEWORK

LINK_ROLES = ("facilitator", "projector")
TITLE_LIMIT = limits.SESSION_TITLE
JOIN_CODE_ATTEMPTS = 20


class SessionInvalid(Refused):
    """The settings given for a new session do not hold together; `problems` says each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SessionSettings:
    title: str
    organization: str = ""
    held_on: date | None = None
    language: str = "th"
    agenda: tuple[str, ...] = ()
    anonymous: bool = True
    roles: tuple[str, ...] = ()
    results_mode: str = "hidden"
    thresholds: Thresholds = Thresholds()

    def problems(self, framework: Framework) -> list[str]:
        found = []
        if not self.title.strip():
            found.append("title: a session needs a title")
        if len(self.title) > TITLE_LIMIT or len(self.organization) > TITLE_LIMIT:
            found.append(f"title/organization: at most {TITLE_LIMIT} characters")
        if self.language not in ("th", "en"):
            found.append("language: th or en")
        if self.results_mode not in RESULTS_MODES:
            found.append("results_mode: hidden or live")
        known = {criterion.code for criterion in framework.criteria()}
        unknown = [code for code in self.agenda if code not in known]
        if unknown:
            found.append(f"agenda: not criteria of {framework.id}: {', '.join(unknown)}")
        if len(set(self.agenda)) != len(self.agenda):
            found.append("agenda: a criterion appears twice")
        if len(self.roles) > MAX_ROLES or any(not r.strip() or len(r) > ROLE_LIMIT for r in self.roles):
            found.append(f"roles: at most {MAX_ROLES}, each 1-{ROLE_LIMIT} characters")
        for name, texts in (("title", [self.title]), ("organization", [self.organization]),
                            ("roles", list(self.roles))):
            found += [f"{name}: {why}" for why in dict.fromkeys(filter(None, map(refusal, texts)))]
        return found


def create_session(db: Session, framework: Framework, settings: SessionSettings) -> WorkshopSession:
    """Create a session holding a frozen copy of the framework; raises SessionInvalid."""
    problems = settings.problems(framework)
    if problems:
        raise SessionInvalid(problems)
    agenda = list(settings.agenda) or [criterion.code for criterion in framework.criteria()]
    session = WorkshopSession(
        title=settings.title.strip(),
        organization=settings.organization.strip(),
        held_on=settings.held_on,
        language=settings.language,
        framework=framework.to_dict(),
        framework_id=framework.id,
        agenda=agenda,
        link_nonce=secrets.token_urlsafe(12),
        current_criterion=agenda[0],
        settings={
            "anonymous": settings.anonymous,
            "roles": [role.strip() for role in settings.roles],
            "results_mode": settings.results_mode,
            "thresholds": settings.thresholds.to_dict(),
        },
    )
    return _add_with_free_join_code(db, session)


def _add_with_free_join_code(db: Session, session: WorkshopSession) -> WorkshopSession:
    for _ in range(JOIN_CODE_ATTEMPTS):
        session.join_code = new_join_code()
        try:
            with db.begin_nested():
                db.add(session)
            return session
        except IntegrityError:
            db.expunge(session)
    raise RuntimeError("could not find a free join code")


def duplicate_session(db: Session, source: WorkshopSession, title_suffix: str) -> WorkshopSession:
    """Next year's session made from `source`: its framework copy, agenda, settings and roles.

    The title gets `title_suffix`; the date is cleared; the copy starts as a draft with a new
    id, join code and links. Nothing that happened in the room is copied: no participants,
    rounds, votes, decisions, ideas or plan items.
    """
    suffix = f" {title_suffix.strip()}" if title_suffix.strip() else ""
    title = source.title[:TITLE_LIMIT - len(suffix)].rstrip() + suffix
    agenda = list(source.agenda or [])
    copy = WorkshopSession(
        title=title, organization=source.organization, held_on=None, language=source.language,
        framework=deepcopy(source.framework), framework_id=source.framework_id, agenda=agenda,
        settings=deepcopy(source.settings or {}), status="draft",
        link_nonce=secrets.token_urlsafe(12), current_criterion=agenda[0] if agenda else None,
    )
    return _add_with_free_join_code(db, copy)


def delete_session(db: Session, session_id: str) -> bool:
    """Delete a session and, through the database's cascades, everything that happened in it:
    participants, rounds, votes, decisions, ideas and upvotes, plan items, indicators. Its links and join
    code stop working at once. False when there was no such session."""
    session = get(db, session_id)
    if session is None:
        return False
    db.delete(session)
    db.flush()
    return True


def what_a_delete_removes(db, *session_ids: str) -> dict[str, int]:
    """How many rows of each kind the delete removes (shown before it happens)."""
    def count(model, *where):
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0
    return {
        "participants": count(Participant, Participant.session_id.in_(session_ids)),
        "votes": db.scalar(select(func.count()).select_from(Vote).join(Round)
                           .where(Round.session_id.in_(session_ids))) or 0,
        "decisions": db.scalar(select(func.count()).select_from(
            select(Decision.session_id, Decision.criterion_code).distinct()
            .where(Decision.session_id.in_(session_ids), Decision.undone_at.is_(None))
            .subquery())) or 0,
        "ideas": count(Idea, Idea.session_id.in_(session_ids)),
        "plan_items": count(PlanItem, PlanItem.session_id.in_(session_ids)),
    }


def thresholds(session: WorkshopSession) -> Thresholds:
    return Thresholds.from_dict(session.settings.get("thresholds") or {})


def get(db: Session, session_id: str) -> WorkshopSession | None:
    if not isinstance(session_id, str) or len(session_id) > 64:
        return None
    return db.get(WorkshopSession, session_id)


def normalize_join_code(code: object) -> str | None:
    """Upper-case and strip a typed code; None when it cannot be a join code."""
    if not isinstance(code, str):
        return None
    cleaned = "".join(code.split()).upper()
    if not 4 <= len(cleaned) <= 12 or any(ch not in JOIN_CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def full_join_code(typed: object) -> str | None:
    """What was typed as a complete join code (as the projector shows it), else None."""
    code = normalize_join_code(typed)
    return code if code is not None and len(code) == JOIN_CODE_LENGTH else None


def find_by_join_code(db: Session, code: object) -> WorkshopSession | None:
    cleaned = normalize_join_code(code)
    if cleaned is None:
        return None
    return db.scalar(select(WorkshopSession).options(WITHOUT_FRAMEWORK)
                     .where(WorkshopSession.join_code == cleaned))


def facts_by_join_code(db: Session, code: object):
    """What a phone's socket keeps of the session a join code opens (id, title, organization,
    held_on, language, settings, join_code: none of it changes once the session exists), as
    one light row; None when the code opens none."""
    cleaned = normalize_join_code(code)
    return None if cleaned is None else phones.session_by_code(db, cleaned)


def link_key(secret_key: str, session: WorkshopSession, role: str) -> str:
    """The key in a facilitator or projector link."""
    if role not in LINK_ROLES:
        raise ValueError(f"no link key for role {role!r}")
    message = f"{role}:{session.id}:{session.link_nonce}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def key_matches(secret_key: str, session: WorkshopSession, role: str, offered: object) -> bool:
    if not isinstance(offered, str) or len(offered) > 64:
        return False
    return hmac.compare_digest(link_key(secret_key, session, role), offered)


def renew_links(session: WorkshopSession) -> None:
    """Revoke the facilitator and projector links: the next ones carry new keys."""
    session.link_nonce = secrets.token_urlsafe(12)


def links(session: WorkshopSession, base_url: str, secret_key: str) -> dict[str, str]:
    """Every link and code an organizer hands out for this session."""
    return {
        "join": f"{base_url}/j/{session.join_code}",
        "join_code": session.join_code,
        "qr": f"{base_url}/qr/{session.join_code}.svg",
        "facilitator": f"{base_url}/facilitate/{session.id}/{link_key(secret_key, session, 'facilitator')}",
        "projector": f"{base_url}/projector/{session.id}/{link_key(secret_key, session, 'projector')}",
    }


def recent_unfinished(db: Session, limit: int = 5) -> list[WorkshopSession]:
    """The newest sessions not ended yet: the ones a facilitator may be about to run."""
    return list(db.scalars(select(WorkshopSession).where(WorkshopSession.status != "ended")
                           .order_by(WorkshopSession.created_at.desc()).limit(limit)))
