"""Every session at a glance, for the dashboard and `sessions list`: one query, whatever their number.

Participants and decided criteria are counted by grouped subqueries joined to the sessions,
never by a query per session; the frozen framework (large JSON) is not loaded.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...store.models import Decision, Participant, WorkshopSession


@dataclass(frozen=True)
class SessionRow:
    id: str
    title: str
    organization: str
    held_on: date | None
    framework_id: str
    status: str
    language: str
    join_code: str
    created_at: datetime
    participants: int
    decided: int
    agenda_size: int

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "organization": self.organization,
            "held_on": self.held_on.isoformat() if self.held_on else None,
            "framework": self.framework_id, "status": self.status, "language": self.language,
            "join_code": self.join_code, "participants": self.participants,
            "decided": self.decided, "agenda": self.agenda_size,
        }


def session_rows(db: Session) -> list[SessionRow]:
    """All sessions, newest workshop date first, with their counts (one SQL statement)."""
    people = (
        select(Participant.session_id, func.count().label("n"))
        .where(Participant.observer.is_(False), Participant.proxy.is_(False))
        .group_by(Participant.session_id)
        .subquery()
    )
    decided = (
        select(Decision.session_id, func.count(func.distinct(Decision.criterion_code)).label("n"))
        .where(Decision.undone_at.is_(None))
        .group_by(Decision.session_id)
        .subquery()
    )
    statement = (
        select(
            WorkshopSession.id, WorkshopSession.title, WorkshopSession.organization,
            WorkshopSession.held_on, WorkshopSession.framework_id, WorkshopSession.status,
            WorkshopSession.language, WorkshopSession.join_code, WorkshopSession.created_at,
            WorkshopSession.agenda,
            func.coalesce(people.c.n, 0), func.coalesce(decided.c.n, 0),
        )
        .outerjoin(people, people.c.session_id == WorkshopSession.id)
        .outerjoin(decided, decided.c.session_id == WorkshopSession.id)
        .order_by(WorkshopSession.held_on.is_(None), WorkshopSession.held_on.desc(),
                  WorkshopSession.created_at.desc())
    )
    rows = []
    for (sid, title, organization, held_on, framework_id, status, language, code, created,
         agenda, participants, decided_count) in db.execute(statement):
        rows.append(SessionRow(sid, title, organization, held_on, framework_id, status, language,
                               code, created, int(participants), int(decided_count),
                               len(agenda or [])))
    return rows
