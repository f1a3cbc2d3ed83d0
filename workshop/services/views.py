"""What each screen may see, in the protocol's shapes (docs/protocol.md, "Shapes" and
"Who sees what"). Blind voting is enforced here: before the reveal in hidden results mode,
no count or summary leaves the server except to the facilitator.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.consensus import proposed_level, summarize
from ..domain.framework import Framework
from ..store import phones as phone_rows
from ..store import votes as vote_store
from ..store.models import Participant, Round, Vote, WorkshopSession
from . import checklists
from . import ideas as idea_service
from . import indicators as indicator_service
from .decisions import current_decisions, for_projector
from .lookups import framework_of, latest_round
from .participants import me as me_view
from .participants import proxies
from .rounds import explain_step
from .sessions import thresholds
from .timer import timer_view
from .voting import vote_view


def text(value) -> dict:
    return {"th": value.th, "en": value.en}


def level_views(framework: Framework, criterion_code: str | None = None) -> list[dict]:
    """The scale; for a criterion, each level in the criterion's own words where it has them
    (`own`), with the checklist the room checks before it claims that level."""
    criterion = framework.criterion(criterion_code) if criterion_code else None
    levels = []
    for level in framework.levels:
        view = {"value": level.value, "label": text(level.label), "descriptor": text(level.descriptor)}
        if criterion is not None:
            own = criterion.levels.get(level.value)
            view.update(descriptor=text(own or level.descriptor), own=own is not None,
                        checklist=[{"id": line.id, **text(line)}
                                   for line in criterion.checklist(level.value)])
        levels.append(view)
    return levels


def criterion_view(framework: Framework, session: WorkshopSession, code: str | None) -> dict | None:
    if code is None:
        return None
    criterion = framework.criterion(code)
    category = framework.category_of(code)
    return {"code": code, "title": text(criterion.title), "guidance": text(criterion.guidance),
            "category": {"code": category.code, "title": text(category.title)},
            "levels": level_views(framework, code), "index": session.agenda.index(code),
            "total": len(session.agenda)}


def round_view(round_: Round | None) -> dict | None:
    if round_ is None:
        return None
    return {"id": round_.id, "criterion": round_.criterion_code, "number": round_.number,
            "state": round_.state, "kind": round_.kind, "lines": round_.lines}


def results_visible(role: str, session: WorkshopSession, round_: Round) -> bool:
    if role == "facilitator" or round_.state == "revealed":
        return True
    return role == "projector" and session.settings.get("results_mode") == "live"


def figures(db: Session, session: WorkshopSession, round_: Round) -> dict:
    """Counts, "not sure" and summary of a round, from one GROUP BY (a checklist round: its
    CHECKLIST results, as the facilitator sees them)."""
    if round_.kind == "checklist":
        found = checklists.results(db, session, round_)
        return {"checklist": found, "voted": found["voted"], "proposed_level": found["proposed_level"]}
    counts, not_sure = vote_store.tally(db, round_.id)
    framework = framework_of(db, session.id)
    summary = summarize(counts, framework.level_values(), not_sure, thresholds(session))
    return {"counts": {str(k): v for k, v in summary.counts.items()}, "not_sure": not_sure,
            "summary": summary.to_dict(), "voted": sum(counts.values()) + not_sure,
            "proposed_level": proposed_level(summary)}


def offered(role: str, round_: Round, proposed: int | None) -> dict:
    """The level the facilitator is offered to agree on, once voting has stopped (none while the
    round is open); nothing for another screen, since it derives from the votes."""
    if role != "facilitator":
        return {}
    return {"proposed_level": None if round_.state == "open" else proposed}


def results(db: Session, session: WorkshopSession, round_: Round | None, role: str) -> dict | None:
    if round_ is None or not results_visible(role, session, round_):
        return None
    if round_.kind == "checklist":
        found = checklists.results(db, session, round_,
                                   lambda earlier: results_visible(role, session, earlier))
        return {"round": round_view(round_), "checklist": found,
                **offered(role, round_, found["proposed_level"])}
    found = figures(db, session, round_)
    return {"round": round_view(round_), "counts": found["counts"], "not_sure": found["not_sure"],
            "summary": found["summary"], **offered(role, round_, found["proposed_level"])}


def _previous(db: Session, round_: Round | None) -> Round | None:
    if round_ is None or round_.number < 2:
        return None
    return db.scalar(select(Round).where(
        Round.session_id == round_.session_id, Round.criterion_code == round_.criterion_code,
        Round.number == round_.number - 1))


def current_round(db: Session, session: WorkshopSession) -> Round | None:
    """The current criterion's latest round, the one the stage shows."""
    code = session.current_criterion
    return latest_round(db, session.id, code) if code else None


