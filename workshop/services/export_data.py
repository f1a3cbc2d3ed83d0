"""One workshop session read from the store into plain, JSON-able data: what every export uses.

`read_export_data(db, session_id)` runs one query per table (10 in all, however large the room)
and returns a dict of plain values:

    session       its fields (dates and times as ISO 8601 text, times in UTC)
    framework     the session's frozen framework copy
    participants  [{id, name, role, observer, proxy, joined_at, last_seen_at}]
    rounds        [{id, criterion_code, number, state, opened_at, closed_at, revealed_at,
                    votes: [{participant, level, not_sure, note, reason, on_behalf, ...}],
                    kind: "level" | "checklist", lines: [line id] | None,
                    answers: [{participant, line, answer, updated_at}]}]
    decisions     the full history, undone ones included, in the order they were made
    ideas         [{id, criterion_code, text, participant, upvotes, hidden, created_at, kind, kept, merged_into,
                    upvoted_by: [{participant, created_at}]}]
    plan_items    what organizers typed into the plan
    indicators    [{criterion_code, position, name, unit, direction, target, values, ...}] of results items

Rows are numbered 1, 2, 3 ... inside the export data (`id`) and refer to each other by those
numbers, never by the database's ids, so the same workshop reads the same on any server.
Names are kept only when the session is named (`settings.anonymous` false); roles always.
Secrets stay out: no phone token hashes, no link nonce, no idea client keys.
Text is read through `domain.text.strip_refused`: a control character stored before the
input boundary refused them (or written straight into the database) never reaches an export,
so every format still downloads and opens.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.session_settings import is_named
from ..domain.text import strip_refused
from ..errors import NotFound
from ..store.models import (ChecklistAnswer, Decision, Idea, IdeaUpvote, IndicatorRow, Participant,
                            PlanItem, Round, Vote, WorkshopSession)


class SessionNotFound(NotFound):
    """No session with that id on this server."""


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def read_export_data(db: Session, session_id: str) -> dict[str, Any]:
    """The whole session as plain data; raises SessionNotFound."""
    session = db.get(WorkshopSession, session_id)
    if session is None:
        raise SessionNotFound(f"no session {session_id!r} on this server")
    named = is_named(session.settings or {})
    people = db.scalars(select(Participant).where(Participant.session_id == session_id)
                        .order_by(Participant.id)).all()
    person = {p.id: number for number, p in enumerate(people, start=1)}
    rounds = db.scalars(select(Round).where(Round.session_id == session_id)
                        .order_by(Round.id)).all()
    round_ref = {r.id: number for number, r in enumerate(rounds, start=1)}
    votes = db.scalars(select(Vote).join(Round).where(Round.session_id == session_id)
                       .order_by(Vote.round_id, Vote.participant_id)).all()
    answers = db.scalars(select(ChecklistAnswer).join(Round).where(Round.session_id == session_id)
                         .order_by(ChecklistAnswer.round_id, ChecklistAnswer.participant_id,
                                   ChecklistAnswer.line_id)).all()
    decisions = db.scalars(select(Decision).where(Decision.session_id == session_id)
                           .order_by(Decision.id)).all()
    ideas = db.scalars(select(Idea).where(Idea.session_id == session_id).order_by(Idea.id)).all()
    upvotes = db.scalars(select(IdeaUpvote).join(Idea).where(Idea.session_id == session_id)
                         .order_by(IdeaUpvote.idea_id, IdeaUpvote.participant_id)).all()
    items = db.scalars(select(PlanItem).where(PlanItem.session_id == session_id)
                       .order_by(PlanItem.position, PlanItem.id)).all()
    indicators = db.scalars(select(IndicatorRow).where(IndicatorRow.session_id == session_id)
                            .order_by(IndicatorRow.criterion_code, IndicatorRow.position,
                                      IndicatorRow.id)).all()
    return _storable({
        "session": _session(session, round_ref),
        "framework": session.framework,
        "participants": [_participant(p, person[p.id], named) for p in people],
        "rounds": _rounds(rounds, votes, answers, person),
        "decisions": [_decision(d, round_ref) for d in decisions],
        "ideas": _ideas(ideas, upvotes, person),
        "plan_items": [_plan_item(item) for item in items],
        "indicators": [_indicator(row) for row in indicators],
    })


def _storable(value: Any) -> Any:
    """`value` with every text in it (keys too, at any depth) cleared of refused characters."""
    if isinstance(value, str):
        return strip_refused(value)
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value


def _session(session: WorkshopSession, round_ref: dict[int, int]) -> dict[str, Any]:
    return {
        "id": session.id,
        "title": session.title,
        "organization": session.organization,
        "held_on": iso(session.held_on),
        "language": session.language,
        "settings": session.settings,
        "framework_id": session.framework_id,
        "agenda": list(session.agenda),
        "join_code": session.join_code,
        "status": session.status,
        "current_criterion": session.current_criterion,
        "ideas_open_for": session.ideas_open_for,
        "explain_round": round_ref.get(session.explain_round_id),
        "created_at": iso(session.created_at),
        "updated_at": iso(session.updated_at),
    }


def _participant(p: Participant, number: int, named: bool) -> dict[str, Any]:
    return {"id": number, "name": p.name if named else None, "role": p.role,
            "observer": p.observer, "proxy": p.proxy,
            "joined_at": iso(p.joined_at), "last_seen_at": iso(p.last_seen_at)}


def _rounds(rounds: list[Round], votes: list[Vote], answers: list[ChecklistAnswer],
            person: dict[int, int]) -> list[dict]:
    by_round: dict[int, list[dict]] = {r.id: [] for r in rounds}
    answered: dict[int, list[dict]] = {r.id: [] for r in rounds}
    for a in answers:
        answered[a.round_id].append({"participant": person[a.participant_id], "line": a.line_id,
                                     "answer": a.answer, "updated_at": iso(a.updated_at)})
    for v in votes:
        by_round[v.round_id].append({
            "participant": person[v.participant_id], "level": v.level, "not_sure": v.not_sure,
            "note": v.note, "reason": v.reason, "on_behalf": v.on_behalf,
            "created_at": iso(v.created_at), "updated_at": iso(v.updated_at),
        })
    return [{"id": number, "criterion_code": r.criterion_code, "number": r.number,
             "state": r.state, "opened_at": iso(r.opened_at), "closed_at": iso(r.closed_at),
             "revealed_at": iso(r.revealed_at),
             "votes": sorted(by_round[r.id], key=lambda v: v["participant"]),
             "kind": r.kind, "lines": None if r.lines is None else list(r.lines),
             "answers": answered[r.id]}
            for number, r in enumerate(rounds, start=1)]


def _decision(d: Decision, round_ref: dict[int, int]) -> dict[str, Any]:
    return {"criterion_code": d.criterion_code, "agreed_level": d.agreed_level,
            "target_level": d.target_level, "importance": d.importance, "note": d.note,
            "decided_by": d.decided_by, "decided_at": iso(d.decided_at),
            "round": round_ref.get(d.round_id), "undone": d.undone_at is not None,
            "undone_at": iso(d.undone_at), "proposed_from": d.proposed_from}


def _ideas(ideas: list[Idea], upvotes: list[IdeaUpvote], person: dict[int, int]) -> list[dict]:
    by_idea: dict[int, list[dict]] = {i.id: [] for i in ideas}
    for u in upvotes:
        by_idea[u.idea_id].append({"participant": person[u.participant_id],
                                   "created_at": iso(u.created_at)})
    number = {i.id: n for n, i in enumerate(ideas, start=1)}
    return [{"id": number[i.id], "criterion_code": i.criterion_code, "text": i.text,
             "participant": person.get(i.participant_id), "upvotes": i.upvotes,
             "hidden": i.hidden, "created_at": iso(i.created_at),
             "upvoted_by": sorted(by_idea[i.id], key=lambda u: u["participant"]),
             "kind": i.kind, "kept": i.kept, "merged_into": number.get(i.merged_into)}
            for i in ideas]


def _indicator(row: IndicatorRow) -> dict[str, Any]:
    return {"criterion_code": row.criterion_code, "position": row.position, "name": row.name,
            "unit": row.unit, "direction": row.direction, "target": row.target,
            "values": dict(sorted((row.values or {}).items())), "created_at": iso(row.created_at),
            "updated_at": iso(row.updated_at)}


def _plan_item(item: PlanItem) -> dict[str, Any]:
    return {"criterion_code": item.criterion_code, "position": item.position,
            "actions": list(item.actions or []), "owner": item.owner,
            "start_quarter": item.start_quarter, "end_quarter": item.end_quarter,
            "indicator": item.indicator, "target_value": item.target_value,
            "budget_note": item.budget_note, "status": item.status,
            "out_of_scope": item.out_of_scope, "updated_at": iso(item.updated_at),
            "ofi": item.ofi, "objective": item.objective, "project": item.project,
            "owner_person": item.owner_person, "budget_amount": item.budget_amount,
            "budget_source": item.budget_source, "evidence": item.evidence,
            "year_targets": item.year_targets}
