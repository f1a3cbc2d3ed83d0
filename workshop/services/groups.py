"""A workshop run as several working groups at once: create it, find it, its plenary link, and
every group's progress for the organizer's live page.

A group IS a session (`WorkshopSession`): its own agenda, join code, QR, facilitator and
projector links and live rooms, so the live layer needs nothing new. The parent `Workshop`
record only ties the groups together, names them, and carries the plenary view's position and
link nonce. All groups share one framework (the merge compares their decisions criterion by
criterion); settling and merging live in services/merge.py.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import limits
from ..domain.framework import Framework
from ..store.models import Decision, Participant, Round, Workshop, WorkshopSession
from . import sessions as session_service
from .sessions import SessionInvalid, SessionSettings

GROUP_NAME_LIMIT = limits.GROUP_NAME
MIN_GROUPS, MAX_GROUPS = 2, 12
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class GroupSpec:
    """One working group as the organizer typed it: a name and its agenda (category codes
    such as "2" stand for every criterion of the category)."""
    name: str
    agenda: tuple[str, ...]


def expand_agenda(framework: Framework, codes: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The criterion codes a group's agenda names, in the order typed (a category expands to
    its criteria), and the codes that are neither a category nor a criterion."""
    categories = {category.code: category for category in framework.categories}
    known = {criterion.code for criterion in framework.criteria()}
    found, unknown = [], []
    for code in codes:
        if code in known:
            wanted = [code]
        elif code in categories:
            wanted = [criterion.code for criterion in categories[code].criteria]
        else:
            unknown.append(code)
            continue
        found.extend(c for c in wanted if c not in found)
    return found, unknown


def group_problems(framework: Framework, groups: list[GroupSpec]) -> list[str]:
    """Everything wrong with the groups typed, all at once (empty when they hold together)."""
    found = []
    if not MIN_GROUPS <= len(groups) <= MAX_GROUPS:
        found.append(f"groups: from {MIN_GROUPS} to {MAX_GROUPS} working groups")
    names = [group.name.strip() for group in groups]
    if any(not name or len(name) > GROUP_NAME_LIMIT or CONTROL.search(name) for name in names):
        found.append(f"groups: each group needs a name of 1-{GROUP_NAME_LIMIT} characters")
    if len({name.casefold() for name in names}) != len(names):
        found.append("groups: two groups have the same name")
    for group in groups:
        agenda, unknown = expand_agenda(framework, group.agenda)
        if unknown:
            found.append(f"groups: {group.name}: not categories or criteria of {framework.id}: "
                         f"{', '.join(unknown)}")
        elif not agenda:
            found.append(f"groups: {group.name}: an agenda needs at least one category or item")
    return found


def create_workshop(db: Session, framework: Framework, settings: SessionSettings,
                    groups: list[GroupSpec]) -> Workshop:
    """A workshop and one session per group (same framework, settings and roles, each with its
    own agenda, code and links); raises SessionInvalid, creating nothing, when anything is wrong."""
    problems = settings.problems(framework) + group_problems(framework, groups)
    if problems:
        raise SessionInvalid(problems)
    workshop = Workshop(title=settings.title.strip(), organization=settings.organization.strip(),
                        held_on=settings.held_on, language=settings.language,
                        framework_id=framework.id, link_nonce=secrets.token_urlsafe(12),
                        plenary_position=0)
    db.add(workshop)
    db.flush()
    for group in groups:
        agenda, _ = expand_agenda(framework, group.agenda)
        name = group.name.strip()
        title = f"{settings.title.strip()[:session_service.TITLE_LIMIT - len(name) - 3]} — {name}"
        session = session_service.create_session(
            db, framework, replace(settings, title=title, agenda=tuple(agenda)))
        session.workshop_id, session.group_name = workshop.id, name
    db.flush()
    db.refresh(workshop)
    return workshop


def get(db: Session, workshop_id: object) -> Workshop | None:
    if not isinstance(workshop_id, str) or len(workshop_id) > 64:
        return None
    return db.get(Workshop, workshop_id)


def delete_workshop(db: Session, workshop_id: str) -> bool:
    """Delete a workshop with every group (each a session, with everything that happened in
    it, as `sessions.delete_session`), its settlements and plenary link; other sessions stay.
    False when there was no such workshop."""
    workshop = get(db, workshop_id)
    if workshop is None:
        return False
    db.delete(workshop)  # its groups by the ORM's cascade, their rows by the database's
    db.flush()
    return True


def all_workshops(db: Session) -> list[Workshop]:
    return list(db.scalars(select(Workshop).order_by(Workshop.created_at.desc())))


# --- the plenary link ----------------------------------------------------------------------

def plenary_key(secret_key: str, workshop: Workshop) -> str:
    """The key in the plenary view's link (HMAC of the workshop id and its nonce, as the
    projector's link key is for a session)."""
    message = f"plenary:{workshop.id}:{workshop.link_nonce}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def plenary_key_matches(secret_key: str, workshop: Workshop, offered: object) -> bool:
    if not isinstance(offered, str) or len(offered) > 64:
        return False
    return hmac.compare_digest(plenary_key(secret_key, workshop), offered)


def renew_plenary_link(workshop: Workshop) -> None:
    """Revoke the plenary link: the next one carries a new key (the groups' links stay)."""
    workshop.link_nonce = secrets.token_urlsafe(12)


def plenary_link(workshop: Workshop, base_url: str, secret_key: str) -> str:
    return f"{base_url}/plenary/{workshop.id}/{plenary_key(secret_key, workshop)}"


# --- every group's progress ----------------------------------------------------------------

def progress(db: Session, workshop: Workshop, present=lambda session_id: None) -> list[dict]:
    """Per group: criteria decided of its agenda, participants joined (and present, when the
    caller knows presence), the current item and its latest round's number and state.

    Three grouped queries for the whole workshop, whatever the number of groups."""
    ids = [group.id for group in workshop.groups]
    joined = dict(db.execute(
        select(Participant.session_id, func.count())
        .where(Participant.session_id.in_(ids), Participant.observer.is_(False),
               Participant.proxy.is_(False))
        .group_by(Participant.session_id)).all())
    decided: dict[str, set[str]] = {sid: set() for sid in ids}
    for sid, code in db.execute(select(Decision.session_id, Decision.criterion_code)
                                .where(Decision.session_id.in_(ids), Decision.undone_at.is_(None))
                                .where(Decision.agreed_level.is_not(None)).distinct()):
        decided[sid].add(code)
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for sid, code, number, state in db.execute(
            select(Round.session_id, Round.criterion_code, Round.number, Round.state)
            .where(Round.session_id.in_(ids)).order_by(Round.number)):
        latest[(sid, code)] = (number, state)
    rows = []
    for group in workshop.groups:
        agenda = list(group.agenda or [])
        current = group.current_criterion
        number, state = latest.get((group.id, current or ""), (None, None))
        rows.append({
            "id": group.id, "name": group.group_name, "status": group.status,
            "agenda": len(agenda), "decided": len(decided[group.id] & set(agenda)),
            "decided_off_agenda": len(decided[group.id] - set(agenda)),
            "joined": int(joined.get(group.id, 0)), "present": present(group.id),
            "current": current, "round": None if number is None else {"number": number,
                                                                       "state": state},
        })
    return rows
