"""The plan editor's intents: materialize the draft plan, read it, and edit its items safely.

- `materialize` stores one `PlanItem` per decided criterion that has none yet, its actions
  proposed by the domain rules (the most upvoted visible ideas). An item that exists is never
  touched again: what organizers typed stays.
- `plan_view` is what the editor shows: the items in the organizers' order with the figures of
  `domain.plan` (current, target, gap, importance, priority, rank, consensus, distribution),
  the criteria still open, and the summary per category.
- `update_field`, `change_actions` edit one item under a version check (each value is checked
  by plan_values.py). The editor sends the
  version it loaded and the value of the field it started from (`base`). When the item moved on
  meanwhile but that field is still as the editor saw it, the change is applied (per-field
  merge); otherwise the result is a conflict carrying the current item, and nothing changes.
- `move_item` moves an item up or down; positions are not versioned, so reordering never
  makes anyone's field edit a conflict.
Every value is validated first; bad input raises `PlanInvalid` and changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..domain import limits
from ..domain.consensus import Thresholds, summarize
from ..domain.dates import bangkok_day
from ..domain.fiscal import plan_fiscal_year, plan_years, quarters_in_year
from ..domain.numbers import format_baht
from ..domain.plan import (PLAN_STATUSES, DecidedLevels, IdeaFacts, Plan, build_plan,
                           edits_from_row, upgrade_path)
from ..errors import NotFound
from ..store import decisions as decision_store
from ..store.models import Idea, PlanItem, Round, Vote, WorkshopSession, utcnow
from . import checklists
from .lookups import framework_of
from .plan_values import (FIELDS, LINE_FIELDS, QUARTER_FIELDS, TEXT_FIELDS, PlanInvalid,
                          amount_value, check_quarters, clean_value, text_value, version_value,
                          year_targets_value)

ACTION_LIMIT = limits.PLAN_ACTION
MAX_ACTIONS = 20
MERGE_SEPARATOR = "; "
_MISSING = object()


class PlanItemNotFound(NotFound):
    """No such item in this session."""


@dataclass
class EditResult:
    ok: bool
    item: dict
    merged: bool = False  # applied although the item had moved on (another field changed)
    field: str | None = None

    def to_dict(self) -> dict:
        answer = {"ok": self.ok, "item": self.item, "field": self.field}
        if self.ok:
            answer["merged"] = self.merged
        else:
            answer["conflict"] = True
        return answer


@dataclass
class _Facts:
    session: WorkshopSession
    decisions: dict[str, DecidedLevels]
    rounds: dict[str, dict] = field(default_factory=dict)  # code -> latest round's figures
    ideas: list[IdeaFacts] = field(default_factory=list)


# -- reading -----------------------------------------------------------------------------------

def _session(db: Session, session_id: str) -> WorkshopSession:
    found = db.get(WorkshopSession, session_id) if isinstance(session_id, str) else None
    if found is None:
        raise PlanItemNotFound(f"no session {session_id!r}")
    return found


def _latest_rounds(db: Session, session: WorkshopSession, thresholds: Thresholds) -> dict[str, dict]:
    """Per criterion: its latest round's summary and counts, from two queries."""
    latest: dict[str, tuple[int, int]] = {}
    for round_id, code, number in db.execute(select(Round.id, Round.criterion_code, Round.number)
                                             .where(Round.session_id == session.id)):
        if code not in latest or number > latest[code][0]:
            latest[code] = (number, round_id)
    ids = {round_id: code for code, (_, round_id) in latest.items()}
    counts: dict[str, dict[int, int]] = {code: {} for code in latest}
    not_sure = {code: 0 for code in latest}
    if ids:
        for round_id, level, count in db.execute(
                select(Vote.round_id, Vote.level, func.count())
                .where(Vote.round_id.in_(list(ids))).group_by(Vote.round_id, Vote.level)):
            if level is None:
                not_sure[ids[round_id]] = count
            else:
                counts[ids[round_id]][level] = count
    scale = framework_of(db, session.id).level_values()
    return {code: {"number": latest[code][0],
                   "summary": summarize(counts[code], scale, not_sure[code], thresholds)}
            for code in latest}


def _facts(db: Session, session: WorkshopSession) -> _Facts:
    decisions = {code: DecidedLevels(d.agreed_level, d.target_level, d.importance, d.note)
                 for code, d in decision_store.current_decisions(db, session.id).items()}
    limits = Thresholds.from_dict((session.settings or {}).get("thresholds") or {})
    ideas = [IdeaFacts(i.id, i.criterion_code, i.text, i.upvotes, i.hidden, i.kind, i.kept)
             for i in db.scalars(
        select(Idea).where(Idea.session_id == session.id).order_by(Idea.id))]
    return _Facts(session, decisions, _latest_rounds(db, session, limits), ideas)


