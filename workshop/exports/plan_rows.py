"""The plan as one wide table row per item: what the PDF report's landscape plan table prints.

The Word plan lays each item out as a block of paragraphs instead (docx_export.py); this grid
stays for the PDF, whose landscape pages hold its 13 columns.
"""
from __future__ import annotations

from typing import Any

from ..domain.framework import Framework
from ..domain.plan import Plan, quarter_label

# (label key, width in cm) of the plan table's columns
PLAN_COLUMNS = (("rank", 1.1), ("category_criterion", 3.4), ("current_level", 1.6),
                ("target_level", 1.6), ("gap", 1.4), ("importance", 1.4), ("priority", 1.4),
                ("actions", 3.1), ("owner", 1.9), ("quarters", 2.3), ("indicator", 2.0),
                ("budget_note", 2.0), ("status", 1.6))  # the page's 24.7 cm


def plan_rows(framework: Framework, plan: Plan, lang: str, words: dict[str, str],
              groups: dict[str, str] | None = None) -> list[list[Any]]:
    """The plan table's rows: one per ranked item, then one per open criterion. `groups`: in a
    merged workshop, the group label printed under each item's title."""
    rows = []
    for e in plan.entries:
        title = framework.criterion(e.criterion_code).title.get(lang)
        if (groups or {}).get(e.criterion_code):
            title = f"{title}\n[{words['group']}: {groups[e.criterion_code]}]"
        actions = "\n".join(f"{n}. {a.text}" for n, a in enumerate(e.actions, start=1))
        period = " –\n".join(q for q in (quarter_label(e.start_quarter, lang),
                                        quarter_label(e.end_quarter, lang)) if q)
        indicator = "\n".join(t for t in (e.indicator, e.target_value and
                                          f"{words['target_value']}: {e.target_value}") if t)
        status = words.get(f"status_{e.status}", e.status)
        if e.out_of_scope:
            status = f"{status}\n({words['out_of_scope']})"
        rows.append([e.rank, f"{e.criterion_code} {title}", e.current_level, e.target_level, e.gap,
                     e.importance, e.priority, actions, e.owner, period, indicator,
                     e.budget_note, status])
    for item in plan.open_criteria:
        title = framework.criterion(item.criterion_code).title.get(lang)
        rows.append(["", f"{item.criterion_code} {title}"] + [""] * 10 + [words["open"]])
    return rows
