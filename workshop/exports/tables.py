"""The tables every tabular export shares (plan, votes, results, ideas, participation).

Each function takes the export data and returns a `Table`: column headers in the session's language
and rows of plain values (text, whole numbers, decimals, times, or None for an empty cell).
Times are Bangkok time (the export data keeps UTC), as naive datetimes: the CSV writer prints them
for people, the Excel writer makes them real date-time cells.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..domain.framework import Framework
from ..domain.dates import BUDDHIST_ERA_OFFSET, bangkok
from ..domain.fiscal import QUARTER_MONTHS, plan_years, quarters_in_year
from ..domain.plan import Plan, quarter_label, year_targets
from .group_labels import group_label, is_merged, round_group, round_group_header
from .figures import (decisions_in_force, framework_of, level_text, named, plan_of, plan_year_of,
                      round_summaries)
from .indicator_rows import indicator_headers, indicator_rows
from .labels import labels

Cell = Any


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    wide: tuple[int, ...] = ()  # columns holding long text (wrapped and wider in Excel)


def language(export_data: dict[str, Any]) -> str:
    return export_data["session"]["language"]


def when(iso_utc: str | None) -> datetime | None:
    """The export data's UTC time as the Bangkok wall-clock time people read (naive: Excel and CSV
    keep no zone; the header says Bangkok)."""
    return None if not iso_utc else bangkok(datetime.fromisoformat(iso_utc)).replace(tzinfo=None)


def _yes(value: bool, words: dict[str, str]) -> str:
    return words["yes"] if value else words["no"]


def _plan_basis(export_data: dict[str, Any], framework: Framework | None,
                plan: Plan | None) -> tuple[str, dict[str, str], Framework, Plan]:
    """What a table of the plan is drawn from: the export's language and its words, the framework
    (the export's copy unless the caller parsed it already) and the plan (derived unless given)."""
    framework = framework or framework_of(export_data)
    lang = language(export_data)
    return lang, labels(lang), framework, plan or plan_of(export_data, framework)


def plan_table(export_data: dict[str, Any], framework: Framework | None = None,
               plan: Plan | None = None) -> Table:
    """One row per plan item in rank order, then the criteria still open."""
    lang, words, framework, plan = _plan_basis(export_data, framework, plan)
    keys = ["rank", "category", "criterion", "criterion_title", "current_level", "current_label",
            "target_level", "target_label", "gap", "importance", "priority", "agreement_index",
            "actions", "owner", "start", "end", "indicator", "target_value", "budget_note",
            "status", "out_of_scope", "note", "ofi", "objective", "project", "owner_person",
            "budget_amount", "budget_source", "evidence_to_produce", "strengths"]
    keys += ["group"] if is_merged(export_data) else []
    table = Table([words[k] for k in keys], wide=(3, 12, 16, 18, 21, 22, 23, 24, 28, 29, 30))
    for e in plan.entries:
        criterion = framework.criterion(e.criterion_code)
        table.rows.append([
            e.rank, e.category_code, e.criterion_code, criterion.title.get(lang),
            e.current_level, level_text(framework, e.current_level, lang),
            e.target_level, level_text(framework, e.target_level, lang),
            e.gap, e.importance, e.priority,
            None if e.consensus is None else round(e.consensus, 3),
            "\n".join(f"{n}. {a.text}" for n, a in enumerate(e.actions, start=1)),
            e.owner, quarter_label(e.start_quarter, lang), quarter_label(e.end_quarter, lang),
            e.indicator, e.target_value, e.budget_note,
            words.get(f"status_{e.status}", e.status), _yes(e.out_of_scope, words), e.note,
            e.ofi, e.objective, e.project, e.owner_person, e.budget_amount, e.budget_source,
            e.evidence, "\n".join(e.strengths),
            *([group_label(export_data, e.criterion_code)] if is_merged(export_data) else []),
        ])
    for item in plan.open_criteria:
        criterion = framework.criterion(item.criterion_code)
        row: list[Cell] = [None] * len(keys)
        row[1:4] = [item.category_code, item.criterion_code, criterion.title.get(lang)]
        row[keys.index("status")] = words["open"]
        table.rows.append(row)
    return table


def upgrade_table(export_data: dict[str, Any], framework: Framework | None = None,
                  plan: Plan | None = None) -> Table:
    """The three-year upgrade plan: per item, the level to reach by the end of each fiscal year."""
    lang, words, framework, plan = _plan_basis(export_data, framework, plan)
    years = plan_years(plan_year_of(export_data))
    shown = [y if lang == "th" else y - BUDDHIST_ERA_OFFSET for y in years]
    table = Table([words["criterion"], words["criterion_title"], words["current_level"],
                   words["target_level"]] + [f"{words['target_in']} {y}" for y in shown], wide=(1,))
    for e in plan.entries:
        table.rows.append([e.criterion_code, framework.criterion(e.criterion_code).title.get(lang),
                           e.current_level, e.target_level, *year_targets(e, years)])
    return table


def action_plan_table(export_data: dict[str, Any], framework: Framework | None = None,
                      plan: Plan | None = None) -> Table:
    """The annual action plan: per item, its project, owner and the quarters (ต.ค.–ก.ย.) of the
    plan's fiscal year that its period covers."""
    lang, words, framework, plan = _plan_basis(export_data, framework, plan)
    year = plan_year_of(export_data)
    months = QUARTER_MONTHS.get(lang, QUARTER_MONTHS["th"])
    table = Table([words["criterion"], words["project"], words["owner"], words["owner_person"],
                   words["start"], words["end"]] +
                  [f"{words['quarter']} {q} ({months[q - 1]})" for q in (1, 2, 3, 4)], wide=(1,))
    for e in plan.entries:
        project = e.project or (e.actions[0].text if e.actions else "")
        marks = ["●" if on else None for on in quarters_in_year(e.start_quarter, e.end_quarter, year)]
        table.rows.append([e.criterion_code, project, e.owner, e.owner_person,
                           quarter_label(e.start_quarter, lang), quarter_label(e.end_quarter, lang),
                           *marks])
    return table


def _who(participant: dict[str, Any], is_named: bool) -> list[Cell]:
    return ([participant["name"]] if is_named else []) + [participant["role"]]


def votes_table(export_data: dict[str, Any], framework: Framework | None = None) -> Table:
    """One row per vote, round by round; names only when the session is named, roles always."""
    lang, words = language(export_data), labels(language(export_data))
    framework = framework or framework_of(export_data)
    is_named = named(export_data)
    people = {p["id"]: p for p in export_data["participants"]}
    keys = ["criterion", "criterion_title", "round", "participant"] + (["name"] if is_named else []) \
        + ["role", "level", "level_label", "not_sure", "evidence", "reason", "on_behalf", "voted_at"]
    table = Table([words[k] for k in keys] + round_group_header(export_data),
                  wide=(keys.index("evidence"), keys.index("reason")))
    for r in export_data["rounds"]:
        title = framework.criterion(r["criterion_code"]).title.get(lang)
        for v in r["votes"]:
            table.rows.append([
                r["criterion_code"], title, r["number"], v["participant"],
                *_who(people[v["participant"]], is_named),
                v["level"], level_text(framework, v["level"], lang), _yes(v["not_sure"], words),
                v["note"], v["reason"], _yes(v["on_behalf"], words), when(v["updated_at"]),
                *round_group(export_data, r),
            ])
    return table


def results_table(export_data: dict[str, Any], framework: Framework | None = None) -> Table:
    """Per criterion and round: n, votes per level, not sure, median, IQR, consensus, verdict."""
    lang, words = language(export_data), labels(language(export_data))
    framework = framework or framework_of(export_data)
    levels = framework.level_values()
    headers = [words["criterion"], words["criterion_title"], words["round"], words["round_state"],
               words["n"]] + [f"{v} {level_text(framework, v, lang)}" for v in levels] + [
        words["not_sure"], words["median"], words["iqr"], words["adjacent_share_pct"],
        words["agreement_index"], words["verdict"]]
    headers += [words["agreed_level"], words["agreed_statement"]]
    table = Table(headers + round_group_header(export_data), wide=(1, len(headers) - 1))
    summaries = round_summaries(export_data, framework)
    latest: dict[str, int] = {}
    for r, _ in summaries:
        latest[r["criterion_code"]] = max(r["number"], latest.get(r["criterion_code"], 0))
    decided = decisions_in_force(export_data)
    for r, s in summaries:
        code = r["criterion_code"]
        agreed = decided[code].agreed_level if code in decided else None
        # the agreed level and the item's own words for it, on the row of the latest round
        on_row = agreed is not None and r["number"] == latest[code]
        table.rows.append([
            code, framework.criterion(code).title.get(lang),
            r["number"], words[f"state_{r['state']}"], s.n, *[s.counts[v] for v in levels],
            s.not_sure, s.median, s.iqr,
            None if s.top_adjacent_share is None else round(100 * s.top_adjacent_share, 1),
            None if s.tastle_wierman is None else round(s.tastle_wierman, 3),
            words["reached" if s.consensus_reached else "not_reached"],
            agreed if on_row else None,
            framework.descriptor(code, agreed, lang) if on_row else None,
            *round_group(export_data, r),
        ])
    return table


def ideas_table(export_data: dict[str, Any], framework: Framework | None = None,
                plan: Plan | None = None) -> Table:
    """Every idea, strength and OFI, criterion by criterion, most upvoted first; hidden ones
    marked (a merged one is hidden), kept ones marked."""
    lang, words, framework, plan = _plan_basis(export_data, framework, plan)
    in_plan = {a.idea_id for e in plan.entries for a in e.actions if a.idea_id is not None}
    is_named = named(export_data)
    people = {p["id"]: p for p in export_data["participants"]}
    keys = ["criterion", "criterion_title", "idea", "upvotes", "hidden", "in_plan"] + \
        (["author"] if is_named else []) + ["role", "created_at", "kind", "kept"]
    table = Table([words[k] for k in keys], wide=(1, 2))
    order = {c.code: n for n, c in enumerate(framework.criteria())}
    for idea in sorted(export_data["ideas"], key=lambda i: (order.get(i["criterion_code"], 0),
                                                         -i["upvotes"], i["id"])):
        author = people.get(idea["participant"]) or {"name": None, "role": None}
        table.rows.append([
            idea["criterion_code"], framework.criterion(idea["criterion_code"]).title.get(lang),
            idea["text"], idea["upvotes"], _yes(idea["hidden"], words),
            _yes(idea["id"] in in_plan, words), *_who(author, is_named), when(idea["created_at"]),
            words[f"kind_{idea.get('kind', 'idea')}"], _yes(idea.get("kept", False), words),
        ])
    return table


def indicators_table(export_data: dict[str, Any], framework: Framework | None = None) -> Table:
    """Every indicator of the results items: values by fiscal year, met, trend, suggested level."""
    framework = framework or framework_of(export_data)
    return Table(indicator_headers(export_data), indicator_rows(export_data, framework), wide=(1, 2))


def participation_table(export_data: dict[str, Any]) -> Table:
    """Per role: how many joined, how many observe, and how many took part in each round (voted
    in a level round, answered a checklist round; in a merged workshop the round's header names
    its group)."""
    words = labels(language(export_data))
    role_of = {p["id"]: p["role"] or words["no_role"] for p in export_data["participants"]}
    roles = list(dict.fromkeys(list((export_data["session"]["settings"] or {}).get("roles") or [])
                               + list(role_of.values())))
    joined = Counter(role_of.values())
    observers = Counter(role_of[p["id"]] for p in export_data["participants"] if p["observer"])
    per_round = [Counter(role_of[p] for p in {v["participant"] for v in r["votes"]}
                         | {a["participant"] for a in r.get("answers") or ()})
                 for r in export_data["rounds"]]
    headers = [words["role"], words["joined"], words["observers"]] + [
        " · ".join([f"{words['voted_in']} {r['criterion_code']} {words['round']} {r['number']}",
                    *round_group(export_data, r)]) for r in export_data["rounds"]]
    table = Table(headers)
    for role in roles:
        table.rows.append([role, joined[role], observers[role], *[c[role] for c in per_round]])
    table.rows.append([words["total"], sum(joined.values()), sum(observers.values()),
                       *[sum(c.values()) for c in per_round]])
    return table


def categories_table(export_data: dict[str, Any], framework: Framework | None = None,
                     plan: Plan | None = None) -> Table:
    """The plan's summary per category: mean current and target level, number of gaps."""
    lang, words, framework, plan = _plan_basis(export_data, framework, plan)
    titles = {c.code: c.title.get(lang) for c in framework.categories}
    table = Table([words[k] for k in ("category", "category_title", "criteria_count", "decided",
                                      "mean_current", "mean_target", "gaps", "total_gap")],
                  wide=(1,))
    for c in plan.categories:
        table.rows.append([c.category_code, titles[c.category_code], c.criteria, c.decided,
                           None if c.mean_current is None else round(c.mean_current, 2),
                           None if c.mean_target is None else round(c.mean_target, 2),
                           c.gaps, c.total_gap])
    return table
