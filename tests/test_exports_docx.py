"""The development plan as a Word document, read back with python-docx: a Thai government document."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from workshop.cli_exports import export_command
from workshop.exports.docx_export import SUMMARY_COLUMNS, export_docx
from workshop.services.export_data import read_export_data
from tests.workshop_data import ORGANIZATION, TITLE, make_workshop


def document_of(store, language="th", **options):
    workshop = make_workshop(store, language=language)
    with store.session() as db:
        snapshot = read_export_data(db, workshop.session_id)
    return Document(io.BytesIO(export_docx(snapshot, **options)))


@pytest.fixture(scope="module")
def document(module_store):
    """The Thai plan of the realistic workshop, rendered once: the tests below only read it."""
    return document_of(module_store)


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def every_run(document):
    body = document.element.body
    yield from body.iter(qn("w:r"))
    for section in document.sections:
        yield from section.header._element.iter(qn("w:r"))


def test_the_title_block_names_the_plan_the_agency_the_fiscal_year_and_the_date(document):
    assert texts(document)[:5] == ["ร่างแผนพัฒนาองค์การ", TITLE, f"ส่วนราชการ {ORGANIZATION}",
                                   "ปีงบประมาณ พ.ศ. 2570",  # held in May 2569: plans for 2570
                                   "วันที่จัด 9 พฤษภาคม 2569"]  # 9 May 2026 CE
    assert document.core_properties.title == f"ร่างแผนพัฒนาองค์การ: {TITLE}"


def test_the_page_is_a4_portrait_with_the_margins_of_thai_official_documents(document):
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = [round(m.cm, 1) for m in (section.left_margin, section.right_margin,
                                        section.top_margin, section.bottom_margin)]
    assert margins == [3.0, 2.0, 2.5, 2.0]


def test_every_run_names_th_sarabun_new_for_every_script_and_thai_as_its_language(document):
    runs = list(every_run(document))
    assert len(runs) > 100
    for run in runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert {fonts.get(qn(a)) for a in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == \
            {"TH Sarabun New"}
        language = run.find(f"{qn('w:rPr')}/{qn('w:lang')}")
        assert language.get(qn("w:val")) == language.get(qn("w:bidi")) == "th-TH"
        assert language.get(qn("w:eastAsia")) == "th-TH"
        size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
        assert size.get(qn("w:val")) == run.find(f"{qn('w:rPr')}/{qn('w:szCs')}").get(qn("w:val"))
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:sz")).get(qn("w:val")) == "32"  # half points: 16 pt body
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == "32"
    title = document.paragraphs[0].runs[0]._element.rPr
    assert title.find(qn("w:bCs")) is not None  # bold in Thai, not only in Latin


def test_the_font_table_gives_word_a_thai_substitute_for_th_sarabun_new(document):
    part = next(p for p in document.part.package.iter_parts()
                if str(p.partname) == "/word/fontTable.xml")
    xml = part.blob.decode("utf-8")
    assert re.search(r'w:name="TH Sarabun New"><w:altName w:val="TH SarabunPSK"/>'
                     r'<w:charset w:val="DE"/>', xml)


def test_pages_are_numbered_at_the_top_from_the_second_page(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    header = section.header._element
    assert [t.text for t in header.iter(qn("w:instrText"))] == [" PAGE "]
    assert section.header.paragraphs[0].text == "- 2 -"  # the field's cached value


def test_the_summary_table_ranks_the_items_then_the_open_one(document):
    rows = table_rows(document.tables[0])
    assert len(rows[0]) == len(SUMMARY_COLUMNS) <= 9
    assert rows[0] == ["ลำดับ", "หมวด/ประเด็น", "ระดับปัจจุบัน", "ระดับเป้าหมาย",
                       "ช่องว่าง (ระดับ)", "ความสำคัญ (1-5)", "คะแนนความสำคัญเร่งด่วน"]
    # 1.2: decided 1 -> 3, importance 5: gap 2, score 10, ranked first
    assert rows[1] == ["1", "1.2 การต่อต้านการทุจริตและความโปร่งใส", "1", "3", "2", "5", "10"]
    # 1.1 (1 -> 2, importance 4: score 4) before 2.1 (2 -> 3, importance 3: score 3)
    assert [row[1][:3] for row in rows[2:4]] == ["1.1", "2.1"]
    assert rows[4][1].startswith("4.4") and rows[4][2] == "ยังไม่ได้ข้อสรุป"


def test_each_item_is_a_block_with_everything_the_working_group_wrote(document):
    lines = texts(document)
    start = lines.index("ลำดับที่ 1  1.2 การต่อต้านการทุจริตและความโปร่งใส")
    block = lines[start:lines.index("ลำดับที่ 2  1.1 ระบบการนำองค์การที่สร้างความยั่งยืน")]
    # what level 1 and level 3 mean for item 1.2 in the framework's own words (the gap,
    # importance and score are on its row of the summary table)
    assert block[1] == ("ระดับปัจจุบัน 1 พื้นฐาน: มีนโยบาย ระบบกำกับดูแล และระบบตรวจสอบเพื่อป้องกัน"
                        "การทุจริต พร้อมมาตรการที่นำไปปฏิบัติและติดตามรายงานผลได้  ระดับเป้าหมาย 3 "
                        "พัฒนาจนเกิดผลสัมฤทธิ์อย่างมีนัยสำคัญ: ความโปร่งใสของส่วนราชการได้รับการยืนยัน"
                        "จากการประเมินขององค์กรอิสระระดับชาติหรือนานาชาติ และส่วนราชการเป็นต้นแบบ"
                        "ด้านความโปร่งใสให้หน่วยงานอื่น")
    assert block[2:] == [
        "มติที่ประชุม: ต้องเร่งเปิดเผยข้อมูล",
        "โอกาสในการปรับปรุง (OFI): ยังไม่เปิดเผยข้อมูลการจัดซื้อจัดจ้างครบทุกโครงการ",
        "วัตถุประสงค์: ให้ประชาชนตรวจสอบการใช้งบประมาณได้",
        "โครงการ/กิจกรรม: โครงการเปิดเผยข้อมูลจัดซื้อจัดจ้าง", "กิจกรรมดำเนินการ:",
        "1. เผยแพร่ข้อมูลจัดซื้อจัดจ้างทุกเดือน",
        "ตัวชี้วัดและค่าเป้าหมาย: ร้อยละของโครงการที่เปิดเผยข้อมูล (ค่าเป้าหมาย 100%)",
        "หน่วยงานรับผิดชอบ: กลุ่มงานคุ้มครองจริยธรรม (นางมาลี ศรีสุข)   "
        "ระยะเวลาดำเนินการ: ไตรมาส 1/2570 – ไตรมาส 2/2570   สถานะ: วางแผนแล้ว",
        "งบประมาณ: 150,000 บาท (งบดำเนินงาน) ใช้งบประมาณปกติ   "
        "หลักฐานที่จะจัดทำ: รายงานการเผยแพร่ข้อมูลรายเดือน"]
    # the heading stays on the page of its first lines
    heading = next(p for p in document.paragraphs if p.text == block[0])
    assert heading.paragraph_format.keep_with_next
    # the statements in the tables' 14 pt, left-aligned: never justified (stretched lines)
    statements = next(p for p in document.paragraphs if p.text == block[1])
    assert {run.font.size.pt for run in statements.runs} == {14}
    assert statements.alignment is None and statements.paragraph_format.keep_with_next


def test_the_upgrade_plan_climbs_a_level_a_year_to_the_target_unless_the_group_set_a_year(document):
    rows = table_rows(document.tables[1])
    assert rows[0] == ["หมวด/ประเด็น", "ระดับปัจจุบัน", "เป้าหมาย ปีงบประมาณ 2570",
                       "เป้าหมาย ปีงบประมาณ 2571", "เป้าหมาย ปีงบประมาณ 2572"]
    # 1.2: 1 -> 3 climbs 2, 3, 3; the group set 2571 to level 2
    assert rows[1] == ["1.2 การต่อต้านการทุจริตและความโปร่งใส", "1", "2", "2", "3"]
    assert rows[2] == ["1.1 ระบบการนำองค์การที่สร้างความยั่งยืน", "1", "2", "2", "2"]


def test_the_action_plan_marks_the_quarters_of_the_fiscal_year(document):
    rows = table_rows(document.tables[2])
    assert rows[0][2:] == ["ไตรมาส 1\nต.ค.–ธ.ค.", "ไตรมาส 2\nม.ค.–มี.ค.", "ไตรมาส 3\nเม.ย.–มิ.ย.",
                           "ไตรมาส 4\nก.ค.–ก.ย."]
    assert rows[1] == ["1.2 โครงการเปิดเผยข้อมูลจัดซื้อจัดจ้าง",
                       "กลุ่มงานคุ้มครองจริยธรรม (นางมาลี ศรีสุข)", "●", "●", "", ""]  # Q1-Q2/2570
    assert rows[2][0] == "1.1 ผู้บริหารสื่อสารวิสัยทัศน์ทุกไตรมาส"  # no project: its first action


def test_no_table_row_splits_across_pages_and_headers_repeat(document):
    for table in document.tables:
        for row in table.rows:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    for table in document.tables[:4]:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_approval_block_has_three_signers_with_name_position_and_date_lines(document):
    approval = document.tables[-1]
    cells = [cell.text.split("\n") for cell in approval.rows[0].cells]
    assert [lines[0] for lines in cells] == ["ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ"]
    for lines in cells:
        assert lines[2].startswith("ลงชื่อ ....") and lines[3].startswith("(....")
        assert lines[4].startswith("ตำแหน่ง ....") and lines[5].startswith("วันที่ ....")
    assert "การเสนอและอนุมัติแผน" in texts(document)


def test_the_charts_and_the_category_summary_are_in_the_document(document):
    assert len(document.inline_shapes) == 2  # the priority matrix and the radar chart
    categories = table_rows(document.tables[3])
    # category 1: 1.1 (1 -> 2) and 1.2 (1 -> 3): means 1 and 2.5, 3 levels of gap in all
    assert categories[1] == ["1", "การนำองค์การ", "2", "2", "1.00", "2.50", "3"]
    assert "ระดับปัจจุบันและระดับเป้าหมายเฉลี่ยรายหมวด" in texts(document)


def test_thai_digits_when_asked_print_every_digit_in_thai(store):
    document = document_of(store, thai_digits=True)
    printed = "".join(t.text or "" for t in document.element.body.iter(qn("w:t")))
    assert not re.search(r"[0-9]", printed)
    assert "ปีงบประมาณ พ.ศ. ๒๕๗๐" in texts(document)
    numbering = document.sections[0]._sectPr.find(qn("w:pgNumType"))
    assert numbering.get(qn("w:fmt")) == "thaiNumbers"


def test_an_english_session_gets_the_plan_in_english(store):
    document = document_of(store, language="en")
    assert texts(document)[:5] == ["Draft development plan", TITLE, f"Agency {ORGANIZATION}",
                                   "Fiscal year 2027", "Held on 9 May 2026"]
    rows = table_rows(document.tables[0])
    assert rows[0][:3] == ["Rank", "Category / item", "Current level"]
    assert rows[1][1] == "1.2 Anti-corruption and transparency"
    assert any("Period: Q1 FY2027 – Q2 FY2027" in line for line in texts(document))


def test_the_export_command_writes_the_word_document(store, runner, tmp_path):
    workshop = make_workshop(store)
    out = tmp_path / "plan.docx"
    result = runner.invoke(export_command, [workshop.session_id, "--format", "docx",
                                            "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert Document(str(out)).paragraphs[0].text == "ร่างแผนพัฒนาองค์การ"
    result = runner.invoke(export_command, [workshop.session_id, "--format", "docx",
                                            "--thai-digits", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ปีงบประมาณ พ.ศ. ๒๕๗๐" in [p.text for p in Document(str(out)).paragraphs]
