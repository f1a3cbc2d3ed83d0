"""Import a session's JSON archive (written by exports/archive.py) into this server.

`import_archive(store, data, new_id=False)` validates the WHOLE file first (see
exports/archive_format.py), then writes every row in one transaction: either the session is there
afterwards, complete, or nothing was written. The session keeps its id unless `new_id`
(then it gets a new id and a new join code); an id that exists already is refused with
`SessionExists`. Phones get fresh random tokens: archives carry no phone secrets.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..store.db import Store
from ..store.keys import hash_token, new_join_code, new_session_id, new_token
from ..store.models import (ChecklistAnswer, Decision, Idea, IdeaUpvote, IndicatorRow, Participant,
                            PlanItem, Round, Vote, WorkshopSession)
from ..exports.archive_format import Archive, ArchiveRefused, parse_archive

JOIN_CODE_ATTEMPTS = 20


class SessionExists(ArchiveRefused):
    """The archive's session id is taken on this server."""


@dataclass(frozen=True)
class Imported:
    session_id: str
    join_code: str
    renamed: bool  # a new id was asked for
    new_join_code: bool  # the join code changed (asked for, or taken here by another session)


def import_archive(store: Store, data: bytes, *, new_id: bool = False) -> Imported:
    """Restore an archive into this server; ArchiveRefused (or SessionExists) says why not."""
    archive = parse_archive(data)
    try:
        with store.session() as db:
            return _write(db, archive, new_id)
    except IntegrityError:
        # Another import of the same id won the race between our check and our insert.
        raise SessionExists(_exists_message(archive.session.id)) from None


def _exists_message(session_id: str) -> str:
    return (f"session {session_id} exists on this server already; nothing was imported. "
            "Import it as a new session (a new id and join code) with --new-id.")


def _free_join_code(db: Session, wanted: str | None) -> str:
    taken = lambda code: db.scalar(select(WorkshopSession.id)  # noqa: E731
                                   .where(WorkshopSession.join_code == code)) is not None
    if wanted and not taken(wanted):
        return wanted
    for _ in range(JOIN_CODE_ATTEMPTS):
        code = new_join_code()
        if not taken(code):
            return code
    raise RuntimeError("could not find a free join code")


def _write(db: Session, archive: Archive, new_id: bool) -> Imported:
    fields = archive.session
    session_id = new_session_id() if new_id else fields.id
    if db.get(WorkshopSession, session_id) is not None:
        raise SessionExists(_exists_message(session_id))
    join_code = _free_join_code(db, None if new_id else fields.join_code)
    session = WorkshopSession(
        id=session_id, title=fields.title, organization=fields.organization,
        held_on=fields.held_on, language=fields.language, settings=fields.settings.stored(),
        framework=archive.framework, framework_id=fields.framework_id,
        agenda=list(fields.agenda), join_code=join_code,
        link_nonce=secrets.token_urlsafe(12), status=fields.status,
        current_criterion=fields.current_criterion, ideas_open_for=fields.ideas_open_for,
        created_at=fields.created_at, updated_at=fields.updated_at,
    )
    db.add(session)
    db.flush()
    people = _participants(db, archive, session_id)
    rounds = _rounds(db, archive, session_id, people)
    if fields.explain_round is not None:
        session.explain_round_id = rounds[fields.explain_round].id
    db.add_all(_decisions(archive, session_id, rounds))
    _ideas(db, archive, session_id, people)
    db.add_all(_plan_items(archive, session_id))
    db.add_all(IndicatorRow(session_id=session_id, criterion_code=i.criterion_code,
                            position=i.position, name=i.name, unit=i.unit, direction=i.direction,
                            target=i.target, values=dict(i.values), created_at=i.created_at,
                            updated_at=i.updated_at) for i in archive.indicators)
    db.flush()
    # Set last: the flushes above would otherwise stamp updated_at with the import time.
    db.execute(WorkshopSession.__table__.update()
               .where(WorkshopSession.id == session_id).values(updated_at=fields.updated_at))
    return Imported(session_id, join_code, new_id, join_code != fields.join_code)


