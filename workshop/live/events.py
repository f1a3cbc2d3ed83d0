"""The client events of a live workshop (docs/protocol.md, "Client to server"): each handler
is thin, a payload model in, a service call, what changed sent after commit, a result out."""
from __future__ import annotations

from flask import current_app

from ..services import checklists, decisions, lookups, participants, rounds, views, voting
from ..services import idea_curation, line_ofis
from ..services import indicators as indicator_service
from ..services import ideas as idea_service
from ..services.timer import set_timer
from ..extensions import socketio
from ..services.units import light_unit
from . import payloads as p
from .broadcast import ideas_in_full
from .connection import enter_as_participant, phone_snapshot, shared_stage
from .dispatch import Context, live_event
from .limits import live_limits
from .rooms import ROLES, participant_room, role_room

PARTICIPANT = ("participant",)
FACILITATOR = ("facilitator",)


# -- participant ----------------------------------------------------------------------------

@live_event("join", p.Join, PARTICIPANT, hot=True)
def join(ctx: Context, payload: p.Join) -> dict:
    """Read first; write only a new participant. The write turn is held for that one insert,
    never across the rate-limit charge (a Redis round trip yields to other greenlets) or the
    snapshot, so a wave of joins does not queue into `database_busy` (tests/test_join_wave.py).
    A resent join, or a phone that joins again with its key, writes nothing."""
    session = ctx.conn.session  # read at connect; none of what a join reads of it changes
    secret = current_app.config["WORKSHOP"].secret_key
    if ctx.conn.participant_id is not None:  # a resent join: the same participant again
        with ctx.unit() as db:
            found = participants.Joined(db.get(participants.Participant, ctx.conn.participant_id),
                                        ctx.conn.token)
    else:
        with light_unit() as reads:
            found = participants.rejoin(reads, session, client_key=payload.client_key, secret_key=secret)
    if found is None:
        live_limits().charge_join(*ctx.conn.limit_keys, session_id=ctx.conn.session_id)
        with light_unit(write=True) as writes:
            found = participants.join(writes, session, client_key=payload.client_key, secret_key=secret,
                                      name=payload.name, role=payload.role, observer=payload.observer)
    participant, token = found.participant, found.token
    shared = shared_stage(ctx.live, session.id)  # read after the insert, with no unit open
    with light_unit() as reads:  # a new participant's: only the ideas (no vote, answers, upvotes)
        snapshot = phone_snapshot(reads, session, participant, shared, new=found.new)

    def enter():
        if ctx.conn.participant_id is None:
            ctx.conn.participant_id, ctx.conn.observer, ctx.conn.token = participant.id, participant.observer, token
            if enter_as_participant(ctx.live, ctx.sid, ctx.conn):
                ctx.live.broadcaster.mark_tally(ctx.conn.session_id)
        socketio.emit("snapshot", snapshot, to=ctx.sid, namespace="/")
    ctx.after.append(enter)
    return {"token": token, "me": participants.me(participant)}


@live_event("vote", p.Vote, PARTICIPANT, hot=True)
def vote(ctx: Context, payload: p.Vote) -> dict:
    view = voting.cast_live_vote(lambda: ctx.db, ctx.live.votes, ctx.conn.session_id, ctx.participant_id(),
                                 observer=ctx.conn.observer, round_id=payload.round_id,
                                 level=payload.level, not_sure=payload.not_sure, note=payload.note)
    own_room = participant_room(ctx.conn.session_id, ctx.conn.participant_id)
    if not ctx.alone_in(own_room):  # the phone's other devices
        ctx.emit("vote", view, own_room, skip_sid=ctx.sid)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_tally(ctx.conn.session_id))
    return {"vote": view}


@live_event("answer_lines", p.AnswerLines, PARTICIPANT)
def answer_lines(ctx: Context, payload: p.AnswerLines) -> dict:
    mine = checklists.answer(ctx.db, ctx.conn.session_id, ctx.participant_id(),
                             round_id=payload.round_id, answers=dict(payload.answers))
    view = {"round_id": payload.round_id, "answers": mine}
    ctx.emit("my_answers", view, participant_room(ctx.conn.session_id, ctx.conn.participant_id),
             skip_sid=ctx.sid)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_tally(ctx.conn.session_id))
    return {"my_answers": view}


@live_event("reason", p.Reason, PARTICIPANT)
def reason(ctx: Context, payload: p.Reason) -> dict:
    voting.give_reason(ctx.db, ctx.conn.session_id, ctx.participant_id(), round_id=payload.round_id,
                       text=payload.text)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_reasons(ctx.conn.session_id, payload.round_id))
    return {}


@live_event("idea", p.Idea, PARTICIPANT)
def idea(ctx: Context, payload: p.Idea) -> dict:
    me = ctx.participant_id()
    added = idea_service.submit_idea(ctx.db, ctx.conn.session_id, me, criterion=payload.criterion,
                                     text=payload.text, client_key=payload.client_key,
                                     kind=payload.kind)
    upvoted = added.id in idea_service.upvoted_by(ctx.db, me, [added.id])
    view = idea_service.idea_view(added, "participant", me=me, upvoted=upvoted)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_idea(ctx.conn.session_id, added.id))
    return {"idea": view}


