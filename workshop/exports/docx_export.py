"""The draft development plan as a Word document laid out like a Thai government document.

`export_docx(snapshot)` returns the .docx bytes: A4 landscape, the Thai font of Thai official
documents (TH Sarabun New when the server has it installed, else Debian's Laksaman, drawn to
the same metrics as TH Sarabun PSK), 16 pt body and 14 pt tables, set for the complex-script
run properties too (w:cs, w:szCs, w:bCs) so Word really uses it for Thai. It holds:
- a title block: the plan's title, the session, the organization, the date (Buddhist era in Thai);
- the plan table, ranked, with its header row repeated on every page and the open criteria last;
- the priority matrix;
- the summary per category with the radar chart of current against target level.
Every word comes in the session's language (labels.py).
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..domain.framework import Framework
from ..domain.plan import Plan, quarter_label
from ..i18n import format_date
from .charts import distribution_chart, priority_matrix, radar_chart, thai_font
from .figures import framework_of, latest_summaries, level_text, plan_of
from .labels import labels

FALLBACK_FONT = "TH Sarabun New"  # named when no Thai font is installed: most offices have it
BODY_PT = 16
TABLE_PT = 14
TITLE_PT = 20
HEADER_SHADE = "DDE7F0"
# (label key, width in cm) of the plan table's columns
PLAN_COLUMNS = (("rank", 1.1), ("category_criterion", 3.4), ("current_level", 1.6),
                ("target_level", 1.6), ("gap", 1.5), ("importance", 1.5), ("priority", 1.5),
                ("actions", 3.6), ("owner", 1.9), ("quarters", 1.9), ("indicator", 2.0),
                ("budget_note", 1.5), ("status", 1.6))  # the page's 24.7 cm
CATEGORY_COLUMNS = (("category", 1.4), ("category_title", 8.0), ("criteria_count", 2.2),
                    ("decided", 2.2), ("mean_current", 2.6), ("mean_target", 2.6),
                    ("gaps", 2.6), ("total_gap", 2.6))  # 24.2 cm


def document_font() -> str:
    """The font the document names: the installed Thai font, preferring TH Sarabun New."""
    return thai_font() or FALLBACK_FONT


def export_docx(snapshot: dict[str, Any]) -> bytes:
    """The Word document's bytes."""
    framework = framework_of(snapshot)
    plan = plan_of(snapshot, framework)
    lang = snapshot["session"]["language"]
    words = labels(lang)
    document = Document()
    _page(document)
    _base_style(document, document_font(), lang)
    _title_block(document, snapshot, words)
    _heading(document, f"1. {words['plan_section']}")
    _plan_table(document, framework, plan, lang, words)
    _legend(document, framework, lang, words)
    _heading(document, f"2. {words['matrix_section']}")
    _picture(document, priority_matrix(snapshot, "png", framework, plan), 15, words["matrix_caption"])
    _heading(document, f"3. {words['categories_section']}")
    _category_table(document, framework, plan, lang, words)
    _picture(document, radar_chart(snapshot, "png", framework, plan), 14, words["radar_caption"])
    _distributions(document, snapshot, framework, lang, words)
    session = snapshot["session"]
    document.core_properties.title = f"{words['plan_title']}: {session['title']}"
    document.core_properties.author = session["organization"] or ""
    document.core_properties.language = "th-TH" if lang == "th" else "en-GB"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _distributions(document, snapshot: dict[str, Any], framework: Framework, lang: str,
                   words: dict[str, str]) -> None:
    """How the room voted on each criterion (its latest round), in the order of the agenda."""
    summaries = latest_summaries(snapshot, framework)
    voted = [code for code in snapshot["session"]["agenda"] if code in summaries]
    if not voted:
        return
    _heading(document, f"4. {words['results_section']}")
    for code in voted:
        caption = f"{code} {framework.criterion(code).title.get(lang)}"
        _picture(document, distribution_chart(snapshot, code, "png", framework, summaries[code]), 12,
                 caption)


# -- page and fonts ----------------------------------------------------------------------------

