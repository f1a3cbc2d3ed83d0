"""The facilitator's decision on a criterion: agreed level, target, importance, with the level
the room's vote proposes, and "undo the last decision".

The proposed level is the median of the criterion's latest closed (or revealed) round, rounded
DOWN to a level: a maturity level counts only when the levels below it are met, so a room split
half-way proposes the lower one. When that round is a checklist round, the proposed level is
the cumulative rule over the lines the room agrees are met (services/checklists.py), and the
decision shows which lines were met, not met or disputed, and the proposed OFIs (the lines
still to meet up to its target level), which become OFIs once its round is revealed
(services/line_ofis.py). A results item (PMQA category 7) with no level voted
takes the level its indicators suggest (the framework's results rule), and the facilitator may
take that suggestion even when the room voted (`proposed_from="indicators"`). Each decision
records where its proposed level came from: "votes", "checklist" or "indicators". Agreeing on
another level than the proposed one needs a note.

Both steps are safe to resend: a decision equal to the one in force adds no row, and undo
names the decision it undoes, so a resent undo undoes nothing more.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import limits
from ..domain.consensus import proposed_level as proposed_by_votes, summarize
from ..store import decisions as decision_store
from ..store.models import Decision, Round, Vote, WorkshopSession
from . import checklists, line_ofis
from . import indicators as indicator_service
from .errors import LiveError, invalid
from .lookups import check_criterion, check_level, scale_of

NOTE_LIMIT = limits.DECISION_NOTE
PROPOSAL_SOURCES = ("votes", "checklist", "indicators")


def latest_closed_round(db: Session, session_id: str, criterion: str) -> Round | None:
    return db.scalar(select(Round).where(
        Round.session_id == session_id, Round.criterion_code == criterion,
        Round.state.in_(("closed", "revealed"))).order_by(Round.number.desc()).limit(1))


def _tallies(db: Session, round_ids: list[int]) -> dict[int, dict[int, int]]:
    """Votes per level of several rounds, by one GROUP BY ("not sure" left out)."""
    found: dict[int, dict[int, int]] = {round_id: {} for round_id in round_ids}
    if not round_ids:
        return found
    rows = db.execute(select(Vote.round_id, Vote.level, func.count())
                      .where(Vote.round_id.in_(round_ids), Vote.level.is_not(None))
                      .group_by(Vote.round_id, Vote.level))
    for round_id, level, count in rows:
        found[round_id][level] = count
    return found


def proposed_from(counts: dict[int, int], scale: list[int]) -> int | None:
    """The level a tally proposes (domain/consensus.py, `proposed_level`)."""
    return proposed_by_votes(summarize(counts, scale))


def _closed(round_: Round) -> bool:
    return round_.state in ("closed", "revealed")


def proposal(db: Session, session: WorkshopSession, criterion: str,
             source: str | None = None) -> tuple[int | None, Round | None, str | None]:
    """The proposed level, the latest closed round and where the level came from: the round's
    checklist or votes, else (or when `source` is "indicators") the indicators' suggestion."""
    found = latest_closed_round(db, session.id, criterion)
    if source == "indicators":
        suggested = indicator_service.suggested_level_of(db, session, criterion)
        if suggested is None:
            raise invalid("proposed_from", "this item has no indicators that suggest a level")
        return suggested, found, "indicators"
    if found is not None and found.kind == "checklist":
        return checklists.results(db, session, found, _closed)["proposed_level"], found, "checklist"
    if found is not None:
        voted = proposed_from(_tallies(db, [found.id])[found.id], scale_of(db, session.id))
        if voted is not None:
            return voted, found, "votes"
    suggested = indicator_service.suggested_level_of(db, session, criterion)
    return (suggested, found, "indicators") if suggested is not None else (None, found, None)