@live_event("upvote", p.Upvote, PARTICIPANT)
def upvote(ctx: Context, payload: p.Upvote) -> dict:
    me = ctx.participant_id()
    found = idea_service.upvote(ctx.db, ctx.conn.session_id, me, idea_id=payload.idea_id, on=payload.on)
    view = idea_service.idea_view(found, "participant", me=me, upvoted=payload.on)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_idea(ctx.conn.session_id, found.id))
    return {"idea": view}


# -- facilitator ----------------------------------------------------------------------------

def _session(ctx: Context):
    return lookups.session_row(ctx.db, ctx.conn.session_id, lock=True)


def _send_stage(ctx: Context, session, *, tally: bool = True) -> None:
    """After a step that changes the stage: each role room gets its own view of it."""
    ctx.db.flush()
    ctx.after.append(lambda: ctx.live.stage_cache.changed(session.id))  # before the new stage goes out
    for role in ROLES:
        ctx.emit("stage", views.stage(ctx.db, session, role), role_room(session.id, role))
    if tally:
        ctx.after.append(lambda: ctx.live.broadcaster.mark_tally(session.id))


@live_event("goto", p.Criterion, FACILITATOR)
def goto(ctx: Context, payload: p.Criterion) -> dict:
    session = _session(ctx)
    moved = session.current_criterion != payload.criterion
    rounds.goto(ctx.db, session, payload.criterion)
    _send_stage(ctx, session)
    if moved:
        for event, data, room in ideas_in_full(ctx.db, session):
            ctx.emit(event, data, room)
    return {"stage": views.stage(ctx.db, session, "facilitator")}


@live_event("open_round", p.OpenRound, FACILITATOR)
def open_round(ctx: Context, payload: p.OpenRound) -> dict:
    session = _session(ctx)
    before = session.current_criterion
    if payload.kind == "checklist":
        opened = checklists.open_checklist_round(ctx.db, session, payload.criterion,
                                                 payload.number, payload.lines)
    else:
        opened = rounds.open_round(ctx.db, session, payload.criterion, payload.number)
    _send_stage(ctx, session)
    if session.current_criterion != before:
        for event, data, room in ideas_in_full(ctx.db, session):
            ctx.emit(event, data, room)
    return {"round": views.round_view(opened)}


@live_event("close_round", p.RoundRef, FACILITATOR)
def close_round(ctx: Context, payload: p.RoundRef) -> dict:
    session = _session(ctx)
    closed = rounds.close_round(ctx.db, session, payload.round_id)
    _send_stage(ctx, session)
    return {"round": views.round_view(closed)}


@live_event("reveal", p.RoundRef, FACILITATOR)
def reveal(ctx: Context, payload: p.RoundRef) -> dict:
    session = _session(ctx)
    shown = rounds.reveal(ctx.db, session, payload.round_id)
    _send_stage(ctx, session)
    _send_line_ofis(ctx, shown.criterion_code)
    return {"round": views.round_view(shown), "results": views.results(ctx.db, session, shown, "facilitator")}


@live_event("explain", p.Explain, FACILITATOR)
def explain(ctx: Context, payload: p.Explain) -> dict:
    session = _session(ctx)
    step = rounds.explain(ctx.db, session, payload.round_id, payload.open)
    _send_stage(ctx, session, tally=False)
    if step is not None:
        ctx.after.append(lambda: ctx.live.broadcaster.mark_reasons(session.id, payload.round_id))
    return {"explain": step}


@live_event("ideas_phase", p.IdeasPhase, FACILITATOR)
def ideas_phase(ctx: Context, payload: p.IdeasPhase) -> dict:
    session = _session(ctx)
    rounds.ideas_phase(ctx.db, session, payload.criterion, payload.open)
    _send_stage(ctx, session, tally=False)
    return {"ideas_open": session.ideas_open_for}


@live_event("timer", p.Timer, FACILITATOR)
def timer(ctx: Context, payload: p.Timer) -> dict:
    session = _session(ctx)
    running = set_timer(ctx.db, session, payload.criterion, payload.running)
    _send_stage(ctx, session, tally=False)
    return {"timer": running}


def _send_decision(ctx: Context, criterion: str, decision: dict | None) -> None:
    ctx.emit("decision", {"criterion": criterion, "decision": decision},
             role_room(ctx.conn.session_id, "facilitator"))
    ctx.emit("decision", {"criterion": criterion, "decision": decisions.for_projector(decision)},
             role_room(ctx.conn.session_id, "projector"))


@live_event("decide", p.Decide, FACILITATOR)
def decide(ctx: Context, payload: p.Decide) -> dict:
    session = _session(ctx)
    decision = decisions.decide(ctx.db, session, criterion=payload.criterion,
                                agreed_level=payload.agreed_level, target_level=payload.target_level,
                                importance=payload.importance, note=payload.note,
                                proposed_from=payload.proposed_from)
    _send_decision(ctx, payload.criterion, decision)
    _send_line_ofis(ctx, payload.criterion)
    return {"decision": decision}


