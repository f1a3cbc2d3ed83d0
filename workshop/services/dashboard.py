"""Every session at a glance, for the dashboard and `sessions list`: one query, whatever their number.

Participants and decided criteria are counted by grouped subqueries joined to the sessions,
never by a query per session; the frozen framework (large JSON) is not loaded.
`compare_sessions` sets two sessions of the same framework side by side: per criterion the
agreed level and target then and now, per category the mean agreed level then and now.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.framework import Framework, Text
from ..errors import Refused
from ..store.models import Decision, Participant, WorkshopSession
from .lookups import framework_of


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


# --- two sessions side by side -------------------------------------------------------------


class NotComparable(Refused):
    """Two sessions that cannot be compared; `code` says why (missing, same, frameworks)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code, code)
        self.detail = detail


@dataclass(frozen=True)
class Side:
    """One of the two sessions, as the comparison names it."""
    id: str
    title: str
    held_on: date | None
    framework_version: str


@dataclass(frozen=True)
class Levels:
    agreed: int | None
    target: int | None


@dataclass(frozen=True)
class CriterionChange:
    code: str
    title: Text
    category_code: str
    then: Levels | None  # None: not decided in the earlier session
    now: Levels | None

    @property
    def decided_in(self) -> str:
        """"both", "then" (only the earlier session), "now" (only the later one) or "neither"."""
        if self.then and self.now:
            return "both"
        return "then" if self.then else "now" if self.now else "neither"

    @property
    def change(self) -> str | None:
        return direction(self.then and self.then.agreed, self.now and self.now.agreed)

    @property
    def target_change(self) -> str | None:
        return direction(self.then and self.then.target, self.now and self.now.target)


@dataclass(frozen=True)
class CategoryChange:
    code: str
    title: Text
    mean_then: float | None
    mean_now: float | None
    decided_then: int
    decided_now: int

    @property
    def change(self) -> str | None:
        return direction(self.mean_then, self.mean_now)


@dataclass(frozen=True)
class Comparison:
    framework: Framework  # the later session's copy: its titles label the rows
    then: Side
    now: Side
    criteria: tuple[CriterionChange, ...]
    categories: tuple[CategoryChange, ...]


def direction(before: float | None, after: float | None) -> str | None:
    """"up", "down" or "same"; None when either side has no value."""
    if before is None or after is None:
        return None
    if abs(after - before) < 1e-9:
        return "same"
    return "up" if after > before else "down"


def compare_sessions(db: Session, first_id: str, second_id: str) -> Comparison:
    """The earlier session (by date, then creation) against the later; raises NotComparable."""
    if first_id == second_id:
        raise NotComparable("same")
    found = {s.id: s for s in db.scalars(select(WorkshopSession)
                                         .where(WorkshopSession.id.in_([first_id, second_id])))}
    missing = [sid for sid in (first_id, second_id) if sid not in found]
    if missing:
        raise NotComparable("missing", ", ".join(missing))
    then, now = sorted(found.values(), key=_when)
    if then.framework_id != now.framework_id:
        raise NotComparable("frameworks", f"{then.framework_id} / {now.framework_id}")
    decided = _decisions_in_force(db, (then.id, now.id))
    frameworks = (framework_of(db, then.id), framework_of(db, now.id))
    criteria = _criteria(then, now, frameworks, decided)
    return Comparison(
        framework=frameworks[1],
        then=Side(then.id, then.title, then.held_on, frameworks[0].version),
        now=Side(now.id, now.title, now.held_on, frameworks[1].version),
        criteria=criteria, categories=_categories(frameworks[1], criteria))


def _when(session: WorkshopSession) -> tuple:
    return (session.held_on or session.created_at.date(), session.created_at)


def _decisions_in_force(db: Session, ids: tuple[str, str]) -> dict[str, dict[str, Levels]]:
    """Per session, per criterion: the levels of the newest decision not undone (one query)."""
    found: dict[str, dict[str, Levels]] = {sid: {} for sid in ids}
    rows = db.execute(select(Decision.session_id, Decision.criterion_code, Decision.agreed_level,
                             Decision.target_level)
                      .where(Decision.session_id.in_(ids), Decision.undone_at.is_(None))
                      .order_by(Decision.id))
    for session_id, code, agreed, target in rows:
        found[session_id][code] = Levels(agreed, target)
    return found


def _criteria(then: WorkshopSession, now: WorkshopSession, frameworks: tuple[Framework, Framework],
              decided: dict[str, dict[str, Levels]]) -> tuple[CriterionChange, ...]:
    """Every criterion on either agenda or decided in either session, in framework order."""
    wanted = set(then.agenda or []) | set(now.agenda or []) | set(decided[then.id]) | set(decided[now.id])
    rows, seen = [], set()
    for framework in (frameworks[1], frameworks[0]):  # the later framework's order first
        for criterion in framework.criteria():
            if criterion.code in wanted and criterion.code not in seen:
                seen.add(criterion.code)
                rows.append(CriterionChange(
                    code=criterion.code, title=criterion.title,
                    category_code=framework.category_of(criterion.code).code,
                    then=decided[then.id].get(criterion.code),
                    now=decided[now.id].get(criterion.code)))
    return tuple(rows)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _categories(framework: Framework,
                criteria: tuple[CriterionChange, ...]) -> tuple[CategoryChange, ...]:
    found = []
    for category in framework.categories:
        mine = [c for c in criteria if c.category_code == category.code]
        if not mine:
            continue
        before = [c.then.agreed for c in mine if c.then and c.then.agreed is not None]
        after = [c.now.agreed for c in mine if c.now and c.now.agreed is not None]
        found.append(CategoryChange(category.code, category.title, _mean(before), _mean(after),
                                    len(before), len(after)))
    return tuple(found)