def decide(db: Session, session: WorkshopSession, *, criterion: str, agreed_level: int,
           target_level: int, importance: int, note: str | None = None,
           proposed_from: str | None = None) -> dict:
    """Record the criterion's decision; returns it as the protocol's DECISION. `proposed_from`
    "indicators" takes the indicators' suggestion as the proposal (else the room's)."""
    check_criterion(session, criterion)
    check_level(db, session.id, agreed_level, "agreed_level")
    check_level(db, session.id, target_level, "target_level")
    if target_level < agreed_level:
        raise invalid("target_level", "the target cannot be below the agreed level")
    if not 1 <= importance <= 5:
        raise invalid("importance", "from 1 to 5")
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_LIMIT:
        raise invalid("note", f"at most {NOTE_LIMIT} characters")
    if proposed_from not in (None, *PROPOSAL_SOURCES):
        raise invalid("proposed_from", "votes, checklist or indicators")
    proposed, basis, source = proposal(db, session, criterion,
                                       "indicators" if proposed_from == "indicators" else None)
    if proposed is not None and agreed_level != proposed and note is None:
        raise LiveError("note_required", "agreeing on another level than the proposed one needs a note",
                        field="note")
    current = decision_store.current_decision(db, session.id, criterion)
    if current is not None and (current.agreed_level, current.target_level, current.importance,
                                current.note, current.round_id, current.proposed_from) == (
            agreed_level, target_level, importance, note, None if basis is None else basis.id,
            source):
        line_ofis.create_for(db, session, criterion)  # a resent copy finds them there
        return decisions_view(db, session.id, [current])[criterion]  # a resent copy
    decision = decision_store.record_decision(
        db, session_id=session.id, criterion_code=criterion, agreed_level=agreed_level,
        target_level=target_level, importance=importance, note=note, decided_by="facilitator",
        round_id=None if basis is None else basis.id, proposed_from=source)
    line_ofis.create_for(db, session, criterion)
    return decisions_view(db, session.id, [decision])[criterion]


def undo(db: Session, session: WorkshopSession, decision_id: int) -> tuple[str, dict | None]:
    """Undo the session's last decision in force, named by its id; an already undone one
    (a resent undo) is left as it is. Returns its criterion and the decision now in force."""
    named = db.get(Decision, decision_id)
    if named is None or named.session_id != session.id:
        raise LiveError("not_found", f"no decision {decision_id} in this session", field="decision_id")
    if named.undone_at is None:
        last = decision_store.last_decision(db, session.id)
        if last is None or last.id != named.id:
            raise LiveError("nothing_to_undo", "only the last decision in force can be undone",
                            field="decision_id")
        decision_store.undo_last_decision(db, session.id)
    current = decision_store.current_decision(db, session.id, named.criterion_code)
    return named.criterion_code, None if current is None else decisions_view(db, session.id, [current])[
        current.criterion_code]


def decision_view(decision: Decision, proposed: int | None, checklist: dict | None = None) -> dict:
    return {"id": decision.id, "criterion": decision.criterion_code, "agreed_level": decision.agreed_level,
            "target_level": decision.target_level, "importance": decision.importance,
            "note": decision.note, "proposed_level": proposed,
            "proposed_from": decision.proposed_from,
            "decided_at": decision.decided_at.isoformat(), "checklist": checklist}


# What a decision derives from the room's votes or answers: only the facilitator sees it, since
# a round may be decided before (or without) its reveal and the projector stays blind till then.
DERIVED_FROM_THE_ROOM = ("proposed_level", "proposed_from", "checklist")


def for_projector(decision: dict | None) -> dict | None:
    """A DECISION as the projector may see it: the room's decision, nothing derived from votes."""
    if decision is None:
        return None
    return {key: value for key, value in decision.items() if key not in DERIVED_FROM_THE_ROOM}


def decisions_view(db: Session, session_id: str, decisions: list[Decision]) -> dict[str, dict]:
    """DECISIONs by criterion, the proposed levels of level votes from one grouped query; a
    decision on a checklist round carries its lines (`checklists.outcome`)."""
    bases = {r.id: r for r in db.scalars(select(Round).where(
        Round.id.in_([d.round_id for d in decisions if d.round_id is not None])))}
    tallies = _tallies(db, [i for i, r in bases.items() if r.kind == "level"])
    scale = scale_of(db, session_id) if decisions else []
    session = db.get(WorkshopSession, session_id) if decisions else None
    views = {}
    for d in decisions:
        basis = bases.get(d.round_id)
        proposed, checklist = None, None
        if d.proposed_from == "indicators":
            proposed = indicator_service.suggested_level_of(db, session, d.criterion_code)
        elif basis is not None and basis.kind == "checklist":
            proposed = checklists.results(db, session, basis, _closed)["proposed_level"]
            checklist = checklists.outcome(db, session, basis, d.target_level)
        elif basis is not None:
            proposed = proposed_from(tallies[basis.id], scale)
        views[d.criterion_code] = decision_view(d, proposed, checklist)
    return views


def current_decisions(db: Session, session_id: str) -> dict[str, dict]:
    return decisions_view(db, session_id, list(decision_store.current_decisions(db, session_id).values()))
