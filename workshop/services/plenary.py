"""The plenary view: one projector walks the whole room through the merged results.

Slides: first the workshop and its groups, then one slide per criterion any group decided, in
framework order (the decision that stands, which group decided it, and for a conflict every
group's levels and, once settled, the organizer's choice and note). The position is kept on
the workshop, so the organizer's buttons and the plenary screen's keyboard move the same view,
and a reloaded screen comes back where it was.
"""
from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import Session

from ..domain.framework import Framework
from ..store.models import Workshop
from .groups import progress
from .lookups import framework_of
from .merge import Option, Outcome, outcomes

STEPS = {"next": 1, "previous": -1}


def _level(framework: Framework, value: int | None) -> dict | None:
    if value is None:
        return None
    return {"value": value, "label": dict(framework.level(value).label.model_dump())}


def _option(framework: Framework, option: Option) -> dict:
    return {"group": option.group, "agreed": _level(framework, option.agreed_level),
            "target": _level(framework, option.target_level), "note": option.note}


def _criterion_slide(framework: Framework, outcome: Outcome) -> dict:
    criterion = framework.criterion(outcome.code)
    chosen = outcome.chosen
    return {
        "kind": "criterion", "code": outcome.code,
        "title": dict(criterion.title.model_dump()),
        "category": dict(framework.category_of(outcome.code).title.model_dump()),
        "conflict": outcome.conflict, "settled": outcome.settled,
        "options": [_option(framework, o) for o in outcome.options],
        "chosen": None if chosen is None else _option(framework, chosen),
        "settlement_note": outcome.settlement.note if outcome.settlement else None,
    }


def slides(db: Session, workshop: Workshop) -> list[dict]:
    """Every slide of the plenary, as plain data."""
    if not workshop.groups:
        return []
    framework = framework_of(db, workshop.groups[0].id)
    found = outcomes(db, workshop)
    overview = {"kind": "overview", "title": workshop.title,
                "organization": workshop.organization,
                "groups": [{"name": row["name"], "decided": row["decided"], "agenda": row["agenda"]}
                           for row in progress(db, workshop)],
                "decided": len(found), "conflicts": sum(1 for o in found if o.conflict),
                "unsettled": sum(1 for o in found if not o.settled)}
    return [overview] + [_criterion_slide(framework, outcome) for outcome in found]


def digest(shown: list[dict]) -> str:
    """Changes whenever what the slides show changes (the screen then reloads them)."""
    text = json.dumps(shown, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def position(workshop: Workshop, total: int) -> int:
    return max(0, min(workshop.plenary_position or 0, total - 1))


def step(workshop: Workshop, direction: object, total: int) -> int:
    """Move the plenary to the next or previous slide, or to the first ("first"); stays inside
    the slides. Raises ValueError for any other direction."""
    if direction == "first":
        workshop.plenary_position = 0
    elif direction in STEPS:
        workshop.plenary_position = max(0, min(position(workshop, total) + STEPS[direction],
                                               total - 1))
    else:
        raise ValueError("step: next, previous or first")
    return workshop.plenary_position