def stage(db: Session, session: WorkshopSession, role: str) -> dict:
    """STAGE for one role: the criterion, its latest round and what the role may see of it."""
    return stage_at(db, session, role, current_round(db, session))


def stage_at(db: Session, session: WorkshopSession, role: str, current: Round | None) -> dict:
    """STAGE with the current round already found (`current_round`)."""
    framework = framework_of(db, session.id)
    code = session.current_criterion
    return {
        "criterion": criterion_view(framework, session, code),
        "round": round_view(current),
        "results": results(db, session, current, role),
        "previous": results(db, session, _previous(db, current), role),
        "explain": explain_step(db, session),
        "ideas_open": code is not None and session.ideas_open_for == code,
        "timer": timer_view(session),
        "indicators": indicator_service.results_view(
            framework, code, indicator_service.rows_of(db, session.id, code),
            indicator_service.current_year(session)) if code and framework.results_rule(code) else None,
    }


def tally(db: Session, session: WorkshopSession, round_: Round, present: int, role: str,
          found: dict | None = None) -> dict:
    """The coalesced `tally` event for the facilitator or the projector (`found`: the round's
    figures when the caller has them already, so one flush counts the votes once)."""
    found = found or figures(db, session, round_)
    payload = {"round_id": round_.id, "voted": found["voted"], "present": present}
    if not results_visible(role, session, round_):
        return payload
    if "checklist" in found:
        payload.update(checklist=found["checklist"])
    else:
        payload.update(counts=found["counts"], not_sure=found["not_sure"], summary=found["summary"])
    return {**payload, **offered(role, round_, found["proposed_level"])}


def voted_count(db: Session, round_: Round | None) -> int:
    if round_ is not None and round_.kind == "checklist":
        return checklists.answered(db, round_)
    return 0 if round_ is None else vote_store.voters_count(db, round_.id)


def reasons(db: Session, session: WorkshopSession, round_id: int, role: str) -> dict:
    """Every reason given so far in a round's explain step, without names (except to the
    facilitator of a named session); nothing to a screen that may not see the round's results."""
    shown = db.get(Round, round_id)
    if shown is None or not results_visible(role, session, shown):
        return {"round_id": round_id, "items": []}
    named = role == "facilitator" and not session.settings.get("anonymous", True)
    rows = db.execute(select(Vote.level, Vote.reason, Participant.name)
                      .join(Participant, Participant.id == Vote.participant_id)
                      .where(Vote.round_id == round_id, Vote.reason.is_not(None))
                      .order_by(Vote.updated_at, Vote.id))
    items = []
    for level, reason, name in rows:
        item = {"level": level, "text": reason}
        if named:
            item["name"] = name
        items.append(item)
    return {"round_id": round_id, "items": items}


def _authors(db: Session, session: WorkshopSession, ideas: list) -> dict[int, str | None]:
    if session.settings.get("anonymous", True) or not ideas:
        return {}
    ids = {idea.participant_id for idea in ideas if idea.participant_id is not None}
    return dict(db.execute(select(Participant.id, Participant.name).where(Participant.id.in_(ids))).all())


def idea_views(db: Session, session: WorkshopSession, ideas: list, role: str,
               participant_id: int | None = None, *, new: bool = False) -> list[dict]:
    """`new`: the participant was made this instant and has upvoted nothing (no read)."""
    upvoted = (idea_service.upvoted_by(db, participant_id, [i.id for i in ideas])
               if participant_id and not new else set())
    authors = _authors(db, session, ideas) if role == "facilitator" else {}
    return [idea_service.idea_view(idea, role, me=participant_id, upvoted=idea.id in upvoted,
                                   author=authors.get(idea.participant_id)) for idea in ideas]