def _page(document) -> None:
    """A4 landscape with the margins of Thai official documents (3 cm binding side)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)


# w:rPr's children in the order the schema requires (Word refuses a document otherwise)
R_PR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
              "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
              "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
              "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
              "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
              "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _child(r_pr, tag: str):
    """r_pr's `tag` child, added in its place in the schema's order when missing."""
    element = r_pr.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        r_pr.insert_element_before(element, *R_PR_ORDER[R_PR_ORDER.index(tag) + 1:])
    return element


def set_font(r_pr, font: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Font, size and weight on a run's or style's w:rPr, for Latin and complex script alike."""
    fonts = _child(r_pr, "w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            _child(r_pr, tag).set(qn("w:val"), str(int(size_pt * 2)))
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            element = _child(r_pr, tag)
            if bold:
                element.attrib.pop(qn("w:val"), None)
            else:
                element.set(qn("w:val"), "0")


def _base_style(document, font: str, lang: str) -> None:
    """The document's defaults and its Normal style: the Thai font at 16 pt, Thai as the
    complex-script language (Word then breaks Thai lines between words)."""
    normal = document.styles["Normal"]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_prs = [normal.element.get_or_add_rPr()]
    if defaults is not None and defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") is not None:
        r_prs.append(defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"))
    for r_pr in r_prs:
        set_font(r_pr, font, BODY_PT)
        language = _child(r_pr, "w:lang")
        language.set(qn("w:val"), "th-TH" if lang == "th" else "en-GB")
        language.set(qn("w:bidi"), "th-TH")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _run(paragraph, text: str, size_pt: float | None = None, bold: bool = False):
    run = paragraph.add_run(text)
    set_font(run._element.get_or_add_rPr(), document_font(), size_pt, bold or None)
    return run


# -- title block and headings ------------------------------------------------------------------

def _title_block(document, snapshot: dict[str, Any], words: dict[str, str]) -> None:
    session, lang = snapshot["session"], snapshot["session"]["language"]
    lines = [(words["plan_title"], TITLE_PT, True), (session["title"], BODY_PT, True)]
    if session["organization"]:
        lines.append((f"{words['organization']} {session['organization']}", BODY_PT, False))
    if session["held_on"]:
        held = format_date(date.fromisoformat(session["held_on"]), lang)
        lines.append((f"{words['held_on']} {held}", BODY_PT, False))
    for text, size, bold in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, size, bold)
    document.add_paragraph()


def _heading(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.space_after = Pt(6)
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, BODY_PT + 2, True)


def _picture(document, png: bytes, width_cm: float, caption: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(note, caption, TABLE_PT)


# -- tables ------------------------------------------------------------------------------------

def _table(document, columns: tuple[tuple[str, float], ...], words: dict[str, str]):
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, width) in zip(table.columns, columns):
        column.width = Cm(width)  # the grid's widths: what LibreOffice and Word lay out by
    header = table.rows[0]
    _repeat_header(header)
    for cell, (key, width) in zip(header.cells, columns):
        cell.width = Cm(width)
        _shade(cell, HEADER_SHADE)
        _cell_text(cell, words[key], bold=True, center=True)
    return table


def _repeat_header(row) -> None:
    """The row is repeated at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _keep_row_whole(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _cell_text(cell, text: Any, bold: bool = False, center: bool = False) -> None:
    lines = "" if text is None else str(text)
    paragraph = cell.paragraphs[0]
    for number, line in enumerate(lines.split("\n")):
        if number:
            paragraph = cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, TABLE_PT, bold)


def _add_row(table, columns: tuple[tuple[str, float], ...], values: list[Any],
             centered: set[int]) -> None:
    row = table.add_row()
    _keep_row_whole(row)
    for index, (cell, (_, width), value) in enumerate(zip(row.cells, columns, values)):
        cell.width = Cm(width)
        _cell_text(cell, value, center=index in centered)


def plan_rows(framework: Framework, plan: Plan, lang: str, words: dict[str, str]) -> list[list[Any]]:
    """The plan table's rows: one per ranked item, then one per open criterion."""
    rows = []
    for e in plan.entries:
        title = framework.criterion(e.criterion_code).title.get(lang)
        actions = "\n".join(f"{n}. {a.text}" for n, a in enumerate(e.actions, start=1))
        period = " – ".join(q for q in (quarter_label(e.start_quarter, lang),
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


def _plan_table(document, framework: Framework, plan: Plan, lang: str,
                words: dict[str, str]) -> None:
    table = _table(document, PLAN_COLUMNS, words)
    for values in plan_rows(framework, plan, lang, words):
        _add_row(table, PLAN_COLUMNS, values, centered={0, 2, 3, 4, 5, 6, 9})


def _legend(document, framework: Framework, lang: str, words: dict[str, str]) -> None:
    levels = ", ".join(f"{v} = {level_text(framework, v, lang)}" for v in framework.level_values())
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(4)
    run = _run(paragraph, f"{words['levels_legend']}: {levels}", TABLE_PT)
    run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)


def _category_table(document, framework: Framework, plan: Plan, lang: str,
                    words: dict[str, str]) -> None:
    titles = {c.code: c.title.get(lang) for c in framework.categories}
    table = _table(document, CATEGORY_COLUMNS, words)
    for c in plan.categories:
        _add_row(table, CATEGORY_COLUMNS, [
            c.category_code, titles[c.category_code], c.criteria, c.decided,
            "" if c.mean_current is None else f"{c.mean_current:.2f}",
            "" if c.mean_target is None else f"{c.mean_target:.2f}", c.gaps, c.total_gap,
        ], centered={0, 2, 3, 4, 5, 6, 7})
    document.add_paragraph()
