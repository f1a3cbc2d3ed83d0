"""The draft development plan: from the room's decisions to a ranked list of improvement items.

`build_plan` takes the session's frozen framework, its agenda, the decision in force for each
criterion, the summary of each criterion's latest round, the ideas, and what organizers have
already typed into the plan (`PlanEdits`), and returns a `Plan`:
- one `PlanEntry` per decided criterion: agreed current level, target, gap, importance,
  priority score and rank, proposed actions from the most upvoted visible ideas, the decision
  note, the kept strengths and OFIs (the OFI field is the kept OFIs until organizers type one),
  and the editable fields (owner and person, fiscal quarters, indicator, target value,
  budget amount, source and note, status, and what a working group writes: the OFI answered,
  objective, project, evidence, target level per fiscal year);
- the criteria not decided yet, as `OpenCriterion`s;
- a `CategorySummary` per category: mean current and target level, number of gaps.

The rules (docs/plan.md explains them with examples):
- gap = max(0, target - current); a missing target means "keep the current level" (gap 0);
- a missing importance counts as DEFAULT_IMPORTANCE (3, the middle of 1..5);
- priority score = gap x importance;
- order: out-of-scope items last; then score, highest first; ties toward weaker consensus
  (lower Tastle-Wierman of the criterion's latest round; no counted vote counts as 0); then
  agenda order (criteria decided off the agenda follow it, in framework order).

Fiscal quarters (fiscal.py) are named like the Thai government names them: "Q1/2570" is the first
quarter (October to December 2569 BE) of fiscal year 2570 BE, which ends on 30 September 2570 BE.
Pure Python: no Flask, no database, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from .consensus import Summary
from .fiscal import FiscalQuarter, quarter_label  # noqa: F401 (the plan's quarters)
from .framework import Framework

DEFAULT_IMPORTANCE = 3
MAX_PROPOSED_ACTIONS = 3
PLAN_STATUSES = ("planned", "in_progress", "done", "on_hold", "cancelled")
# the texts a working group writes into an item besides its actions (issue 8, point 4)
DETAIL_FIELDS = ("ofi", "objective", "project", "owner_person", "budget_source", "evidence")


# -- inputs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecidedLevels:
    """The decision in force for one criterion (see store/decisions.py)."""

    agreed_level: int | None
    target_level: int | None = None
    importance: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class IdeaFacts:
    """One improvement idea as the plan needs it."""

    id: int
    criterion_code: str
    text: str
    upvotes: int = 0
    hidden: bool = False
    kind: str = "idea"  # idea, strength or ofi
    kept: bool = False  # the facilitator kept it for the plan


@dataclass(frozen=True)
class PlanEdits:
    """What organizers typed into a plan item; None or empty keeps the computed value."""

    position: int | None = None
    actions: tuple[str, ...] = ()
    owner: str | None = None
    start_quarter: str | None = None
    end_quarter: str | None = None
    indicator: str | None = None
    target_value: str | None = None
    budget_note: str | None = None
    status: str = "planned"
    out_of_scope: bool = False
    ofi: str | None = None
    objective: str | None = None
    project: str | None = None
    owner_person: str | None = None
    budget_amount: int | None = None
    budget_source: str | None = None
    evidence: str | None = None
    year_targets: Mapping[str, int] | None = None  # BE fiscal year -> level to reach by its end


# -- outputs -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    text: str
    idea_id: int | None = None
    upvotes: int | None = None


@dataclass(frozen=True)
class PlanEntry:
    rank: int
    criterion_code: str
    category_code: str
    current_level: int
    target_level: int
    gap: int
    importance: int
    priority: int
    consensus: float | None  # Tastle-Wierman of the latest round, None without a counted vote
    consensus_reached: bool | None
    proposed_actions: tuple[Action, ...]
    actions: tuple[Action, ...]  # the organizers' actions when typed, else the proposed ones
    owner: str = ""
    start_quarter: str = ""
    end_quarter: str = ""
    indicator: str = ""
    target_value: str = ""
    budget_note: str = ""
    status: str = "planned"
    out_of_scope: bool = False
    note: str = ""  # the decision note of the meeting
    ofi: str = ""
    objective: str = ""
    project: str = ""
    owner_person: str = ""
    budget_amount: int | None = None
    budget_source: str = ""
    evidence: str = ""
    year_targets: tuple[tuple[str, int], ...] = ()  # what organizers set, by BE fiscal year
    strengths: tuple[str, ...] = ()  # the kept strengths of the criterion, most upvoted first
    kept_ofis: tuple[str, ...] = ()  # the kept OFIs: `ofi` is them, one a line, until one is typed


@dataclass(frozen=True)
class OpenCriterion:
    criterion_code: str
    category_code: str
    rounds_held: bool  # a round was voted, but no level agreed yet


@dataclass(frozen=True)
class CategorySummary:
    category_code: str
    criteria: int  # criteria of the category on the agenda or decided
    decided: int
    mean_current: float | None
    mean_target: float | None
    gaps: int  # decided criteria with a gap above 0
    total_gap: int


@dataclass(frozen=True)
class Plan:
    entries: tuple[PlanEntry, ...]
    open_criteria: tuple[OpenCriterion, ...]
    categories: tuple[CategorySummary, ...]
    levels: tuple[int, ...] = field(default=())


# -- the rules ---------------------------------------------------------------------------------

def gap(current: int, target: int | None) -> int:
    """How many levels the target lies above the current level; never below 0."""
    return max(0, (current if target is None else target) - current)


def priority_score(gap_levels: int, importance: int | None) -> int:
    """gap x importance (a missing importance counts as DEFAULT_IMPORTANCE)."""
    return gap_levels * (DEFAULT_IMPORTANCE if importance is None else importance)


def upgrade_path(current: int, target: int, years: int) -> tuple[int, ...]:
    """The level to reach by the end of each of `years` fiscal years: one level a year from
    the current level until the target (1 -> 3 over three years: 2, 3, 3)."""
    return tuple(min(target, current + year) if target > current else target
                 for year in range(1, years + 1))


def year_targets(entry: PlanEntry, years: Sequence[int]) -> tuple[int, ...]:
    """The 3-year upgrade plan of an entry: the level organizers set for a fiscal year (BE),
    else the one-level-a-year path of `upgrade_path`."""
    typed = dict(entry.year_targets)
    path = upgrade_path(entry.current_level, entry.target_level, len(years))
    return tuple(typed.get(str(year), default) for year, default in zip(years, path))


def proposed_actions(ideas: Iterable[IdeaFacts], criterion_code: str,
                     limit: int = MAX_PROPOSED_ACTIONS) -> tuple[Action, ...]:
    """The criterion's visible ideas with most upvotes (the earlier idea first on a tie)."""
    chosen = sorted((i for i in ideas if i.criterion_code == criterion_code and not i.hidden
                     and i.kind == "idea"), key=lambda i: (-i.upvotes, i.id))[:limit]
    return tuple(Action(i.text, i.id, i.upvotes) for i in chosen)


