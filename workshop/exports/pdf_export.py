"""The results report as a PDF: WeasyPrint lays out templates/exports/report.html.

`export_pdf(export_data)` returns the PDF's bytes. WeasyPrint shapes text with HarfBuzz through
Pango, so Thai vowels and tone marks sit where they belong. The report holds:
- a title block: the session, the organization, the date (Buddhist era in Thai), the framework;
- per criterion assessed: its votes per level in the latest round (a chart), and every round's
  count, median, IQR, consensus and verdict (in a merged workshop, and the group that held
  it), with the level agreed and the target;
- the summary per category with the radar chart of current against target level;
- the priority matrix (gap against importance);
- the plan table (the same columns as the Word document), on landscape pages.
Charts are SVG (charts.py) with their text kept as text, so the PDF's font draws it too.
The font is TH Sarabun New when installed, else Noto Sans Thai (see PDF_FONTS), else the
Thai font charts.py found.
"""
from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..domain.consensus import Summary
from ..domain.framework import Framework
from ..domain.plan import Plan
from ..i18n import format_date
from .charts import (THAI_FONTS, _installed, distribution_chart, font_scale, priority_matrix,
                     radar_chart, thai_font)
from .group_labels import group_labels, is_merged
from .plan_rows import PLAN_COLUMNS, plan_rows
from .figures import framework_of, level_text, plan_of, round_summaries
from .indicator_rows import item_results, sparkline_svg, trend_text
from .indicator_rows import number as indicator_number
from .labels import labels
from .checklist_rows import checklist_table
from .tables import categories_table

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "exports"
# Fallbacks after the font charts.py found. TH Sarabun is named only when it is installed:
# fonts-thai-tlwg's fontconfig rules answer "TH Sarabun" with Laksaman scaled to 0.66, and
# WeasyPrint then spaces the text by the scaled widths but draws the unscaled glyphs.
FONT_STACK = ("Laksaman", '"Noto Sans Thai"', "Garuda", "sans-serif")
# Without TH Sarabun, the PDF prefers Noto Sans Thai to Laksaman: both render right, but
# Laksaman's shifted tone-mark glyphs map back to the wrong characters when text is copied or
# searched (เป้าหมาย comes back as เปูาหมาย); Noto's only loss is ำ read back as า.
PDF_FONTS = ("TH Sarabun New", "TH SarabunPSK", "Noto Sans Thai")


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(("html",)), trim_blocks=True,
                       lstrip_blocks=True)


def export_pdf(export_data: dict[str, Any]) -> bytes:
    """The PDF report's bytes."""
    from weasyprint import HTML  # imported late: it loads pango, which only this export needs

    html = report_html(export_data)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def report_html(export_data: dict[str, Any]) -> str:
    """The report as the HTML that WeasyPrint lays out (handy to look at in a browser)."""
    framework = framework_of(export_data)
    plan = plan_of(export_data, framework)
    lang = export_data["session"]["language"]
    words = labels(lang)
    font = pdf_font()
    stack = ", ".join(dict.fromkeys(([f'"{font}"'] if font else []) + list(FONT_STACK)))
    context = {
        "lang": lang, "words": words, "font_stack": stack,
        "scale": font_scale() if font == thai_font() else 1.0,
        "title": _title(export_data, framework, words),
        "results": _results(export_data, framework, plan, lang),
        "round_groups": is_merged(export_data),
        "categories": categories_table(export_data, framework, plan),
        "checklist": checklist_table(export_data, framework),
        "radar": _svg(radar_chart(export_data, "svg", framework, plan)),
        "matrix": _svg(priority_matrix(export_data, "svg", framework, plan)),
        "plan_headers": [words[key] for key, _ in PLAN_COLUMNS],
        "plan_widths": [round(100 * width / sum(w for _, w in PLAN_COLUMNS), 2)
                        for _, width in PLAN_COLUMNS],
        "plan_rows": plan_rows(framework, plan, lang, words, group_labels(export_data)),
        "results_items": _results_items(export_data, framework, lang, words),
        "number": indicator_number,
        "findings": _findings(framework, plan, lang),
        "legend": ", ".join(f"{v} = {level_text(framework, v, lang)}"
                            for v in framework.level_values()),
    }
    return _environment().get_template("report.html").render(**context)