def _items(db: Session, session_id: str) -> list[PlanItem]:
    """The session's items in the organizers' order; a duplicate of a criterion drops out."""
    seen, found = set(), []
    for item in db.scalars(select(PlanItem).where(PlanItem.session_id == session_id)
                           .order_by(PlanItem.position, PlanItem.id)):
        if item.criterion_code not in seen:
            seen.add(item.criterion_code)
            found.append(item)
    return found


def _plan(db: Session, facts: _Facts, items: list[PlanItem]) -> Plan:
    framework = framework_of(db, facts.session.id)
    edits = {item.criterion_code: edits_from_row(item_view(item)) for item in items}
    summaries = {code: found["summary"] for code, found in facts.rounds.items()}
    return build_plan(framework, facts.session.agenda, facts.decisions, summaries, facts.ideas, edits)


def plan_year(session: WorkshopSession) -> int:
    """The fiscal year (BE) the session's plan is for: the one after the workshop's."""
    return plan_fiscal_year(session.held_on or bangkok_day(utcnow()))


def item_view(item: PlanItem, year: int | None = None) -> dict:
    """The stored, editable fields of an item (empty text as ""); with the plan's fiscal year,
    also which of its quarters the item's period covers (the annual action plan's grid)."""
    view = {"id": item.id, "version": item.version, "criterion_code": item.criterion_code,
            "position": item.position,
            "actions": [_action_dict(a) for a in item.actions or []],
            **{name: getattr(item, name) or "" for name in (*LINE_FIELDS, *TEXT_FIELDS, *QUARTER_FIELDS)},
            "budget_amount": item.budget_amount, "budget_amount_text": format_baht(item.budget_amount),
            "year_targets": dict(item.year_targets or {}),
            "status": item.status or "planned", "out_of_scope": bool(item.out_of_scope)}
    if year is not None:
        view["quarter_grid"] = list(quarters_in_year(item.start_quarter, item.end_quarter, year))
    return view


def _answer(db: Session, item: PlanItem) -> dict:
    return item_view(item, plan_year(db.get(WorkshopSession, item.session_id)))


def _action_dict(action: Any) -> dict:
    if isinstance(action, dict):
        return {"text": str(action.get("text") or ""), "idea_id": action.get("idea_id")}
    return {"text": str(action), "idea_id": None}


def _distribution(found: dict | None) -> dict | None:
    if found is None:
        return None
    summary = found["summary"]
    return {"round": found["number"], "n": summary.n, "not_sure": summary.not_sure,
            "counts": {str(k): v for k, v in summary.counts.items()}, "median": summary.median,
            "consensus": summary.tastle_wierman, "consensus_reached": summary.consensus_reached}


def plan_view(db: Session, session_id: str) -> dict:
    """Everything the editor shows, in plain JSON-able values (texts as {th, en})."""
    session = _session(db, session_id)
    framework = framework_of(db, session.id)
    facts = _facts(db, session)
    items = _items(db, session.id)
    plan = _plan(db, facts, items)
    entries = {entry.criterion_code: entry for entry in plan.entries}
    title = {c.code: {"th": c.title.th, "en": c.title.en} for c in framework.criteria()}
    year = plan_year(session)
    years = plan_years(year)
    lines = checklists.decided_lines(db, session)
    shown = []
    for item in items:
        entry = entries.get(item.criterion_code)
        if entry is None:
            continue  # its decision was undone: the criterion is listed as open, the item kept
        shown.append({**item_view(item, year), "title": title[entry.criterion_code],
                      "upgrade_default": list(upgrade_path(entry.current_level, entry.target_level,
                                                           len(years))),
                      "category_code": entry.category_code, "rank": entry.rank,
                      "current_level": entry.current_level, "target_level": entry.target_level,
                      "gap": entry.gap, "importance": entry.importance, "priority": entry.priority,
                      "consensus": entry.consensus, "consensus_reached": entry.consensus_reached,
                      "note": entry.note, "strengths": list(entry.strengths),
                      "kept_ofis": list(entry.kept_ofis),
                      "proposed_actions": [{"text": a.text, "idea_id": a.idea_id, "upvotes": a.upvotes}
                                           for a in entry.proposed_actions],
                      "distribution": _distribution(facts.rounds.get(item.criterion_code)),
                      "checklist": lines.get(item.criterion_code)})
    return {
        "session": {"id": session.id, "title": session.title, "organization": session.organization},
        "fiscal_year": year, "plan_years": list(years),
        "levels": [{"value": lv.value, "label": {"th": lv.label.th, "en": lv.label.en}}
                   for lv in framework.levels],
        "categories": [{"code": c.category_code,
                        "title": _category_title(framework, c.category_code),
                        "criteria": c.criteria, "decided": c.decided, "mean_current": c.mean_current,
                        "mean_target": c.mean_target, "gaps": c.gaps, "total_gap": c.total_gap}
                       for c in plan.categories],
        "items": shown,
        "open": [{"criterion_code": o.criterion_code, "title": title[o.criterion_code],
                  "category_code": o.category_code, "rounds_held": o.rounds_held,
                  "distribution": _distribution(facts.rounds.get(o.criterion_code))}
                 for o in plan.open_criteria],
        "statuses": list(PLAN_STATUSES),
    }