def kept_texts(ideas: Iterable[IdeaFacts], criterion_code: str, kind: str) -> tuple[str, ...]:
    """The criterion's kept strengths (or OFIs) still shown, most upvoted first."""
    chosen = sorted((i for i in ideas if i.criterion_code == criterion_code and i.kind == kind
                     and i.kept and not i.hidden), key=lambda i: (-i.upvotes, i.id))
    return tuple(i.text for i in chosen)


def criteria_in_scope(framework: Framework, agenda: Sequence[str],
                      decided: Iterable[str]) -> list[str]:
    """The agenda, then criteria decided off the agenda in framework order; unknown codes drop."""
    known = {c.code for c in framework.criteria()}
    extra = set(decided)
    codes = [code for code in dict.fromkeys(agenda) if code in known]
    codes += [c.code for c in framework.criteria() if c.code in extra and c.code not in codes]
    return codes


def build_plan(framework: Framework, agenda: Sequence[str], decisions: Mapping[str, DecidedLevels],
               summaries: Mapping[str, Summary] | None = None,
               ideas: Sequence[IdeaFacts] = (),
               edits: Mapping[str, PlanEdits] | None = None) -> Plan:
    """The draft plan of a session (see the module docstring for every rule)."""
    summaries = summaries or {}
    edits = edits or {}
    decided = {code: d for code, d in decisions.items() if d.agreed_level is not None}
    codes = criteria_in_scope(framework, agenda, decided)
    order = {code: index for index, code in enumerate(codes)}
    drafts, open_criteria = [], []
    for code in codes:
        category = framework.category_of(code).code
        if code not in decided:
            open_criteria.append(OpenCriterion(code, category, code in summaries))
            continue
        drafts.append(_entry(code, category, decided[code], summaries.get(code), ideas,
                             edits.get(code)))
    drafts.sort(key=lambda e: (e.out_of_scope, -e.priority, e.consensus or 0.0, order[e.criterion_code]))
    ranked = [_with_rank(entry, rank) for rank, entry in enumerate(drafts, start=1)]
    entries = tuple(sorted(ranked, key=lambda entry: _place(entry, edits.get(entry.criterion_code))))
    return Plan(entries, tuple(open_criteria), _categories(framework, codes, entries),
                tuple(framework.level_values()))


