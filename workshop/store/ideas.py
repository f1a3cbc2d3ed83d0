"""Upvoting ideas: one upvote per participant and idea, with `Idea.upvotes` kept in step.

Both helpers are retry-safe: a repeated upvote (or withdrawal) changes nothing, because the
counter moves only when the `IdeaUpvote` row was really inserted (or deleted).
"""
from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from .models import Idea, IdeaUpvote, utcnow
from .votes import dialect_insert


def _move_counter(db: Session, idea_id: int, step: int) -> None:
    db.execute(
        update(Idea)
        .where(Idea.id == idea_id)
        .values(upvotes=Idea.upvotes + step)
        .execution_options(synchronize_session=False)
    )


def upvote_idea(db: Session, *, idea_id: int, participant_id: int) -> bool:
    """Add a participant's upvote to an idea; False when they had upvoted it already."""
    statement = (
        dialect_insert(db)(IdeaUpvote)
        .values(idea_id=idea_id, participant_id=participant_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=[IdeaUpvote.idea_id, IdeaUpvote.participant_id])
        .returning(IdeaUpvote.idea_id)
    )
    added = db.execute(statement).first() is not None
    if added:
        _move_counter(db, idea_id, +1)
    return added


def withdraw_upvote(db: Session, *, idea_id: int, participant_id: int) -> bool:
    """Take a participant's upvote back; False when there was none."""
    removed = db.execute(
        delete(IdeaUpvote)
        .where(IdeaUpvote.idea_id == idea_id, IdeaUpvote.participant_id == participant_id)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if removed:
        _move_counter(db, idea_id, -1)
    return removed
