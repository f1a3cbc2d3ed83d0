"""Checklist answers on the hot path: record a phone's answers, count a round's answers.

`upsert_answers` is one INSERT ... ON CONFLICT (round_id, participant_id, line_id) DO UPDATE
for all the lines a phone sends, so a resent submission is harmless and its work is bounded
by the item's checklist, not by the room. `tally` and `answered_count` are single aggregate
queries meant for the coalesced updates, never once per answer.
"""
from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from .models import ChecklistAnswer, utcnow
from .votes import dialect_insert


def upsert_answers(db: Session, *, round_id: int, participant_id: int,
                   answers: dict[str, str]) -> None:
    """Record a phone's answers ({line id: "met" | "not_met" | "not_sure"}), replacing its
    earlier answers to those lines; lines it does not send keep what they had."""
    if not answers:
        return
    now = utcnow()
    insert = dialect_insert(db)(ChecklistAnswer).values([
        {"round_id": round_id, "participant_id": participant_id, "line_id": line_id,
         "answer": answer, "created_at": now, "updated_at": now}
        for line_id, answer in sorted(answers.items())])
    db.execute(insert.on_conflict_do_update(
        index_elements=[ChecklistAnswer.round_id, ChecklistAnswer.participant_id,
                        ChecklistAnswer.line_id],
        set_={ChecklistAnswer.answer: insert.excluded.answer,
              ChecklistAnswer.updated_at: insert.excluded.updated_at}))


def answers_of(db: Session, round_id: int, participant_id: int) -> dict[str, str]:
    """One phone's answers in a round, by line id."""
    return dict(db.execute(select(ChecklistAnswer.line_id, ChecklistAnswer.answer).where(
        ChecklistAnswer.round_id == round_id, ChecklistAnswer.participant_id == participant_id)
        .order_by(ChecklistAnswer.line_id)).all())


def tally(db: Session, round_ids: list[int]) -> dict[int, dict[str, dict[str, int]]]:
    """Answers per round, line and answer, by one GROUP BY."""
    found: dict[int, dict[str, dict[str, int]]] = {round_id: {} for round_id in round_ids}
    if not round_ids:
        return found
    rows = db.execute(select(ChecklistAnswer.round_id, ChecklistAnswer.line_id,
                             ChecklistAnswer.answer, func.count())
                      .where(ChecklistAnswer.round_id.in_(round_ids))
                      .group_by(ChecklistAnswer.round_id, ChecklistAnswer.line_id,
                                ChecklistAnswer.answer))
    for round_id, line_id, answer, count in rows:
        found[round_id].setdefault(line_id, {})[answer] = count
    return found


def answered_count(db: Session, round_id: int) -> int:
    """How many participants have answered at least one line of a round."""
    return db.scalar(select(func.count(distinct(ChecklistAnswer.participant_id)))
                     .where(ChecklistAnswer.round_id == round_id))