def session_view(session: WorkshopSession) -> dict:
    settings = session.settings
    return {"id": session.id, "title": session.title, "organization": session.organization,
            "held_on": session.held_on.isoformat() if session.held_on else None,
            "language": session.language, "anonymous": settings.get("anonymous", True),
            "roles": list(settings.get("roles") or []),
            "results_mode": settings.get("results_mode", "hidden"), "join_code": session.join_code}


def snapshot(db: Session, session: WorkshopSession, role: str, *, participant: Participant | None = None,
             present: int = 0, base_url: str = "", new: bool = False) -> dict:
    """Everything `role` may see, sent on every (re)connect; a phone gets what its scripts read
    (participant_snapshot; `new`: a participant made by this join)."""
    if role == "participant":
        return participant_snapshot(db, session, participant, new=new)
    framework = framework_of(db, session.id)
    current = current_round(db, session)
    current_stage = stage_at(db, session, role, current)
    shown_ideas = idea_service.ideas_of(db, session.id, session.current_criterion)
    if role != "facilitator":
        shown_ideas = [idea for idea in shown_ideas if not idea.hidden]
    view = {
        "role": role,
        "session": session_view(session),
        "framework": {"id": framework.id, "version": framework.version, "title": text(framework.title),
                      "levels": level_views(framework), "levels_cumulative": framework.levels_cumulative},
        "agenda": [{"code": code, "title": text(framework.criterion(code).title),
                    "category": framework.category_of(code).code} for code in session.agenda],
        "stage": current_stage,
        "ideas": idea_views(db, session, shown_ideas, role),
    }
    view["presence"] = {"present": present, "voted": voted_count(db, current)}
    view["decisions"] = current_decisions(db, session.id)
    if role == "projector":
        view["decisions"] = {code: for_projector(found) for code, found in view["decisions"].items()}
    view["join"] = {"url": f"{base_url}/j/{session.join_code}", "code": session.join_code,
                    "qr": f"/qr/{session.join_code}.svg"}
    if role == "facilitator":
        view["proxies"] = [{"id": p.id, "name": p.name, "role": p.role} for p in proxies(db, session.id)]
    return view


class RoundRef(NamedTuple):
    id: int
    kind: str


@dataclass(frozen=True)
class PhoneStage:
    """The stage as every phone of a session sees it, shared by all of them (kept by
    live/stage_cache.py): nothing of a round's votes before its reveal (`stage_at` for the
    role "participant"). The timer's elapsed seconds are counted when it is sent."""
    stage: dict
    current_criterion: str | None
    timer_started_at: datetime | None
    round: RoundRef | None

    def view(self) -> dict:
        return {**self.stage, "timer": timer_view(self)}


def phone_stage(db: Session, session: WorkshopSession) -> PhoneStage:
    current = current_round(db, session)
    return PhoneStage(stage_at(db, session, "participant", current), session.current_criterion,
                      session.timer_started_at, current and RoundRef(current.id, current.kind))


def participant_snapshot(db: Session, session, participant: Participant | None, *, new: bool = False,
                         shared: PhoneStage | None = None) -> dict:
    """A phone's snapshot: what static/js/participant.js (with checklist.js and indicators.js)
    reads, no framework or agenda. A guest gets only `me: null` and the session; its join
    answers with the one full snapshot (docs/protocol.md, "Connecting"). A participant `new`
    this instant has no vote, answers or upvotes yet: those three reads are skipped. `db` may be
    a unit of work or a bare one (store/phones.py), `session` the light row a phone's socket
    keeps when `shared` is given."""
    view = {"role": "participant", "session": session_view(session), "me": None}
    if participant is None:
        return view
    shared = shared or phone_stage(db, session)
    current = shared.round
    shown_ideas = [idea for idea in phone_rows.ideas_of(db, session.id, shared.current_criterion)
                   if not idea.hidden]
    me = participant.id
    answers = {"round_id": current.id, "answers": {} if new else phone_rows.my_answers(db, current.id, me)} \
        if current and current.kind == "checklist" else None
    upvoted = phone_rows.my_upvotes(db, me) if shown_ideas and not new else set()
    view.update(me=me_view(participant), stage=shared.view(),
                my_vote=vote_view(phone_rows.my_vote(db, current.id, me) if current and not new else None),
                my_answers=answers,
                ideas=[idea_service.idea_view(idea, "participant", me=me, upvoted=idea.id in upvoted)
                       for idea in shown_ideas])
    return view