def _entry(code: str, category: str, decision: DecidedLevels, summary: Summary | None,
           ideas: Sequence[IdeaFacts], edit: PlanEdits | None) -> PlanEntry:
    current = decision.agreed_level
    target = current if decision.target_level is None else decision.target_level
    importance = DEFAULT_IMPORTANCE if decision.importance is None else decision.importance
    levels_gap = gap(current, target)
    proposed = proposed_actions(ideas, code)
    kept_ofis = kept_texts(ideas, code, "ofi")
    edit = edit or PlanEdits()
    typed = tuple(Action(text) for text in edit.actions if text.strip())
    counted = summary is not None and summary.n > 0
    return PlanEntry(
        rank=0, criterion_code=code, category_code=category, current_level=current,
        target_level=target, gap=levels_gap, importance=importance,
        priority=priority_score(levels_gap, importance),
        consensus=summary.tastle_wierman if counted else None,
        consensus_reached=summary.consensus_reached if counted else None,
        proposed_actions=proposed, actions=typed or proposed,
        owner=edit.owner or "", start_quarter=edit.start_quarter or "",
        end_quarter=edit.end_quarter or "", indicator=edit.indicator or "",
        target_value=edit.target_value or "", budget_note=edit.budget_note or "",
        status=edit.status or "planned", out_of_scope=edit.out_of_scope,
        note=decision.note or "", ofi=edit.ofi or "\n".join(kept_ofis), objective=edit.objective or "",
        project=edit.project or "", owner_person=edit.owner_person or "",
        budget_amount=edit.budget_amount, budget_source=edit.budget_source or "",
        evidence=edit.evidence or "", year_targets=tuple(sorted((edit.year_targets or {}).items())),
        strengths=kept_texts(ideas, code, "strength"), kept_ofis=kept_ofis,
    )


def _place(entry: PlanEntry, edit: PlanEdits | None) -> tuple[int, int, int]:
    """Where an entry stands in the plan: the order organizers set, then the priority rank."""
    if edit is not None and edit.position is not None:
        return (0, edit.position, entry.rank)
    return (1, 0, entry.rank)


def _with_rank(entry: PlanEntry, rank: int) -> PlanEntry:
    return PlanEntry(**{**entry.__dict__, "rank": rank})


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _categories(framework: Framework, codes: list[str],
                entries: tuple[PlanEntry, ...]) -> tuple[CategorySummary, ...]:
    by_code = {entry.criterion_code: entry for entry in entries}
    found = []
    for category in framework.categories:
        mine = [c.code for c in category.criteria if c.code in codes]
        if not mine:
            continue
        done = [by_code[code] for code in mine if code in by_code]
        found.append(CategorySummary(
            category_code=category.code, criteria=len(mine), decided=len(done),
            mean_current=_mean([e.current_level for e in done]),
            mean_target=_mean([e.target_level for e in done]),
            gaps=sum(1 for e in done if e.gap > 0), total_gap=sum(e.gap for e in done),
        ))
    return tuple(found)


def edits_from_row(row: Mapping[str, Any]) -> PlanEdits:
    """PlanEdits from a stored plan item's fields (actions as text or {"text": ...})."""
    actions = []
    for action in row.get("actions") or ():
        text = action.get("text") if isinstance(action, Mapping) else action
        if isinstance(text, str) and text.strip():
            actions.append(text.strip())
    return PlanEdits(
        position=row.get("position"), actions=tuple(actions), owner=row.get("owner"),
        start_quarter=row.get("start_quarter"), end_quarter=row.get("end_quarter"),
        indicator=row.get("indicator"), target_value=row.get("target_value"),
        budget_note=row.get("budget_note"), status=row.get("status") or "planned",
        out_of_scope=bool(row.get("out_of_scope")),
        **{name: row.get(name) or None for name in DETAIL_FIELDS},
        budget_amount=row.get("budget_amount") if isinstance(row.get("budget_amount"), int) else None,
        year_targets={str(y): level for y, level in (row.get("year_targets") or {}).items()
                      if isinstance(level, int)},
    )