def _category_title(framework, code: str) -> dict:
    category = next(c for c in framework.categories if c.code == code)
    return {"th": category.title.th, "en": category.title.en}


# -- materialize ---------------------------------------------------------------------------------

def _lock_plan(db: Session, session_id: str) -> None:
    """Serialize plan writers of one session: a row lock (PostgreSQL), the write lock (SQLite)."""
    db.execute(text("UPDATE workshop_sessions SET link_nonce = link_nonce WHERE id = :sid"),
               {"sid": session_id})


def materialize(db: Session, session_id: str) -> int:
    """Store an item for every decided criterion without one; returns how many were made."""
    session = _session(db, session_id)
    decided = {code for code, d in decision_store.current_decisions(db, session.id).items()
               if d.agreed_level is not None}
    stored = set(db.scalars(select(PlanItem.criterion_code).where(PlanItem.session_id == session.id)))
    if not decided - stored:
        return 0
    _lock_plan(db, session.id)
    items = _items(db, session.id)
    stored = {item.criterion_code for item in items}
    facts = _facts(db, session)
    plan = _plan(db, facts, items)
    position = max((item.position for item in items), default=0)
    made = 0
    for entry in plan.entries:
        if entry.criterion_code in stored:
            continue
        position += 1
        made += 1
        db.add(PlanItem(session_id=session.id, criterion_code=entry.criterion_code, position=position,
                        actions=[{"text": a.text, "idea_id": a.idea_id} for a in entry.proposed_actions],
                        status="planned", out_of_scope=False))
    db.flush()
    return made


# -- validation (plan_values.py holds the rules of each value) ---------------------------------------

def _year_targets(db: Session, item: PlanItem, value: Any) -> dict[str, int] | None:
    years = plan_years(plan_year(db.get(WorkshopSession, item.session_id)))
    return year_targets_value(value, years, framework_of(db, item.session_id).level_values())


def _comparable(name: str, value: Any) -> Any:
    if name == "out_of_scope":
        return bool(value)
    if name == "actions":
        return [_action_dict(a)["text"] for a in value or []]
    if name == "budget_amount":
        try:
            return amount_value(value)
        except PlanInvalid:
            return value
    if name == "year_targets":
        return {str(y): v for y, v in (value or {}).items() if v is not None}
    return value or ""


# -- editing -------------------------------------------------------------------------------------

def _item(db: Session, session_id: str, item_id: Any) -> PlanItem:
    if not isinstance(item_id, int) or isinstance(item_id, bool):
        raise PlanItemNotFound(f"no plan item {item_id!r}")
    item = db.get(PlanItem, item_id)
    if item is None or item.session_id != session_id:
        raise PlanItemNotFound(f"no plan item {item_id!r} in this session")
    return item


def _apply(db: Session, item: PlanItem, name: str, new_value: Any, version: int, base: Any) -> EditResult:
    """Set one attribute under the version rules of the module docstring."""
    current = getattr(item, name)
    merged = item.version != version
    if merged and _comparable(name, current) == _comparable(name, new_value):
        return EditResult(True, _answer(db, item), merged=True, field=name)  # the same change
    if merged and (base is _MISSING or _comparable(name, base) != _comparable(name, current)):
        return EditResult(False, _answer(db, item), field=name)
    try:
        with db.begin_nested():
            setattr(item, name, new_value)
            db.flush()
    except StaleDataError:  # someone committed between our read and our write
        db.refresh(item)
        return EditResult(False, _answer(db, item), field=name)
    return EditResult(True, _answer(db, item), merged=merged, field=name)


