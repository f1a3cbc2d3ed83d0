"""Casting votes and giving reasons: the hot path of a workshop.

`cast_vote` does constant work whatever the size of the room: two primary-key look-ups, a
check against the cached scale and one upsert. The caller commits before acknowledging.
`cast_live_vote` is a phone's vote on the live path: the voter comes from the socket's own
state, the scale from the cached framework, and one prebuilt statement checks that the round is
open and writes the vote (the caller commits before acknowledging). Only a refused vote takes
the ORM look-ups (`cast_vote`, which says why and writes nothing).
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import limits
from ..store import votes as vote_store
from ..store.votes import OpenRoundUpsert
from ..store.models import Participant, Round, Vote, WorkshopSession
from .errors import LiveError, invalid
from .lookups import cached_framework, check_level, check_level_in, framework_of, round_of
from .participants import proxy_of
from .rounds import band

NOTE_LIMIT = limits.VOTE_NOTE
REASON_LIMIT = limits.REASON


def vote_view(vote: Vote | None) -> dict | None:
    if vote is None:
        return None
    return {"round_id": vote.round_id, "level": vote.level, "not_sure": vote.not_sure,
            "note": vote.note}


def voter(db: Session, session_id: str, participant_id: int) -> Participant:
    voter = db.get(Participant, participant_id)
    if voter is None or voter.session_id != session_id:
        raise LiveError("not_joined", "join the session first")
    if voter.observer:
        raise LiveError("observer", "observers do not vote")
    return voter


def _check_ballot(level: int | None, not_sure: bool, note: str | None) -> None:
    if (level is None) == (not not_sure):
        raise invalid("level", "give a level, or not_sure: true")
    if note is not None and len(note) > NOTE_LIMIT:
        raise invalid("note", f"at most {NOTE_LIMIT} characters")


def _record(db: Session, session_id: str, participant_id: int, round_id: int, level: int | None,
            not_sure: bool, note: str | None, on_behalf: bool) -> Vote:
    _check_ballot(level, not_sure, note)
    found: Round = round_of(db, session_id, round_id)
    if found.kind != "level":
        raise invalid("round_id", f"round {round_id} is a checklist round: send answers")
    if found.state != "open":
        raise LiveError("round_not_open", f"round {round_id} is {found.state}", field="round_id")
    if level is not None:
        check_level(db, session_id, level)
    return vote_store.upsert_vote(db, round_id=round_id, participant_id=participant_id,
                                  level=level, not_sure=not_sure, note=note, on_behalf=on_behalf)


def cast_vote(db: Session, session_id: str, participant_id: int, *, round_id: int,
              level: int | None = None, not_sure: bool = False, note: str | None = None) -> Vote:
    """A participant's vote in an open round, replacing their earlier one (an upsert)."""
    voter(db, session_id, participant_id)
    return _record(db, session_id, participant_id, round_id, level, not_sure, note, False)


def cast_live_vote(unit_of_work: Callable[[], Session], upsert: OpenRoundUpsert, session_id: str,
                   participant_id: int, *, observer: bool, round_id: int, level: int | None = None,
                   not_sure: bool = False, note: str | None = None) -> dict:
    """A joined phone's vote (the socket knows its participant), as `vote_view`, committed by
    `upsert` in a unit of work of its own; `unit_of_work()` (the event's, opened on first use)
    serves only a cache miss of the framework and a refused vote."""
    if observer:
        raise LiveError("observer", "observers do not vote")
    _check_ballot(level, not_sure, note)
    if level is not None:
        check_level_in(cached_framework(session_id) or framework_of(unit_of_work(), session_id), level)
    stored = upsert(session_id=session_id, round_id=round_id, participant_id=participant_id,
                    level=level, not_sure=not_sure, note=note)  # committed: durable before the ack
    if stored is None:  # the round is not open here: the ORM path says why, or (a race) records it
        return vote_view(cast_vote(unit_of_work(), session_id, participant_id, round_id=round_id,
                                   level=level, not_sure=not_sure, note=note))
    return stored


def proxy_vote(db: Session, session_id: str, participant_id: int, *, round_id: int,
               level: int | None = None, not_sure: bool = False, note: str | None = None) -> Vote:
    """A vote the facilitator records for a proxy, flagged as cast on their behalf."""
    proxy_of(db, session_id, participant_id)
    return _record(db, session_id, participant_id, round_id, level, not_sure, note, True)


def my_vote(db: Session, round_id: int | None, participant_id: int) -> Vote | None:
    if round_id is None:
        return None
    return db.scalar(select(Vote).where(Vote.round_id == round_id,
                                        Vote.participant_id == participant_id))


def give_reason(db: Session, session_id: str, participant_id: int, *, round_id: int,
                text: str) -> Vote:
    """The explain step's one-line reason, from a phone whose vote lies outside the band."""
    text = " ".join(text.split())
    if not text:
        raise invalid("text", "a reason cannot be empty")
    if len(text) > REASON_LIMIT:
        raise invalid("text", f"at most {REASON_LIMIT} characters")
    voter(db, session_id, participant_id)
    explaining = db.scalar(select(WorkshopSession.explain_round_id)
                           .where(WorkshopSession.id == session_id))
    found = round_of(db, session_id, round_id)
    if explaining != round_id or found.state != "revealed":
        raise LiveError("explain_closed", "the explain step is not open for this round",
                        field="round_id")
    vote = my_vote(db, round_id, participant_id)
    central = band(db, session_id, found)
    if vote is None or vote.level is None or central is None or central[0] <= vote.level <= central[1]:
        raise LiveError("not_an_outlier", "your vote lies inside the room's central band")
    vote_store.explain_vote(db, round_id=round_id, participant_id=participant_id, reason=text)
    vote.reason = text
    return vote