def _send_line_ofis(ctx: Context, criterion: str) -> None:
    """The OFIs a decision's unmet checklist lines became go out with the next ideas batch."""
    for idea in line_ofis.of_criterion(ctx.db, ctx.conn.session_id, criterion):
        ctx.after.append(lambda idea_id=idea.id: ctx.live.broadcaster.mark_idea(ctx.conn.session_id, idea_id))


@live_event("undo_decision", p.UndoDecision, FACILITATOR)
def undo_decision(ctx: Context, payload: p.UndoDecision) -> dict:
    criterion, decision = decisions.undo(ctx.db, _session(ctx), payload.decision_id)
    _send_decision(ctx, criterion, decision)
    return {"criterion": criterion, "decision": decision}


@live_event("add_proxy", p.AddProxy, FACILITATOR)
def add_proxy(ctx: Context, payload: p.AddProxy) -> dict:
    added = participants.add_proxy(ctx.db, _session(ctx), name=payload.name, role=payload.role,
                                   client_key=payload.client_key)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_tally(ctx.conn.session_id))
    return {"participant": {"id": added.id, "name": added.name, "role": added.role}}


@live_event("proxy_vote", p.ProxyVote, FACILITATOR)
def proxy_vote(ctx: Context, payload: p.ProxyVote) -> dict:
    cast = voting.proxy_vote(ctx.db, ctx.conn.session_id, payload.participant_id,
                             round_id=payload.round_id, level=payload.level,
                             not_sure=payload.not_sure, note=payload.note)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_tally(ctx.conn.session_id))
    return {"vote": voting.vote_view(cast)}


@live_event("hide_idea", p.HideIdea, FACILITATOR)
def hide_idea(ctx: Context, payload: p.HideIdea) -> dict:
    hidden = idea_service.hide(ctx.db, ctx.conn.session_id, idea_id=payload.idea_id, hidden=payload.hidden)
    ctx.after.append(lambda: ctx.live.broadcaster.mark_idea(ctx.conn.session_id, hidden.id))
    return {"idea": idea_service.idea_view(hidden, "facilitator")}


def _curated(ctx: Context, *changed) -> dict:
    """After a facilitator's step on ideas: every changed one goes out in the next batch."""
    for one in changed:
        ctx.after.append(lambda idea_id=one.id: ctx.live.broadcaster.mark_idea(ctx.conn.session_id, idea_id))
    return {"idea": idea_service.idea_view(changed[0], "facilitator")}


@live_event("add_idea", p.AddIdea, FACILITATOR)
def add_idea(ctx: Context, payload: p.AddIdea) -> dict:
    return _curated(ctx, idea_curation.add(ctx.db, ctx.conn.session_id, criterion=payload.criterion,
                                           kind=payload.kind, text=payload.text,
                                           client_key=payload.client_key))


@live_event("keep_idea", p.KeepIdea, FACILITATOR)
def keep_idea(ctx: Context, payload: p.KeepIdea) -> dict:
    return _curated(ctx, idea_curation.keep(ctx.db, ctx.conn.session_id, idea_id=payload.idea_id,
                                            kept=payload.kept))


@live_event("edit_idea", p.EditIdea, FACILITATOR)
def edit_idea(ctx: Context, payload: p.EditIdea) -> dict:
    return _curated(ctx, idea_curation.edit(ctx.db, ctx.conn.session_id, idea_id=payload.idea_id,
                                            text=payload.text))


@live_event("merge_ideas", p.MergeIdeas, FACILITATOR)
def merge_ideas(ctx: Context, payload: p.MergeIdeas) -> dict:
    joined, merged = idea_curation.merge(ctx.db, ctx.conn.session_id, into=payload.into,
                                         idea_ids=list(payload.ideas))
    answer = _curated(ctx, joined, *merged)
    return {**answer, "merged": [one.id for one in merged]}


@live_event("set_indicator", p.SetIndicator, FACILITATOR)
def set_indicator(ctx: Context, payload: p.SetIndicator) -> dict:
    session = _session(ctx)
    fields = payload.model_dump(include={"name", "unit", "direction", "target", "values"})
    framework = lookups.framework_of(ctx.db, session.id)
    if payload.id is None:
        row = indicator_service.add(ctx.db, session, framework, payload.criterion, fields, payload.client_key)
    else:
        row = indicator_service.update(ctx.db, session, payload.id, fields)
    _send_stage(ctx, session, tally=False)
    return {"id": row.id, "criterion": row.criterion_code}


@live_event("remove_indicator", p.IndicatorRef, FACILITATOR)
def remove_indicator(ctx: Context, payload: p.IndicatorRef) -> dict:
    session = _session(ctx)
    criterion = indicator_service.remove(ctx.db, session.id, payload.id)
    _send_stage(ctx, session, tally=False)
    return {"removed": criterion is not None}
