"""The page, fonts and building blocks of the Word plan: a Thai government document in python-docx.

`Writer` wraps a python-docx Document and writes every run in TH Sarabun New, named for Latin,
complex-script and East Asian text alike (w:rFonts ascii/hAnsi/cs/eastAsia, w:sz and w:szCs,
w:b and w:bCs), with Thai as the run's language (w:lang val/eastAsia/bidi "th-TH"), so Word and
LibreOffice both use the Thai font and break Thai lines between words by their dictionaries,
never inside a syllable. The page is A4 portrait with the margins of Thai official documents;
pages are numbered "- 2 -" at the top centre from the second page on (the first page has a
header of its own, left empty). With `thai_digits`, every digit the writer prints is a Thai
digit (๐-๙), page numbers included.

Where TH Sarabun New is not installed, the reader's word processor substitutes a font: the font
table describes it as a Thai (charset DE), proportional sans font whose alternative is
TH SarabunPSK, and on Linux fontconfig answers both names with Laksaman (fonts-thai-tlwg),
drawn to the same metrics. docs/exports.md says more.
"""
from __future__ import annotations

import io
from typing import Any, Sequence

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.opc.oxml import serialize_part_xml
from docx.shared import Cm, Pt

from ..domain.numbers import thai_digits

FONT = "TH Sarabun New"  # what Thai government offices have installed (see the module docstring)
ALT_FONT = "TH SarabunPSK"
BODY_PT = 16
TABLE_PT = 14
TITLE_PT = 20
HEADER_SHADE = "DDE7F0"
PAGE_CM = (21.0, 29.7)  # A4 portrait
# Thai official documents (the typing guidance of the Regulation on Correspondence,
# ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ): left 3 cm (the binding side), right 2 cm; top 2.5 cm
# and bottom 2 cm as offices set them. docs/exports.md cites the sources.
MARGINS_CM = {"left": 3.0, "right": 2.0, "top": 2.5, "bottom": 2.0}
TEXT_WIDTH_CM = PAGE_CM[0] - MARGINS_CM["left"] - MARGINS_CM["right"]  # 16 cm

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


def set_font(r_pr, font: str = FONT, size_pt: float | None = None,
             bold: bool | None = None, lang: str = "th") -> None:
    """Font, size, weight and language on a run's or style's w:rPr, for every script."""
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
    language = _child(r_pr, "w:lang")
    language.set(qn("w:val"), "th-TH" if lang == "th" else "en-GB")
    language.set(qn("w:eastAsia"), "th-TH")
    language.set(qn("w:bidi"), "th-TH")