def _participants(db: Session, archive: Archive, session_id: str) -> dict[int, Participant]:
    people = {p.id: Participant(session_id=session_id, token_hash=hash_token(new_token()),
                                name=p.name, role=p.role, observer=p.observer, proxy=p.proxy,
                                joined_at=p.joined_at, last_seen_at=p.last_seen_at)
              for p in archive.participants}
    db.add_all(people.values())
    db.flush()
    return people


def _rounds(db: Session, archive: Archive, session_id: str,
            people: dict[int, Participant]) -> dict[int, Round]:
    rounds = {r.id: Round(session_id=session_id, criterion_code=r.criterion_code,
                          number=r.number, state=r.state, opened_at=r.opened_at,
                          closed_at=r.closed_at, revealed_at=r.revealed_at, kind=r.kind,
                          lines=r.lines)
              for r in archive.rounds}
    db.add_all(rounds.values())
    db.flush()
    db.add_all(Vote(round_id=rounds[r.id].id, participant_id=people[v.participant].id,
                    level=v.level, not_sure=v.not_sure, note=v.note, reason=v.reason,
                    on_behalf=v.on_behalf, created_at=v.created_at, updated_at=v.updated_at)
               for r in archive.rounds for v in r.votes)
    db.add_all(ChecklistAnswer(round_id=rounds[r.id].id, participant_id=people[a.participant].id,
                               line_id=a.line, answer=a.answer, created_at=a.updated_at,
                               updated_at=a.updated_at)
               for r in archive.rounds for a in r.answers)
    return rounds


def _decisions(archive: Archive, session_id: str, rounds: dict[int, Round]) -> list[Decision]:
    return [Decision(session_id=session_id, criterion_code=d.criterion_code,
                     agreed_level=d.agreed_level, target_level=d.target_level,
                     importance=d.importance, note=d.note, decided_by=d.decided_by,
                     decided_at=d.decided_at,
                     round_id=None if d.round is None else rounds[d.round].id,
                     undone_at=d.undone_at, proposed_from=d.proposed_from)
            for d in archive.decisions]


def _ideas(db: Session, archive: Archive, session_id: str,
           people: dict[int, Participant]) -> None:
    ideas = {i.id: Idea(session_id=session_id, criterion_code=i.criterion_code, text=i.text,
                        participant_id=None if i.participant is None else people[i.participant].id,
                        upvotes=i.upvotes, hidden=i.hidden, created_at=i.created_at,
                        kind=i.kind, kept=i.kept)
             for i in archive.ideas}
    db.add_all(ideas.values())
    db.flush()
    for i in archive.ideas:
        if i.merged_into is not None:
            ideas[i.id].merged_into = ideas[i.merged_into].id
    db.add_all(IdeaUpvote(idea_id=ideas[i.id].id, participant_id=people[u.participant].id,
                          created_at=u.created_at)
               for i in archive.ideas for u in i.upvoted_by)


def _plan_items(archive: Archive, session_id: str) -> list[PlanItem]:
    return [PlanItem(session_id=session_id, criterion_code=p.criterion_code,
                     position=p.position, owner=p.owner,
                     actions=[a if isinstance(a, str) else a.model_dump(exclude_unset=True)
                              for a in p.actions],
                     start_quarter=p.start_quarter, end_quarter=p.end_quarter,
                     indicator=p.indicator, target_value=p.target_value,
                     budget_note=p.budget_note, status=p.status, out_of_scope=p.out_of_scope,
                     updated_at=p.updated_at, ofi=p.ofi, objective=p.objective, project=p.project,
                     owner_person=p.owner_person, budget_amount=p.budget_amount,
                     budget_source=p.budget_source, evidence=p.evidence,
                     year_targets=p.year_targets)
            for p in archive.plan_items]
