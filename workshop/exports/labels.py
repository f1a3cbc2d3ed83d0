"""Every word the exports print, translated through the gettext catalogs in the session's language.

Exports are rendered in a child process (worker.py) and by the CLI, with no request to take a
language from: `labels(lang)` loads the catalog of the session's language with Babel's
`Translations` and gives a dict from each key to its text. English is the source language; the
Thai lives in workshop/translations (docs/translating.md). An unknown language falls back to Thai.

An English word that the exports translate otherwise than the pages do carries a context
(msgctxt, marked with `pgettext`): "export"; "workbook sheet" for the XLSX sheet names (at most
31 characters, none of []:*?/\\); "plan item number" and "report section".
"""
from __future__ import annotations

from functools import lru_cache

from babel.support import NullTranslations, Translations

from ..config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "workshop" / "translations"
SOURCE_LANGUAGE = "en"
FALLBACK_LANGUAGE = "th"


def N_(message: str) -> tuple[str | None, str]:
    """Marks a message for `pybabel extract`; translated later, in the session's language."""
    return None, message


def pgettext(context: str, message: str) -> tuple[str | None, str]:
    """Marks a message with its context (msgctxt) for `pybabel extract`."""
    return context, message


MESSAGES: dict[str, tuple[str | None, str]] = {
    # plan
    "plan_title": N_("Draft development plan"),
    "rank": N_("Rank"),
    "category": N_("Category"),
    "category_title": N_("Category title"),
    "criterion": N_("Item"),
    "criterion_title": N_("Item title"),
    "current_level": N_("Current level"),
    "current_label": N_("Current level (label)"),
    "target_level": N_("Target level"),
    "target_label": N_("Target level (label)"),
    "gap": N_("Gap (levels)"),
    "importance": N_("Importance (1-5)"),
    "priority": pgettext("export", "Priority score"),
    "agreement_index": N_("Agreement index (Tastle–Wierman, 0–1)"),
    "actions": N_("Proposed actions"),
    "owner": N_("Responsible unit"),
    "start": pgettext("export", "Start (fiscal quarter)"),
    "end": pgettext("export", "End (fiscal quarter)"),
    "indicator": N_("Indicator"),
    "target_value": N_("Target value"),
    "budget_note": N_("Budget"),
    "status": N_("Status"),
    "out_of_scope": N_("Out of scope"),
    "note": N_("Note"),
    "open": N_("Not decided yet"),
    "status_planned": N_("Planned"),
    "status_in_progress": N_("In progress"),
    "status_done": pgettext("export", "Done"),
    "status_on_hold": pgettext("export", "On hold"),
    "status_cancelled": N_("Cancelled"),
    "yes": N_("yes"),
    "no": N_("no"),
    # votes and results
    "votes_title": pgettext("export", "Votes"),
    "results_title": N_("Results per item and round"),
    "round": N_("Round"),
    "round_state": N_("Round state"),
    "participant": N_("Participant"),
    "name": N_("Name"),
    "role": N_("Role"),
    "level": N_("Level"),
    "level_label": N_("Level (label)"),
    "not_sure": N_("Not sure"),
    "evidence": N_("Evidence"),
    "reason": N_("Reason"),
    "on_behalf": N_("On behalf"),
    "voted_at": N_("Voted at (Bangkok time)"),
    "n": N_("Votes counted"),
    "median": N_("Median"),
    "iqr": N_("Interquartile range (IQR)"),
    "adjacent_share_pct": N_("Share on two neighbouring levels (%)"),
    "verdict": N_("Consensus verdict"),
    "reached": N_("consensus"),
    "not_reached": N_("no consensus"),
    "state_open": N_("open"),
    "state_closed": pgettext("export", "closed"),
    "state_revealed": N_("revealed"),
    # ideas and participation
    "ideas_title": N_("Improvement ideas"),
    "idea": N_("Idea"),
    "upvotes": N_("Upvotes"),
    "hidden": N_("Hidden"),
    "author": N_("Author"),
    "in_plan": N_("In the plan"),
    "created_at": N_("Time (Bangkok)"),
    "participation_title": N_("Participation"),
    "joined": pgettext("export", "Joined"),
    "observers": N_("Observers"),
    "total": N_("Total"),
    "no_role": N_("No role given"),
    "voted_in": N_("Voted"),
    "organization": N_("Organization"),
    "held_on": N_("Held on"),
    "categories_title": N_("Summary per category"),
    "criteria_count": N_("Items"),
    "decided": pgettext("export", "Decided"),
    "mean_current": N_("Mean current level"),
    "mean_target": N_("Mean target level"),
    "gaps": N_("Items with a gap"),
    "total_gap": N_("Total gap (levels)"),
    # Word and PDF documents
    "report_title": N_("Organizational assessment report"),
    "framework": pgettext("export", "Framework"),
    "session_title": pgettext("export", "Workshop"),
    "participants_count": pgettext("export", "Participants"),
    "category_criterion": N_("Category / item"),
    "quarters": N_("Period (fiscal quarters)"),
    "levels_legend": N_("Levels"),
    "plan_section": N_("Development plan per item"),
    "categories_section": pgettext("report section", "Summary per category"),
    "radar_caption": N_("Mean current and target level per category"),
    "matrix_section": N_("Priorities"),
    "matrix_caption": N_("Gap against importance (score = gap × importance)"),
    "results_section": N_("Results per item"),
    "rounds": N_("Rounds"),
    "distribution": N_("Votes per level"),
    "agreed_level": pgettext("export", "Agreed level"),
    "agreed_statement": N_("What the agreed level means for this item"),
    "no_votes": pgettext("export", "No votes yet"),
    "to": N_("to"),
    # the Word plan (docx_export.py)
    "agency": N_("Agency"),
    "fiscal_year": N_("Fiscal year"),
    "summary_section": N_("Gaps and priorities"),
    "item": pgettext("plan item number", "Rank"),
    "decision_note": N_("Decision of the meeting"),
    "period": N_("Period"),
    "upgrade_section": N_("Three-year upgrade plan"),
    "target_in": N_("Target, fiscal year"),
    "action_plan_section": N_("Annual action plan, fiscal year"),
    "project": N_("Project or activity"),
    "quarter": N_("Quarter"),
    "approval_section": N_("Submission and approval"),
    "prepared_by": N_("Prepared by"),
    "reviewed_by": N_("Reviewed by"),
    "approved_by": N_("Approved by"),
    "sign": N_("Signed"),
    "position": N_("Position"),
    "date": N_("Date"),
    # checklist rounds
    "checklist_title": N_("Checklist lines"),
    "line": N_("Line"),
    "line_text": N_("Practice"),
    "line_verdict": N_("The room's verdict"),
    "answer_met": N_("Met (phones)"),
    "answer_not_met": N_("Not met (phones)"),
    "proposed_ofi": N_("Proposed OFI"),
    "line_met": N_("met"),
    "line_not_met": N_("not met"),
    "line_disputed": N_("disputed"),
    "lines_met": N_("Lines met"),
    "lines_not_met": N_("Lines not met"),
    "lines_disputed": N_("Lines disputed"),
    "proposed_ofis": N_("Proposed OFIs"),
    "ofi": N_("Opportunity for improvement (OFI)"),
    "objective": N_("Objective"),
    "action_steps": pgettext("export", "Actions"),
    "owner_person": N_("Responsible person"),
    "budget_amount": N_("Budget (baht)"),
    "budget_source": N_("Budget source"),
    "baht": N_("baht"),
    "evidence_to_produce": N_("Evidence to be produced"),
    "kpi": N_("Indicator and target"),
    # a workshop of several working groups (group_labels.py)
    "group": N_("Decided by group"),
    "round_group": N_("Working group"),
    "group_settled": N_(
        "{group} (the organizer chose this group's decision over {others}: {note})"),
    # strengths and OFIs (issue 8, point 3)
    "strengths": N_("Strengths"),
    "kind": N_("Kind"),
    "kept": N_("Kept for the plan"),
    "kind_idea": N_("Idea"),
    "kind_strength": N_("Strength"),
    "kind_ofi": N_("Opportunity for improvement"),
    "strengths_ofis_section": N_("Strengths and opportunities for improvement by item"),
    # indicators of results items (issue 8, point 2)
    "indicators_title": N_("Result indicators (category 7)"),
    "unit": N_("Unit"),
    "direction": N_("Direction"),
    "direction_higher": N_("higher is better"),
    "direction_lower": N_("lower is better"),
    "met": N_("Target met"),
    "trend": N_("Trend"),
    "suggested_level": N_("Level the results suggest"),
    "trend_improving": N_("improving"),
    "trend_worsening": N_("worsening"),
    "trend_mixed": N_("no clear trend"),
    "trend_unknown": N_("not enough years"),
    "met_yes": N_("target met"),
    "met_no": N_("target not met"),
    # the workbook's sheet names (xlsx.py; at most 31 characters, none of []:*?/\)
    "sheet_plan": pgettext("workbook sheet", "Plan"),
    "sheet_upgrade": pgettext("workbook sheet", "Upgrade plan"),
    "sheet_action_plan": pgettext("workbook sheet", "Action plan"),
    "sheet_categories": pgettext("workbook sheet", "Categories"),
    "sheet_results": pgettext("workbook sheet", "Results"),
    "sheet_votes": pgettext("workbook sheet", "Votes"),
    "sheet_checklist": pgettext("workbook sheet", "Checklist"),
    "sheet_ideas": pgettext("workbook sheet", "Ideas"),
    "sheet_indicators": pgettext("workbook sheet", "Indicators"),
    "sheet_participation": pgettext("workbook sheet", "Participation"),
}


@lru_cache(maxsize=None)
def _translations(lang: str) -> NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [lang])


def labels(lang: str) -> dict[str, str]:
    """Every label in `lang` (a language with no catalog falls back to Thai)."""
    found = _translations(lang if lang in (SOURCE_LANGUAGE, FALLBACK_LANGUAGE) else FALLBACK_LANGUAGE)
    return {key: found.pgettext(context, message) if context else found.gettext(message)
            for key, (context, message) in MESSAGES.items()}
