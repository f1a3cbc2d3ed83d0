"""The development plan as a Word document a director can sign: a Thai government document.

`export_docx(export_data, thai_digits=False)` returns the .docx bytes. The page, the font
(TH Sarabun New in every run, 16 pt body, 14 pt tables) and the page numbers are docx_layout's.
The document holds, in the session's language (labels.py):
- a title block: the plan's title, the session, the agency, the fiscal year the plan is for
  (Buddhist era, October to September), the date of the workshop (Buddhist era in Thai);
- 1. the gaps and priorities: one row per item (rank, category and item, current and target
  level, gap, importance, priority score), the items not decided yet last;
- 2. the plan per item: one block of paragraphs per item, never a wide grid: its current and
  target level, each with what it means for the item (the framework's statement), the decision of the meeting (มติที่ประชุม), the OFI it answers, objective, project, actions,
  indicator and target, owner (unit and person), period, budget (amount, source, note), status
  and the evidence to be produced;
- 3. the three-year upgrade plan: the level to reach by the end of each fiscal year (what the
  group set, else one level a year up to the target);
- 4. the annual action plan: each item's project (or first action), owner, and its quarters of
  the plan's fiscal year (ต.ค.–ก.ย.);
- 5. the priority matrix and the summary per category with its radar chart;
- the approval block: ผู้จัดทำ, ผู้ตรวจสอบ, ผู้อนุมัติ, each with lines to sign, name, position, date.
Table rows never split across pages; narrow columns are kept wider than their longest Thai word.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from ..domain.dates import BUDDHIST_ERA_OFFSET
from ..domain.fiscal import QUARTER_MONTHS, plan_years, quarter_label, quarters_in_year
from ..domain.framework import Framework
from ..domain.numbers import format_baht
from ..domain.plan import Plan, PlanEntry, year_targets
from ..i18n import format_date
from .checklist_rows import LineRow, checklist_lines
from .charts import priority_matrix, radar_chart
from .docx_layout import BODY_PT, TABLE_PT, TEXT_WIDTH_CM, TITLE_PT, Writer
from .figures import framework_of, level_text, plan_of, plan_year_of
from .group_labels import group_labels
from .indicator_rows import indicator_lines, item_results
from .labels import labels

# (label key, width in cm) of the summary table's columns: the page's 16 cm
SUMMARY_COLUMNS = (("rank", 1.3), ("category_criterion", 6.2), ("current_level", 1.7),
                   ("target_level", 1.7), ("gap", 1.7), ("importance", 1.7), ("priority", 1.7))
CATEGORY_COLUMNS = (("category", 1.3), ("category_title", 5.9), ("criteria_count", 1.8),
                    ("decided", 1.8), ("mean_current", 1.8), ("mean_target", 1.8),
                    ("total_gap", 1.6))
ITEM_WIDTH_CM, LEVEL_WIDTH_CM = 7.0, 2.25  # the upgrade plan: item, current, three years
GRID_WIDTHS_CM = (5.6, 3.6, 1.7, 1.7, 1.7, 1.7)  # the action plan: project, owner, 4 quarters
STATEMENT_PT = TABLE_PT  # the levels' statements under each item's heading
SIGNERS = ("prepared_by", "reviewed_by", "approved_by")


def export_docx(export_data: dict[str, Any], thai_digits: bool = False) -> bytes:
    """The Word document's bytes; `thai_digits` prints every digit as a Thai digit (๐-๙)."""
    framework = framework_of(export_data)
    plan = plan_of(export_data, framework)
    session = export_data["session"]
    lang = session["language"]
    words = labels(lang)
    held_on = date.fromisoformat(session["held_on"]) if session["held_on"] else None
    year = plan_year_of(export_data)
    document = Document()
    writer = Writer(document, lang, thai_digits)
    _title_block(writer, session, year, held_on, words)
    writer.heading(f"1. {words['summary_section']}")
    _summary_table(writer, framework, plan, lang, words)
    writer.heading(f"2. {words['plan_section']}")
    groups = group_labels(export_data)
    lines = checklist_lines(export_data, framework)
    results = dict(item_results(export_data, framework))
    for entry in plan.entries:
        _item_block(writer, framework, entry, lang, words, groups.get(entry.criterion_code),
                    results.get(entry.criterion_code))
        _checklist_block(writer, framework, lines.get(entry.criterion_code, []), lang, words)
    writer.heading(f"3. {words['upgrade_section']}")
    _upgrade_table(writer, framework, plan, year, lang, words)
    writer.heading(f"4. {words['action_plan_section']} {year_name(year, lang)}")
    _action_grid(writer, plan, year, lang, words)
    writer.heading(f"5. {words['matrix_section']}")
    writer.picture(priority_matrix(export_data, "png", framework, plan), 14, words["matrix_caption"])
    writer.heading(f"6. {words['categories_section']}")
    _category_table(writer, framework, plan, lang, words)
    writer.picture(radar_chart(export_data, "png", framework, plan), 12, words["radar_caption"])
    _approval_block(writer, words)
    document.core_properties.title = f"{words['plan_title']}: {session['title']}"
    document.core_properties.author = session["organization"] or ""
    document.core_properties.language = "th-TH" if lang == "th" else "en-GB"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def year_name(year_be: int, lang: str) -> str:
    """A fiscal year as the document names it: 2570 in Thai, 2027 in English."""
    return str(year_be if lang == "th" else year_be - BUDDHIST_ERA_OFFSET)


