"""What the exports compute from a snapshot: decisions in force, round figures, the plan.

Every function takes the plain snapshot of `snapshot.read_snapshot` and returns domain objects
(consensus summaries, the draft plan), so the CSV and Excel writers only lay them out.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from ..domain.consensus import Summary, Thresholds, summarize
from ..domain.dates import bangkok_day
from ..domain.fiscal import plan_fiscal_year
from ..domain.framework import Framework, parse_framework
from ..domain.plan import DecidedLevels, IdeaFacts, Plan, build_plan, edits_from_row
from .snapshot import is_named


def framework_of(snapshot: dict[str, Any]) -> Framework:
    return parse_framework(snapshot["framework"], source=f"session {snapshot['session']['id']}")


def named(snapshot: dict[str, Any]) -> bool:
    return is_named(snapshot["session"]["settings"] or {})


def thresholds_of(snapshot: dict[str, Any]) -> Thresholds:
    return Thresholds.from_dict((snapshot["session"]["settings"] or {}).get("thresholds") or {})


def decisions_in_force(snapshot: dict[str, Any]) -> dict[str, DecidedLevels]:
    """Per criterion, its newest decision not undone (as store/decisions.py reads them)."""
    found: dict[str, DecidedLevels] = {}
    for row in snapshot["decisions"]:
        if not row["undone"]:
            found[row["criterion_code"]] = DecidedLevels(
                row["agreed_level"], row["target_level"], row["importance"], row["note"])
    return found


def round_summary(round_: dict[str, Any], framework: Framework, thresholds: Thresholds) -> Summary:
    counts: dict[int, int] = {}
    not_sure = 0
    for vote in round_["votes"]:
        if vote["level"] is None:
            not_sure += 1
        else:
            counts[vote["level"]] = counts.get(vote["level"], 0) + 1
    return summarize(counts, framework.level_values(), not_sure, thresholds)


def round_summaries(snapshot: dict[str, Any], framework: Framework) -> list[tuple[dict, Summary]]:
    """Every level round with its figures, in the order the rounds were held (checklist
    rounds have their own table: checklist_rows.py)."""
    limits = thresholds_of(snapshot)
    return [(r, round_summary(r, framework, limits)) for r in snapshot["rounds"]
            if r.get("kind", "level") == "level"]


def latest_summaries(snapshot: dict[str, Any], framework: Framework) -> dict[str, Summary]:
    """The figures of each criterion's latest round (highest round number)."""
    latest: dict[str, tuple[int, Summary]] = {}
    for round_, summary in round_summaries(snapshot, framework):
        code = round_["criterion_code"]
        if code not in latest or round_["number"] > latest[code][0]:
            latest[code] = (round_["number"], summary)
    return {code: summary for code, (_, summary) in latest.items()}


def plan_of(snapshot: dict[str, Any], framework: Framework | None = None) -> Plan:
    """The session's draft plan, with what organizers typed into it."""
    framework = framework or framework_of(snapshot)
    ideas = [IdeaFacts(i["id"], i["criterion_code"], i["text"], i["upvotes"], i["hidden"])
             for i in snapshot["ideas"]]
    edits = {row["criterion_code"]: edits_from_row(row) for row in snapshot["plan_items"]}
    return build_plan(framework, snapshot["session"]["agenda"], decisions_in_force(snapshot),
                      latest_summaries(snapshot, framework), ideas, edits)


def level_text(framework: Framework, value: int | None, lang: str) -> str:
    """A level's label in `lang`, empty for no level."""
    if value is None:
        return ""
    try:
        return framework.level(value).label.get(lang)
    except KeyError:
        return str(value)


def plan_year_of(snapshot: dict[str, Any]) -> int:
    """The fiscal year (BE) the plan is for: the one after the workshop's day (today in Bangkok
    when the session has no day)."""
    held_on = snapshot["session"]["held_on"]
    day = date.fromisoformat(held_on) if held_on else bangkok_day(datetime.now(timezone.utc))
    return plan_fiscal_year(day)