class Writer:
    """Writes paragraphs, tables and pictures into `document` in the document's one font."""

    def __init__(self, document, lang: str, thai_digits: bool = False) -> None:
        self.document, self.lang, self.thai_digits = document, lang, thai_digits
        self._page()
        self._base_style()
        self._font_table()
        self._page_numbers()

    def text(self, value: Any) -> str:
        """`value` as printed: empty for None, digits in Thai when asked."""
        text = "" if value is None else str(value)
        return thai_digits(text) if self.thai_digits else text

    # -- runs and paragraphs -------------------------------------------------------------------

    def run(self, paragraph, text: Any, size_pt: float = BODY_PT, bold: bool = False):
        run = paragraph.add_run(self.text(text))
        set_font(run._element.get_or_add_rPr(), FONT, size_pt, bold or None, self.lang)
        return run

    def paragraph(self, *parts: tuple[Any, bool], size_pt: float = BODY_PT, center: bool = False,
                  keep_next: bool = False, indent_cm: float = 0.0, hanging_cm: float = 0.0,
                  before_pt: float = 0.0, container=None):
        """A paragraph of (text, bold) parts."""
        paragraph = (container or self.document).add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.keep_with_next = keep_next or None
        fmt.space_before = Pt(before_pt) if before_pt else None
        if indent_cm or hanging_cm:
            fmt.left_indent = Cm(indent_cm + hanging_cm)
            fmt.first_line_indent = Cm(-hanging_cm) if hanging_cm else None
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, bold in parts:
            self.run(paragraph, text, size_pt, bold)
        return paragraph

    def heading(self, text: str, size_pt: float = BODY_PT + 2, page_break: bool = False) -> None:
        paragraph = self.paragraph((text, True), size_pt=size_pt, keep_next=True, before_pt=12)
        paragraph.paragraph_format.space_after = Pt(6)
        paragraph.paragraph_format.page_break_before = page_break or None

    def picture(self, png: bytes, width_cm: float, caption: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        self.run(paragraph, "").add_picture(io.BytesIO(png), width=Cm(width_cm))
        self.paragraph((caption, False), size_pt=TABLE_PT, center=True)

    # -- tables --------------------------------------------------------------------------------

    def table(self, headers: Sequence[str], widths_cm: Sequence[float],
              size_pt: float = TABLE_PT):
        """A bordered table with a shaded header row repeated on every page it runs onto."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_cm):
            column.width = Cm(width)  # the grid's widths: what LibreOffice and Word lay out by
        header = table.rows[0]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        self.keep_row_whole(header)
        for cell, text, width in zip(header.cells, headers, widths_cm):
            cell.width = Cm(width)
            shading = OxmlElement("w:shd")
            for name, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", HEADER_SHADE)):
                shading.set(qn(name), value)
            cell._tc.get_or_add_tcPr().append(shading)
            self.cell(cell, text, bold=True, center=True, size_pt=size_pt)
        return table

    def row(self, table, values: Sequence[Any], widths_cm: Sequence[float],
            centered: set[int] = frozenset(), size_pt: float = TABLE_PT):
        """A row that is never split across pages."""
        row = table.add_row()
        self.keep_row_whole(row)
        for index, (cell, width, value) in enumerate(zip(row.cells, widths_cm, values)):
            cell.width = Cm(width)
            self.cell(cell, value, center=index in centered, size_pt=size_pt)
        return row

    def cell(self, cell, value: Any, bold: bool = False, center: bool = False,
             size_pt: float = TABLE_PT) -> None:
        paragraph = cell.paragraphs[0]
        for number, line in enumerate(self.text(value).split("\n")):
            if number:
                paragraph = cell.add_paragraph()
            if center:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self.run(paragraph, line, size_pt, bold)

    @staticmethod
    def keep_row_whole(row) -> None:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    @staticmethod
    def no_borders(table) -> None:
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            border = OxmlElement(f"w:{side}")
            border.set(qn("w:val"), "nil")
            borders.append(border)
        properties = table._tbl.tblPr
        later = [properties.find(qn(tag)) for tag in ("w:shd", "w:tblLayout", "w:tblCellMar",
                                                        "w:tblLook")]
        later = [element for element in later if element is not None]
        if later:
            later[0].addprevious(borders)  # the schema's order: Word refuses it otherwise
        else:
            properties.append(borders)

    # -- the page ------------------------------------------------------------------------------

    def _page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
        section.left_margin, section.right_margin = Cm(MARGINS_CM["left"]), Cm(MARGINS_CM["right"])
        section.top_margin, section.bottom_margin = Cm(MARGINS_CM["top"]), Cm(MARGINS_CM["bottom"])
        section.header_distance = Cm(1.25)

    def _base_style(self) -> None:
        """The document's defaults and its Normal style: the Thai font at 16 pt, single spacing."""
        normal = self.document.styles["Normal"]
        r_prs = [normal.element.get_or_add_rPr()]
        defaults = self.document.styles.element.find(
            f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if defaults is not None:
            r_prs.append(defaults)
        for r_pr in r_prs:
            set_font(r_pr, FONT, BODY_PT, None, self.lang)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.line_spacing = 1.0
        normal.paragraph_format.widow_control = True

    def _font_table(self) -> None:
        """Describe TH Sarabun New in the font table, so a reader without it gets a Thai font."""
        part = next(p for p in self.document.part.package.iter_parts()
                    if str(p.partname) == "/word/fontTable.xml")
        fonts = parse_xml(part.blob)
        fonts.append(parse_xml(
            f'<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            f'w:name="{FONT}"><w:altName w:val="{ALT_FONT}"/><w:charset w:val="DE"/>'
            f'<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'))
        part._blob = serialize_part_xml(fonts)

    def _page_numbers(self) -> None:
        """"- 2 -" at the top centre of every page but the first (which has its own, empty,
        header); in Thai digits when asked."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = True
        section.first_page_header.is_linked_to_previous = False
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(paragraph, "- ", BODY_PT)
        self._page_field(paragraph)
        self.run(paragraph, " -", BODY_PT)
        if self.thai_digits:
            numbering = OxmlElement("w:pgNumType")
            numbering.set(qn("w:fmt"), "thaiNumbers")
            section._sectPr.find(qn("w:cols")).addprevious(numbering)  # the schema's order

    def _page_field(self, paragraph) -> None:
        for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"),
                           ("end", None)):
            run = self.run(paragraph, "", BODY_PT)
            if kind:
                field = OxmlElement("w:fldChar")
                field.set(qn("w:fldCharType"), kind)
                run._element.append(field)
            elif text == " PAGE ":
                instruction = OxmlElement("w:instrText")
                instruction.set(qn("xml:space"), "preserve")
                instruction.text = text
                run._element.append(instruction)
            else:
                run.text = self.text(text)