def _title_block(writer: Writer, session: dict[str, Any], year: int, held_on: date | None,
                 words: dict[str, str]) -> None:
    lang = writer.lang
    lines = [(words["plan_title"], TITLE_PT, True), (session["title"], BODY_PT, True)]
    if session["organization"]:
        lines.append((f"{words['agency']} {session['organization']}", BODY_PT, False))
    lines.append((f"{words['fiscal_year']} {year_name(year, lang)}", BODY_PT, True))
    if held_on:
        lines.append((f"{words['held_on']} {format_date(held_on, lang)}", BODY_PT, False))
    for text, size, bold in lines:
        writer.paragraph((text, bold), size_pt=size, center=True)


def _title(framework: Framework, code: str, lang: str) -> str:
    return f"{code} {framework.criterion(code).title.get(lang)}"


def _summary_table(writer: Writer, framework: Framework, plan: Plan, lang: str,
                   words: dict[str, str]) -> None:
    widths = [w for _, w in SUMMARY_COLUMNS]
    table = writer.table([words[k] for k, _ in SUMMARY_COLUMNS], widths)
    for e in plan.entries:
        writer.row(table, [e.rank, _title(framework, e.criterion_code, lang), e.current_level,
                           e.target_level, e.gap, e.importance, e.priority], widths,
                   centered={0, 2, 3, 4, 5, 6})
    for item in plan.open_criteria:
        writer.row(table, ["", _title(framework, item.criterion_code, lang), words["open"], "",
                           "", "", ""], widths, centered={2})


def _item_block(writer: Writer, framework: Framework, e: PlanEntry, lang: str,
                words: dict[str, str], group: str | None = None,
                results: dict | None = None) -> None:
    """One item as paragraphs: a heading kept with its first lines, then label: value lines;
    the short fields share a line. `group`: the working group that decided it (merged plan);
    `results`: a results item's indicators (indicator_rows.item_results)."""
    writer.paragraph((f"{words['item']} {e.rank}  ", True),
                     (_title(framework, e.criterion_code, lang), True), keep_next=True, before_pt=6)
    _level_statements(writer, framework, e, lang, words)
    _results_block(writer, results, words)
    for key, value in (("group", group), ("decision_note", e.note),
                       ("strengths", "; ".join(e.strengths)), ("ofi", e.ofi),
                       ("objective", e.objective), ("project", e.project)):
        _fields(writer, [(words[key], value)])
    writer.paragraph((f"{words['action_steps']}:", True), keep_next=bool(e.actions), indent_cm=0.6)
    for number, action in enumerate(e.actions, start=1):
        writer.paragraph((f"{number}. {action.text}", False), indent_cm=0.6, hanging_cm=0.6)
    period = " – ".join(q for q in (quarter_label(e.start_quarter, lang),
                                    quarter_label(e.end_quarter, lang)) if q)
    kpi = " ".join(t for t in (e.indicator, e.target_value and
                               f"({words['target_value']} {e.target_value})") if t)
    owner = " ".join(t for t in (e.owner, e.owner_person and f"({e.owner_person})") if t)
    status = words.get(f"status_{e.status}", e.status)
    if e.out_of_scope:
        status = f"{status} ({words['out_of_scope']})"
    budget = " ".join(t for t in (
        e.budget_amount is not None and f"{format_baht(e.budget_amount)} {words['baht']}",
        e.budget_source and f"({e.budget_source})", e.budget_note) if t)
    _fields(writer, [(words["kpi"], kpi)])
    _fields(writer, [(words["owner"], owner), (words["period"], period), (words["status"], status)])
    _fields(writer, [(words["budget_note"], budget), (words["evidence_to_produce"], e.evidence)])


def _level_statements(writer: Writer, framework: Framework, e: PlanEntry, lang: str,
                      words: dict[str, str]) -> None:
    """The current and the target level, each with what it means for this item in the
    framework's own words: a compact paragraph each, in the tables' size and left-aligned (never
    justified, so a line is never stretched or broken inside a word); gap, importance and
    priority are in the summary table, on the item's row of the same rank."""
    parts: list[tuple[str, bool]] = []
    for key, value in (("current_level", e.current_level), ("target_level", e.target_level)):
        label = f"{'  ' if parts else ''}{words[key]} {value} {level_text(framework, value, lang)}: "
        parts += [(label, True), (framework.descriptor(e.criterion_code, value, lang), False)]
    writer.paragraph(*parts, size_pt=STATEMENT_PT, keep_next=True, indent_cm=0.6)