def _results_items(export_data: dict[str, Any], framework: Framework, lang: str,
                   words: dict[str, str]) -> list[dict]:
    """Each results item's indicators with a small SVG trend per indicator."""
    return [{"title": f"{code} {framework.criterion(code).title.get(lang)}", "view": view,
             "charts": [_svg(sparkline_svg(item)) for item in view["items"]],
             "trends": [trend_text(item, words) for item in view["items"]]}
            for code, view in item_results(export_data, framework)]


def _findings(framework: Framework, plan: Plan, lang: str) -> list[dict]:
    """The kept strengths and the OFIs of each plan item that has any."""
    return [{"title": f"{e.criterion_code} {framework.criterion(e.criterion_code).title.get(lang)}",
             "strengths": e.strengths, "ofis": [t for t in (e.ofi or "").splitlines() if t.strip()]}
            for e in plan.entries if e.strengths or e.ofi]


def pdf_font() -> str | None:
    """The report's font: TH Sarabun when installed, else Noto Sans Thai, else the charts' font."""
    for family in PDF_FONTS:
        if family == thai_font() or (family not in THAI_FONTS[:2] and _installed(family)):
            return family
    return thai_font()


def _svg(data: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def _title(export_data: dict[str, Any], framework: Framework, words: dict[str, str]) -> dict:
    session, lang = export_data["session"], export_data["session"]["language"]
    held = session["held_on"] and format_date(date.fromisoformat(session["held_on"]), lang)
    voters = sum(1 for p in export_data["participants"] if not p["observer"])
    return {"heading": words["report_title"], "session": session["title"],
            "organization": session["organization"], "held_on": held,
            "framework": f"{framework.title.get(lang)} ({framework.version})",
            "participants": len(export_data["participants"]), "voters": voters}


def number(value: float | None, digits: int = 2) -> str:
    """1 for 1.0, 1.5 for 1.5, empty for None."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def _round_row(round_: dict, summary: Summary, words: dict[str, str]) -> dict[str, Any]:
    share = summary.top_adjacent_share
    return {"number": round_["number"], "n": summary.n, "not_sure": summary.not_sure,
            "median": number(summary.median), "iqr": number(summary.iqr),
            "consensus": "" if share is None else f"{100 * share:.1f}",
            "tw": number(summary.tastle_wierman, 3),
            "verdict": words["reached" if summary.consensus_reached else "not_reached"],
            "counts": summary.counts, "group": round_.get("group")}


def _results(export_data: dict[str, Any], framework: Framework, plan: Plan,
             lang: str) -> list[dict[str, Any]]:
    """One block per criterion that was voted on, in agenda order, then framework order."""
    words = labels(lang)
    by_code: dict[str, list[tuple[dict, Summary]]] = {}
    for round_, summary in round_summaries(export_data, framework):
        by_code.setdefault(round_["criterion_code"], []).append((round_, summary))
    order = list(export_data["session"]["agenda"]) + [c.code for c in framework.criteria()]
    decided = {e.criterion_code: e for e in plan.entries}
    blocks = []
    for code in dict.fromkeys(c for c in order if c in by_code):
        rounds = sorted(by_code[code], key=lambda pair: pair[0]["number"])
        entry = decided.get(code)
        blocks.append({
            "code": code, "title": framework.criterion(code).title.get(lang),
            "chart": _svg(distribution_chart(export_data, code, "svg", framework, rounds[-1][1])),
            "rounds": [_round_row(r, s, words) for r, s in rounds],
            "agreed": None if entry is None else
            f"{entry.current_level} {level_text(framework, entry.current_level, lang)}",
            "agreed_statement": None if entry is None else
            framework.descriptor(code, entry.current_level, lang),
            "target": None if entry is None else
            f"{entry.target_level} {level_text(framework, entry.target_level, lang)}",
        })
    return blocks
