"""Everything a workshop session holds in the store, as plain comparable data: tests compare it
before and after an event to show that a refused or resent event changed nothing.

Times are left out (a resent vote may touch `updated_at`); whether a decision is undone is kept.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from workshop.store.models import Decision, Idea, IdeaUpvote, Participant, PlanItem, Round, Vote, WorkshopSession

MODELS = (Participant, Round, Decision, Idea, PlanItem)


def _row(item) -> dict:
    values = {}
    for column in item.__table__.columns:
        value = getattr(item, column.key)
        if column.key == "undone_at":
            values["undone"] = value is not None
        elif not isinstance(value, (datetime, date)):
            values[column.key] = value
    return values


def session_state(app, session_id: str) -> dict:
    """The session row and every row that belongs to it, by table."""
    with app.extensions["workshop.store"].session() as db:
        found = {"session": _row(db.get(WorkshopSession, session_id))}
        for model in MODELS:
            rows = db.scalars(select(model).where(model.session_id == session_id).order_by(model.id))
            found[model.__tablename__] = [_row(row) for row in rows]
        round_ids = [row["id"] for row in found["rounds"]]
        idea_ids = [row["id"] for row in found["ideas"]]
        found["votes"] = [_row(v) for v in db.scalars(
            select(Vote).where(Vote.round_id.in_(round_ids)).order_by(Vote.id))]
        found["idea_upvotes"] = sorted((u.idea_id, u.participant_id) for u in db.scalars(
            select(IdeaUpvote).where(IdeaUpvote.idea_id.in_(idea_ids))))
        return found