def _results_block(writer: Writer, results: dict | None, words: dict[str, str]) -> None:
    """A results item's indicators and their trend, then the level the results suggest."""
    if not results or not results["items"]:
        return
    writer.paragraph((f"{words['indicators_title']}:", True), keep_next=True, indent_cm=0.6)
    for line in indicator_lines(results, words):
        writer.paragraph((line, False), indent_cm=1.2, hanging_cm=0.6)
    if results["suggested_level"] is not None:
        _fields(writer, [(words["suggested_level"], str(results["suggested_level"]))])


def _checklist_block(writer: Writer, framework: Framework, rows: list[LineRow], lang: str,
                     words: dict[str, str]) -> None:
    """An item's checklist lines by the room's verdict (ids), then its proposed OFIs in full."""
    if not rows:
        return
    for verdict in ("met", "not_met", "disputed"):
        ids = ", ".join(row.line_id for row in rows if row.verdict == verdict)
        _fields(writer, [(words[f"lines_{verdict}"], ids)])
    ofis = [row for row in rows if row.proposed_ofi]
    if ofis:
        writer.paragraph((f"{words['proposed_ofis']}:", True), keep_next=True, indent_cm=0.6)
        criterion = framework.criterion(rows[0].criterion_code)
        for row in ofis:
            text = criterion.checklist_line(row.line_id).get(lang)
            writer.paragraph((f"{row.line_id} {text}", False), indent_cm=1.2, hanging_cm=0.6)


def _fields(writer: Writer, pairs: list[tuple[str, str]]) -> None:
    """"label: value" pairs on one paragraph; nothing for the empty ones."""
    parts: list[tuple[str, bool]] = []
    for label, value in pairs:
        if value:
            parts += [(f"{'   ' if parts else ''}{label}: ", True), (value, False)]
    if parts:
        writer.paragraph(*parts, indent_cm=0.6)


def _upgrade_table(writer: Writer, framework: Framework, plan: Plan, year: int, lang: str,
                   words: dict[str, str]) -> None:
    years = plan_years(year)
    headers = [words["category_criterion"], words["current_level"]] + [
        f"{words['target_in']} {year_name(y, lang)}" for y in years]
    widths = [ITEM_WIDTH_CM] + [LEVEL_WIDTH_CM] * (1 + len(years))
    table = writer.table(headers, widths)
    for e in plan.entries:
        path = year_targets(e, years)
        writer.row(table, [_title(framework, e.criterion_code, lang), e.current_level, *path],
                   widths, centered=set(range(1, len(widths))))


def _action_grid(writer: Writer, plan: Plan, year: int, lang: str, words: dict[str, str]) -> None:
    """One row per item: its project (first action), owner, and a mark in each quarter of the
    plan's fiscal year its period covers."""
    months = QUARTER_MONTHS.get(lang, QUARTER_MONTHS["th"])
    headers = [words["project"], words["owner"]] + [
        f"{words['quarter']} {q}\n{months[q - 1]}" for q in (1, 2, 3, 4)]
    table = writer.table(headers, GRID_WIDTHS_CM, size_pt=TABLE_PT - 2)
    for e in plan.entries:
        project = e.project or (e.actions[0].text if e.actions else "")
        marks = ["●" if covered else "" for covered in
                 quarters_in_year(e.start_quarter, e.end_quarter, year)]
        owner = " ".join(t for t in (e.owner, e.owner_person and f"({e.owner_person})") if t)
        writer.row(table, [f"{e.criterion_code} {project}", owner, *marks], GRID_WIDTHS_CM,
                   centered={2, 3, 4, 5}, size_pt=TABLE_PT - 2)


def _category_table(writer: Writer, framework: Framework, plan: Plan, lang: str,
                    words: dict[str, str]) -> None:
    titles = {c.code: c.title.get(lang) for c in framework.categories}
    widths = [w for _, w in CATEGORY_COLUMNS]
    table = writer.table([words[k] for k, _ in CATEGORY_COLUMNS], widths)
    for c in plan.categories:
        writer.row(table, [
            c.category_code, titles[c.category_code], c.criteria, c.decided,
            "" if c.mean_current is None else f"{c.mean_current:.2f}",
            "" if c.mean_target is None else f"{c.mean_target:.2f}", c.total_gap,
        ], widths, centered={0, 2, 3, 4, 5, 6})


def _approval_block(writer: Writer, words: dict[str, str]) -> None:
    """Three signature blocks side by side in a borderless row that stays on one page."""
    writer.heading(words["approval_section"])
    width = TEXT_WIDTH_CM / len(SIGNERS)
    table = writer.document.add_table(rows=1, cols=len(SIGNERS))
    table.autofit = False
    writer.no_borders(table)
    writer.keep_row_whole(table.rows[0])
    for cell, key in zip(table.rows[0].cells, SIGNERS):
        cell.width = Cm(width)
        lines = [(words[key], True), ("", False), (f"{words['sign']} " + "." * 30, False),
                 ("(" + "." * 34 + ")", False), (f"{words['position']} " + "." * 26, False),
                 (f"{words['date']} " + "." * 28, False)]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        writer.run(cell.paragraphs[0], lines[0][0], TABLE_PT, True)
        for text, bold in lines[1:]:
            writer.paragraph((text, bold), size_pt=TABLE_PT, center=True, container=cell)
