"""What the facilitator does with the room's ideas, strengths and OFIs: add one in the room's
name, keep one for the plan, edit its text, merge several that say the same thing.

Every step states its end state, so a resent copy changes nothing (docs/protocol.md, "Sending
an event twice"). A merge moves the merged ones' support to the idea they join: each
participant who upvoted or wrote one of them upvotes the joined idea once (never its own
author), and the merged ones are hidden, remembering where they went.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import ideas as idea_store
from ..store.models import Idea, IdeaUpvote
from .errors import LiveError, invalid
from .ideas import CLIENT_KEY_LIMIT, agenda_and_phase, check_kind, clean_text, idea_of

MERGE_LIMIT = 50  # ideas merged in one step


def add(db: Session, session_id: str, *, criterion: str, kind: str, text: str,
        client_key: str) -> Idea:
    """The facilitator's idea (strength, OFI), in or out of the ideas phase; kept at once.
    A resend (same client_key) returns the same one."""
    text = clean_text(text)
    check_kind(kind)
    if not client_key or len(client_key) > CLIENT_KEY_LIMIT:
        raise invalid("client_key", f"1 to {CLIENT_KEY_LIMIT} characters")
    agenda, _ = agenda_and_phase(db, session_id)
    existing = db.scalar(select(Idea).where(Idea.session_id == session_id,
                                            Idea.participant_id.is_(None),
                                            Idea.client_key == client_key))
    if existing is not None:
        return existing
    if criterion not in agenda:
        raise LiveError("not_found", f"criterion {criterion!r} is not on the agenda", field="criterion")
    idea = Idea(session_id=session_id, criterion_code=criterion, kind=kind, text=text,
                participant_id=None, client_key=client_key, upvotes=0, hidden=False, kept=True)
    db.add(idea)
    db.flush()
    return idea


def keep(db: Session, session_id: str, *, idea_id: int, kept: bool) -> Idea:
    """Keep an idea for the plan (or let it go); a merged idea cannot be kept."""
    idea = idea_of(db, session_id, idea_id)
    if kept and idea.merged_into is not None:
        raise invalid("idea_id", f"idea {idea_id} was merged into idea {idea.merged_into}")
    idea.kept = kept
    db.flush()
    return idea


def edit(db: Session, session_id: str, *, idea_id: int, text: str) -> Idea:
    """Put the room's words better; the upvotes stay."""
    idea = idea_of(db, session_id, idea_id)
    idea.text = clean_text(text)
    db.flush()
    return idea


def _sources(db: Session, session_id: str, into: Idea, idea_ids: list[int]) -> list[Idea]:
    if not idea_ids or len(idea_ids) > MERGE_LIMIT:
        raise invalid("ideas", f"1 to {MERGE_LIMIT} ideas")
    if into.merged_into is not None:
        raise invalid("into", f"idea {into.id} was merged into idea {into.merged_into}")
    found = []
    for idea_id in dict.fromkeys(idea_ids):
        idea = idea_of(db, session_id, idea_id)
        if idea.id == into.id:
            raise invalid("ideas", "an idea is not merged into itself")
        if idea.criterion_code != into.criterion_code or idea.kind != into.kind:
            raise invalid("ideas", f"idea {idea_id} is of another criterion or kind")
        if idea.merged_into not in (None, into.id):
            raise invalid("ideas", f"idea {idea_id} was merged into idea {idea.merged_into}")
        found.append(idea)
    return found


def merge(db: Session, session_id: str, *, into: int, idea_ids: list[int]) -> tuple[Idea, list[Idea]]:
    """Merge ideas into `into`: their supporters upvote it once each, they are hidden.
    Returns the joined idea and the merged ones (a resend merges nothing more)."""
    target = idea_of(db, session_id, into)
    sources = _sources(db, session_id, target, idea_ids)
    supporters: set[int] = set()
    for source in sources:
        if source.participant_id is not None:
            supporters.add(source.participant_id)
        supporters.update(db.scalars(select(IdeaUpvote.participant_id)
                                     .where(IdeaUpvote.idea_id == source.id)))
        source.merged_into, source.hidden, source.kept = target.id, True, False
    supporters.discard(target.participant_id)
    for participant_id in sorted(supporters):
        idea_store.upvote_idea(db, idea_id=target.id, participant_id=participant_id)
    db.flush()
    db.refresh(target)
    return target, sources
