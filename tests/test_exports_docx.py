"""The development plan as a Word document, read back with python-docx: a Thai government document."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from workshop.cli_exports import export_command
from workshop.exports.charts import THAI_FONTS
from workshop.exports.docx_export import PLAN_COLUMNS, export_docx
from workshop.exports.snapshot import read_snapshot
from tests.workshop_data import ORGANIZATION, TITLE, make_workshop


def document_of(store, language="th"):
    workshop = make_workshop(store, language=language)
    with store.session() as db:
        snapshot = read_snapshot(db, workshop.session_id)
    return Document(io.BytesIO(export_docx(snapshot)))


@pytest.fixture
def document(store):
    return document_of(store)


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_title_block_names_the_plan_the_organization_and_the_buddhist_era_date(document):
    assert texts(document)[:4] == ["ร่างแผนพัฒนาองค์การ", TITLE, f"หน่วยงาน {ORGANIZATION}",
                                   "วันที่จัด 9 พฤษภาคม 2569"]  # 9 May 2026 CE
    assert document.core_properties.title == f"ร่างแผนพัฒนาองค์การ: {TITLE}"


def test_the_page_is_a4_landscape_with_official_margins(document):
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    assert (round(section.left_margin.cm, 1), round(section.top_margin.cm, 1)) == (3.0, 2.5)


def test_thai_text_uses_a_thai_font_at_16_points_for_the_complex_script_too(document):
    normal = document.styles["Normal"].element.rPr
    fonts = normal.find(qn("w:rFonts"))
    assert fonts.get(qn("w:cs")) in THAI_FONTS
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == fonts.get(qn("w:cs"))
    assert normal.find(qn("w:sz")).get(qn("w:val")) == "32"  # half points: 16 pt
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == "32"
    assert normal.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    title = document.paragraphs[0].runs[0]._element.rPr
    assert title.find(qn("w:rFonts")).get(qn("w:cs")) == fonts.get(qn("w:cs"))
    assert title.find(qn("w:bCs")) is not None  # bold in Thai, not only in Latin


def test_the_plan_table_lists_the_ranked_items_then_the_open_one(document):
    plan = document.tables[0]
    rows = table_rows(plan)
    assert rows[0][:7] == ["ลำดับ", "หมวด/ประเด็น", "ระดับปัจจุบัน", "ระดับเป้าหมาย",
                           "ช่องว่าง (ระดับ)", "ความสำคัญ (1-5)", "คะแนนความสำคัญเร่งด่วน"]
    assert len(rows[0]) == len(PLAN_COLUMNS)
    first = rows[1]
    # 1.2: decided 1 -> 3, importance 5: gap 2, score 10, ranked first
    assert first[:7] == ["1", "1.2 การต่อต้านการทุจริตและความโปร่งใส", "1", "3", "2", "5", "10"]
    assert first[7] == "1. เผยแพร่ข้อมูลจัดซื้อจัดจ้างทุกเดือน"
    assert first[8:] == ["กลุ่มงานคุ้มครองจริยธรรม", "Q1/2570 – Q2/2570",
                         "ร้อยละของโครงการที่เปิดเผยข้อมูล\nค่าเป้าหมาย: 100%", "ใช้งบประมาณปกติ",
                         "วางแผนแล้ว"]
    # 1.1 (1 -> 2, importance 4: score 4) before 2.1 (2 -> 3, importance 3: score 3)
    assert [row[1][:3] for row in rows[2:4]] == ["1.1", "2.1"]
    assert rows[2][7].startswith("1. ผู้บริหารสื่อสารวิสัยทัศน์ทุกไตรมาส\n2. ")
    assert rows[4][1].startswith("4.4") and rows[4][-1] == "ยังไม่ได้ข้อสรุป"


def test_the_plan_table_repeats_its_header_row_on_every_page(document):
    plan = document.tables[0]
    header = plan.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in plan.rows[1:])


def test_the_category_summary_and_the_charts_are_in_the_document(document):
    categories = table_rows(document.tables[1])
    assert categories[0][:2] == ["หมวด", "ชื่อหมวด"]
    # category 1: 1.1 (1 -> 2) and 1.2 (1 -> 3): means 1 and 2.5, two gaps, 3 levels in all
    assert categories[1] == ["1", "การนำองค์การ", "2", "2", "1.00", "2.50", "2", "3"]
    assert categories[3][:4] == ["4", "การวัด การวิเคราะห์ และการจัดการความรู้", "1", "0"]
    # the priority matrix, the radar chart, and how the room voted on each of 1.1, 1.2, 2.1, 4.4
    assert len(document.inline_shapes) == 2 + 4
    assert "ระดับปัจจุบันและระดับเป้าหมายเฉลี่ยรายหมวด" in texts(document)
    assert "4. ผลการลงคะแนนรายประเด็น" in texts(document)
    assert "1.2 การต่อต้านการทุจริตและความโปร่งใส" in texts(document)


def test_an_english_session_gets_the_plan_in_english(store):
    document = document_of(store, language="en")
    assert texts(document)[0] == "Draft development plan"
    assert "Held on 9 May 2026" in texts(document)
    rows = table_rows(document.tables[0])
    assert rows[0][:3] == ["Rank", "Category / item", "Current level"]
    assert rows[1][1] == "1.2 Anti-corruption and transparency"
    assert rows[1][9] == "Q1 FY2027 – Q2 FY2027" and rows[1][-1] == "Planned"


def test_the_export_command_writes_the_word_document(store, runner, tmp_path):
    workshop = make_workshop(store)
    out = tmp_path / "plan.docx"
    result = runner.invoke(export_command, [workshop.session_id, "--format", "docx",
                                            "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert Document(str(out)).paragraphs[0].text == "ร่างแผนพัฒนาองค์การ"
