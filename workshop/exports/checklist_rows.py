"""What the exports show of checklist rounds: per criterion, each line the room answered,
met, not met or disputed, with its answers, and which lines are proposed OFIs.

Computed from the export data with the same domain rules the live pages use
(`domain.checklist_results`): the latest answers of each line across the criterion's closed
(or revealed) checklist rounds, the line verdicts, and, for a criterion with a decision in
force, the lines still to meet up to its target level.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain import checklist_results as rules
from ..domain.framework import Framework
from .figures import decisions_in_force, framework_of, thresholds_of
from .group_labels import round_group, round_group_header
from .labels import labels
from .tables import Table, language


@dataclass(frozen=True)
class LineRow:
    criterion_code: str
    level: int
    line_id: str
    verdict: str
    met: int
    not_met: int
    not_sure: int
    proposed_ofi: bool


def _counts(round_: dict[str, Any]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for answer in round_.get("answers") or ():
        line = found.setdefault(answer["line"], {})
        line[answer["answer"]] = line.get(answer["answer"], 0) + 1
    return found


def checklist_lines(export_data: dict[str, Any], framework: Framework) -> dict[str, list[LineRow]]:
    """Per criterion with a closed checklist round (framework order), its answered lines; in a
    merged workshop, those of the group whose rounds come last (the one whose decision stands)."""
    return {code: rows for (code, _group), rows in lines_by_group(export_data, framework).items()}


def lines_by_group(export_data: dict[str, Any],
                   framework: Framework) -> dict[tuple[str, str | None], list[LineRow]]:
    """Per criterion and group that held a closed checklist round on it (the group is None
    outside a merged workshop), its answered lines. A group's lines count its own rounds only,
    and its proposed OFIs follow its own decision in force."""
    held: dict[tuple[str, str | None], list[dict]] = {}
    for r in sorted(export_data["rounds"], key=lambda r: r["number"]):
        if r.get("kind") == "checklist" and r["state"] in ("closed", "revealed"):
            held.setdefault((r["criterion_code"], r.get("group")), []).append(r)
    limits = thresholds_of(export_data)
    order = [x.code for x in framework.criteria()]
    found: dict[tuple[str, str | None], list[LineRow]] = {}
    for code, group in sorted(held, key=lambda key: order.index(key[0])):
        criterion = framework.criterion(code)
        merged = rules.latest_per_line([(r["lines"] or [], _counts(r)) for r in held[(code, group)]])
        every = [(line.id, value) for value in sorted(criterion.checklists)
                 for line in criterion.checklists[value]]
        results = [r for r in rules.line_results(every, merged, limits) if r.line_id in merged]
        verdicts = {r.line_id: r.verdict for r in results}
        decided = decisions_in_force({"decisions": [d for d in export_data["decisions"]
                                                    if d.get("group") == group]})
        target = decided[code].target_level if code in decided else None
        ofis = set() if target is None else {
            line_id for _, line_id, _ in rules.proposed_ofis(criterion.checklists, verdicts, target)}
        found[(code, group)] = [LineRow(code, r.level, r.line_id, r.verdict, r.summary.counts[rules.MET],
                                        r.summary.counts[rules.NOT_MET], r.summary.not_sure,
                                        r.line_id in ofis) for r in results]
    return found


def checklist_table(export_data: dict[str, Any], framework: Framework | None = None) -> Table:
    """One row per answered checklist line: criterion, level, line, the room's verdict, its
    answers, and whether it is a proposed OFI of the decision in force (in a merged workshop,
    one set of rows per group that ran the item's checklist, naming the group)."""
    lang, words = language(export_data), labels(language(export_data))
    framework = framework or framework_of(export_data)
    keys = ["criterion", "criterion_title", "level", "line", "line_text", "line_verdict",
            "answer_met", "answer_not_met", "not_sure", "proposed_ofi"]
    table = Table([words[k] for k in keys] + round_group_header(export_data), wide=(1, 4))
    for (code, group), rows in lines_by_group(export_data, framework).items():
        criterion = framework.criterion(code)
        for row in rows:
            table.rows.append([
                code, criterion.title.get(lang), row.level, row.line_id,
                criterion.checklist_line(row.line_id).get(lang), words[f"line_{row.verdict}"],
                row.met, row.not_met, row.not_sure, words["yes" if row.proposed_ofi else "no"],
                *round_group(export_data, {"group": group})])
    return table
