"""The organization plan of a workshop of working groups, edited as one.

There is no separate merged plan to keep in step: each row of the merged plan IS the plan item
of the group whose decision on that criterion stands (the one the merged exports print,
services/merge.py), and editing a row on the organizer's merged plan page edits that item in
its own group's plan, under the plan editor's version rules (services/plan.py: a field another
person changed meanwhile is a conflict, and nothing of it changes). So the group's own editor,
the merged page and every export always show the same plan. docs/plan.md, "Editing the
merged plan".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..exports.figures import framework_of, level_text, plan_of
from ..store.models import PlanItem, Workshop
from . import merge
from . import plan as plan_service
from .plan_values import check_quarters, clean_value

# the fields of a row the merged page edits (the group's own editor has them all)
EDITED = ("ofi", "project", "owner", "owner_person", "start_quarter", "end_quarter", "indicator",
          "target_value", "budget_amount", "budget_source")


@dataclass
class RowEdit:
    """What one row's save did: the fields saved, and those another person had changed."""
    saved: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def materialize_all(db: Session, workshop: Workshop) -> None:
    """Every group's plan items for its decided criteria (as opening its editor does)."""
    for group in workshop.groups:
        plan_service.materialize(db, group.id)


def rows(db: Session, workshop: Workshop, lang: str) -> list[dict[str, Any]]:
    """The merged plan in rank order: per row its criterion, levels and priority, the group
    whose plan holds it, and that item's editable fields. Raises merge.ConflictsUnsettled."""
    export_data = merge.merged_export_data(db, workshop)
    framework = framework_of(export_data)
    standing = {o.code: o.chosen for o in merge.outcomes(db, workshop)}
    ids = [group.id for group in workshop.groups]
    items = {(i.session_id, i.criterion_code): i
             for i in db.scalars(select(PlanItem).where(PlanItem.session_id.in_(ids)))}
    found = []
    for e in plan_of(export_data, framework).entries:
        chosen = standing[e.criterion_code]
        item = items.get((chosen.session_id, e.criterion_code))
        if item is None:
            continue  # decided after the items were stored: the next page load stores it
        found.append({
            "rank": e.rank, "code": e.criterion_code,
            "title": framework.criterion(e.criterion_code).title.get(lang),
            "current": f"{e.current_level} {level_text(framework, e.current_level, lang)}",
            "target": f"{e.target_level} {level_text(framework, e.target_level, lang)}",
            "priority": e.priority, "group": chosen.group, "session_id": chosen.session_id,
            "item": plan_service.item_view(item)})
    return found


def edit_row(db: Session, workshop: Workshop, session_id: Any, item_id: Any, version: Any,
             values: dict[str, Any], bases: dict[str, Any]) -> RowEdit:
    """Save the fields of a row whose value differs from what the page showed (`bases`), in
    the item's own group's plan. Raises plan.PlanItemNotFound for an item outside the
    workshop's groups and plan.PlanInvalid, saving nothing, for a bad value."""
    if session_id not in {group.id for group in workshop.groups}:
        raise plan_service.PlanItemNotFound(f"no group {session_id!r} in this workshop")
    changed = {name: values[name] for name in EDITED
               if name in values and (values[name] or "") != (bases.get(name) or "")}
    _check(db, session_id, item_id, changed)  # every value first: a bad one saves nothing
    done = RowEdit()
    for name, value in changed.items():
        result = plan_service.update_field(db, session_id, item_id, name, value or None,
                                           version=version, base=bases.get(name) or None)
        (done.saved if result.ok else done.conflicts).append(name)
    return done


def _check(db: Session, session_id: str, item_id: Any, changed: dict[str, Any]) -> None:
    """Raise as `update_field` would for any of the row's changed values, before any is saved;
    the period is checked as it will stand once both quarters are saved."""
    item = db.get(PlanItem, item_id) if isinstance(item_id, int) else None
    if item is None or item.session_id != session_id:
        raise plan_service.PlanItemNotFound(f"no plan item {item_id!r} in this group")
    cleaned = {name: clean_value(name, value or None) for name, value in changed.items()}
    period = SimpleNamespace(start_quarter=cleaned.get("start_quarter", item.start_quarter),
                             end_quarter=cleaned.get("end_quarter", item.end_quarter))
    check_quarters(period, "end_quarter", period.end_quarter)