def update_field(db: Session, session_id: str, item_id: Any, name: Any, value: Any, *,
                 version: Any, base: Any = _MISSING) -> EditResult:
    """Change one field of one item (see the module docstring for conflicts and merges)."""
    if name not in FIELDS:
        raise PlanInvalid("field", "unknown_field")
    cleaned = None if name == "year_targets" else clean_value(name, value)
    version = version_value(version)
    if base is not _MISSING and base is not None and name not in ("out_of_scope", "budget_amount") \
            and not isinstance(base, dict if name == "year_targets" else str):
        raise PlanInvalid("base", "not_text")
    item = _item(db, session_id, item_id)
    if name == "year_targets":
        cleaned = _year_targets(db, item, value)
    if name in QUARTER_FIELDS:
        check_quarters(item, name, cleaned)
    return _apply(db, item, name, cleaned, version, base)


def _action_text(value: Any) -> str:
    cleaned = text_value("text", value, ACTION_LIMIT, multiline=False)
    if cleaned is None:
        raise PlanInvalid("text", "empty")
    return cleaned


def _index(value: Any, size: int, name: str = "index") -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < size:
        raise PlanInvalid(name, "bad_index")
    return value


def _changed_actions(actions: list[dict], op: Any, index: Any, indexes: Any, text_: Any) -> list[dict]:
    actions = [dict(a) for a in actions]
    if op == "add":
        if len(actions) >= MAX_ACTIONS:
            raise PlanInvalid("actions", "too_many", limit=MAX_ACTIONS)
        actions.append({"text": _action_text(text_), "idea_id": None})
    elif op == "edit":
        at = _index(index, len(actions))
        actions[at] = {**actions[at], "text": _action_text(text_)}
    elif op == "drop":
        del actions[_index(index, len(actions))]
    elif op == "merge":
        if not isinstance(indexes, list) or len(set(map(repr, indexes))) < 2:
            raise PlanInvalid("indexes", "merge_needs_two")
        chosen = sorted({_index(i, len(actions), "indexes") for i in indexes})
        joined = MERGE_SEPARATOR.join(actions[i]["text"] for i in chosen)
        if len(joined) > ACTION_LIMIT:
            raise PlanInvalid("text", "too_long", limit=ACTION_LIMIT)
        first = chosen[0]
        actions[first] = {"text": joined, "idea_id": actions[first].get("idea_id")}
        actions = [a for i, a in enumerate(actions) if i not in chosen[1:]]
    else:
        raise PlanInvalid("op", "unknown_op")
    return actions


def change_actions(db: Session, session_id: str, item_id: Any, op: Any, *, version: Any,
                   base: Any = _MISSING, index: Any = None, indexes: Any = None,
                   text: Any = None) -> EditResult:
    """Add, edit, merge or drop an action of an item. `base` is the list of action texts the
    editor saw; positions in it are what `index`/`indexes` refer to."""
    version = version_value(version)
    if base is not _MISSING and (not isinstance(base, list) or not all(isinstance(t, str) for t in base)):
        raise PlanInvalid("base", "not_text")
    item = _item(db, session_id, item_id)
    current = [_action_dict(a) for a in item.actions or []]
    if item.version != version and (base is _MISSING or _comparable("actions", current) != base):
        return EditResult(False, _answer(db, item), field="actions")
    changed = _changed_actions(current, op, index, indexes, text)
    return _apply(db, item, "actions", changed, version, base)


def move_item(db: Session, session_id: str, item_id: Any, direction: Any) -> list[int]:
    """Move an item one place up or down among the shown items; returns the new order of ids."""
    if direction not in ("up", "down"):
        raise PlanInvalid("direction", "unknown_direction")
    _item(db, session_id, item_id)
    _lock_plan(db, session_id)
    view = plan_view(db, session_id)
    order = [item["id"] for item in view["items"]]
    if item_id not in order:
        raise PlanItemNotFound(f"plan item {item_id!r} is not shown")
    at = order.index(item_id)
    to = at - 1 if direction == "up" else at + 1
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
    _store_order(db, session_id, order)
    return order


def _store_order(db: Session, session_id: str, order: list[int]) -> None:
    """Positions 1..n in `order`, then every other item after them (not versioned on purpose)."""
    rest = [item.id for item in db.scalars(select(PlanItem).where(PlanItem.session_id == session_id)
                                           .order_by(PlanItem.position, PlanItem.id))
            if item.id not in order]
    for position, item_id in enumerate([*order, *rest], start=1):
        db.execute(update(PlanItem).where(PlanItem.id == item_id)
                   .values(position=position)
                   .execution_options(synchronize_session=False))
    db.expire_all()
