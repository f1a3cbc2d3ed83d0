"""What the exports compute from the export data: decisions in force, round figures, the plan.

Every function takes the plain export data of `services.export_data.read_export_data` and returns
domain objects (consensus summaries, the draft plan), so the CSV and Excel writers only lay them out.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from ..domain.consensus import Summary, Thresholds, summarize
from ..domain.dates import bangkok_day
from ..domain.fiscal import plan_fiscal_year
from ..domain.framework import Framework, parse_framework
from ..domain.plan import DecidedLevels, IdeaFacts, Plan, build_plan, edits_from_row
from ..domain.session_settings import is_named


def framework_of(export_data: dict[str, Any]) -> Framework:
    return parse_framework(export_data["framework"], source=f"session {export_data['session']['id']}")


def named(export_data: dict[str, Any]) -> bool:
    return is_named(export_data["session"]["settings"] or {})


def thresholds_of(export_data: dict[str, Any]) -> Thresholds:
    return Thresholds.from_dict((export_data["session"]["settings"] or {}).get("thresholds") or {})


def decisions_in_force(export_data: dict[str, Any]) -> dict[str, DecidedLevels]:
    """Per criterion, its newest decision not undone (as store/decisions.py reads them)."""
    found: dict[str, DecidedLevels] = {}
    for row in export_data["decisions"]:
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


def round_summaries(export_data: dict[str, Any], framework: Framework) -> list[tuple[dict, Summary]]:
    """Every level round with its figures, in the order the rounds were held (checklist
    rounds have their own table: checklist_rows.py)."""
    limits = thresholds_of(export_data)
    return [(r, round_summary(r, framework, limits)) for r in export_data["rounds"]
            if r.get("kind", "level") == "level"]


def latest_summaries(export_data: dict[str, Any], framework: Framework) -> dict[str, Summary]:
    """The figures of each criterion's latest round (highest round number)."""
    latest: dict[str, tuple[int, Summary]] = {}
    for round_, summary in round_summaries(export_data, framework):
        code = round_["criterion_code"]
        if code not in latest or round_["number"] > latest[code][0]:
            latest[code] = (round_["number"], summary)
    return {code: summary for code, (_, summary) in latest.items()}


def plan_of(export_data: dict[str, Any], framework: Framework | None = None) -> Plan:
    """The session's draft plan, with what organizers typed into it."""
    framework = framework or framework_of(export_data)
    ideas = [IdeaFacts(i["id"], i["criterion_code"], i["text"], i["upvotes"], i["hidden"],
                       i.get("kind", "idea"), i.get("kept", False))
             for i in export_data["ideas"]]
    edits = {row["criterion_code"]: edits_from_row(row) for row in export_data["plan_items"]}
    return build_plan(framework, export_data["session"]["agenda"], decisions_in_force(export_data),
                      latest_summaries(export_data, framework), ideas, edits)


def level_text(framework: Framework, value: int | None, lang: str) -> str:
    """A level's label in `lang`, empty for no level."""
    if value is None:
        return ""
    try:
        return framework.level(value).label.get(lang)
    except KeyError:
        return str(value)


def plan_year_of(export_data: dict[str, Any]) -> int:
    """The fiscal year (BE) the plan is for: the one after the workshop's day (today in Bangkok
    when the session has no day)."""
    held_on = export_data["session"]["held_on"]
    day = date.fromisoformat(held_on) if held_on else bangkok_day(datetime.now(timezone.utc))
    return plan_fiscal_year(day)
