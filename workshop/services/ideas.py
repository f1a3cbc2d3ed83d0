"""Improvement ideas, strengths and OFIs (an idea's `kind`): participants submit them during a
criterion's ideas phase and upvote each other's; the facilitator may add, hide, keep, edit or
merge them (services/idea_curation.py). A resent idea (same participant and client_key) is the
same idea, and a repeated upvote counts once.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import limits
from ..domain.text import refusal
from ..store import ideas as idea_store
from ..store.models import IDEA_KINDS, Idea, IdeaUpvote, Participant, WorkshopSession
from .errors import LiveError, invalid
from .lookups import owned_row

TEXT_LIMIT = limits.IDEA
CLIENT_KEY_LIMIT = 40


def clean_text(text: str) -> str:
    """An idea's text, trimmed; `invalid` when empty, too long or holding a character no field
    accepts (domain/text.py: a multi-line box, so line breaks and tabs stay)."""
    text = text.strip()
    if not text:
        raise invalid("text", "an idea cannot be empty")
    if len(text) > TEXT_LIMIT:
        raise invalid("text", f"at most {TEXT_LIMIT} characters")
    why = refusal(text, multiline=True)
    if why:
        raise invalid("text", why)
    return text


def check_kind(kind: str) -> None:
    if kind not in IDEA_KINDS:
        raise invalid("kind", f"one of {', '.join(IDEA_KINDS)}")


def agenda_and_phase(db: Session, session_id: str) -> tuple[list, str | None]:
    row = db.execute(select(WorkshopSession.agenda, WorkshopSession.ideas_open_for)
                     .where(WorkshopSession.id == session_id)).first()
    if row is None:
        raise LiveError("not_found", "no such session", field="session")
    return row[0], row[1]


def _participant(db: Session, session_id: str, participant_id: int) -> Participant:
    found = db.get(Participant, participant_id)
    if found is None or found.session_id != session_id:
        raise LiveError("not_joined", "join the session first")
    return found


def submit_idea(db: Session, session_id: str, participant_id: int, *, criterion: str, text: str,
                client_key: str, kind: str = "idea") -> Idea:
    """Add an idea (strength, OFI) to a criterion whose ideas phase is open; a resend returns
    the same one."""
    text = clean_text(text)
    check_kind(kind)
    if not client_key or len(client_key) > CLIENT_KEY_LIMIT:
        raise invalid("client_key", f"1 to {CLIENT_KEY_LIMIT} characters")
    _participant(db, session_id, participant_id)
    agenda, open_for = agenda_and_phase(db, session_id)
    existing = db.scalar(select(Idea).where(Idea.participant_id == participant_id,
                                            Idea.client_key == client_key))
    if existing is not None:
        return existing
    if criterion not in agenda:
        raise LiveError("not_found", f"criterion {criterion!r} is not on the agenda", field="criterion")
    if open_for != criterion:
        raise LiveError("ideas_closed", "the ideas phase of this criterion is closed", field="criterion")
    idea = Idea(session_id=session_id, criterion_code=criterion, text=text, kind=kind,
                participant_id=participant_id, client_key=client_key, upvotes=0, hidden=False)
    db.add(idea)
    db.flush()
    return idea


def idea_of(db: Session, session_id: str, idea_id: int) -> Idea:
    return owned_row(db, Idea, session_id, idea_id, "idea_id", "idea")


def upvote(db: Session, session_id: str, participant_id: int, *, idea_id: int, on: bool) -> Idea:
    """Upvote (or withdraw the upvote of) someone else's idea while its ideas phase is open."""
    _participant(db, session_id, participant_id)
    idea = idea_of(db, session_id, idea_id)
    if idea.hidden:
        raise LiveError("not_found", f"no idea {idea_id} in this session", field="idea_id")
    if idea.participant_id == participant_id:
        raise invalid("idea_id", "one does not upvote one's own idea")
    _, open_for = agenda_and_phase(db, session_id)
    if open_for != idea.criterion_code:
        raise LiveError("ideas_closed", "the ideas phase of this criterion is closed", field="idea_id")
    if on:
        idea_store.upvote_idea(db, idea_id=idea_id, participant_id=participant_id)
    else:
        idea_store.withdraw_upvote(db, idea_id=idea_id, participant_id=participant_id)
    db.refresh(idea)
    return idea


def hide(db: Session, session_id: str, *, idea_id: int, hidden: bool) -> Idea:
    idea = idea_of(db, session_id, idea_id)
    if idea.merged_into is not None and not hidden:
        raise invalid("hidden", f"idea {idea_id} was merged into idea {idea.merged_into}")
    idea.hidden = hidden
    db.flush()
    return idea


def ideas_of(db: Session, session_id: str, criterion: str | None) -> list[Idea]:
    if criterion is None:
        return []
    return list(db.scalars(select(Idea).where(Idea.session_id == session_id,
                                              Idea.criterion_code == criterion)
                           .order_by(Idea.upvotes.desc(), Idea.id)))


def ideas_by_id(db: Session, idea_ids: set[int]) -> list[Idea]:
    """The ideas with these ids (the broadcaster's changed ones), in id order."""
    return list(db.scalars(select(Idea).where(Idea.id.in_(sorted(idea_ids)))))


def upvoted_by(db: Session, participant_id: int, idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    return set(db.scalars(select(IdeaUpvote.idea_id).where(
        IdeaUpvote.participant_id == participant_id, IdeaUpvote.idea_id.in_(idea_ids))))


def idea_view(idea: Idea, role: str, *, me: int | None = None, upvoted: bool | None = None,
              author: str | None = None) -> dict:
    """An idea as `role` may see it: the facilitator sees hidden ideas (and names in a named
    session); the others see a hidden idea only as its id, flagged hidden, with no text."""
    if idea.hidden and role != "facilitator":
        return {"id": idea.id, "criterion": idea.criterion_code, "text": "",
                "upvotes": idea.upvotes, "hidden": True}
    view = {"id": idea.id, "criterion": idea.criterion_code, "kind": idea.kind, "text": idea.text,
            "upvotes": idea.upvotes, "hidden": idea.hidden, "kept": idea.kept,
            "merged_into": idea.merged_into}
    if role == "facilitator" and author is not None:
        view["author"] = author
    if role == "participant" and me is not None:
        view["mine"] = idea.participant_id == me
        view["upvoted"] = bool(upvoted)
    return view
