"""The Excel workbook, opened again with openpyxl: sheets, Thai titles, levels and figures."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from workshop.services.export_data import read_export_data
from workshop.exports.xlsx import HEADER_ROW, export_xlsx
from tests.workbooks import sheet
from tests.workshop_data import TITLE, make_workshop


def book_of(store, language="th"):
    workshop = make_workshop(store, language=language)
    with store.session() as db:
        snapshot = read_export_data(db, workshop.session_id)
    return load_workbook(io.BytesIO(export_xlsx(snapshot)))


@pytest.fixture(scope="module")
def book(module_store):
    """The Thai workbook of the realistic workshop, made once: the tests below only read it."""
    return book_of(module_store)


def rows(sheet) -> list[dict]:
    """The sheet's table under its header row, as dicts keyed by header."""
    values = list(sheet.iter_rows(min_row=HEADER_ROW, values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


def test_the_workbook_has_every_sheet_with_a_thai_title_block(book):
    assert book.sheetnames == ["แผนพัฒนาองค์การ", "แผนยกระดับ ระยะ 3 ปี", "แผนปฏิบัติการประจำปี",
                               "สรุปรายหมวด", "ผลการลงคะแนน", "การลงคะแนนรายบุคคล", "แนวทางดำเนินการ",
                               "ข้อเสนอแนะ", "ตัวชี้วัด", "การมีส่วนร่วม"]
    plan = sheet(book, "Plan")
    assert plan["A1"].value == "ร่างแผนพัฒนาองค์การ"
    assert TITLE in plan["A2"].value and "9 พฤษภาคม 2569" in plan["A2"].value  # Buddhist era
    assert sheet(book, "Results")["A1"].value == "ผลการลงคะแนนรายประเด็น"


def test_an_english_session_gets_english_sheet_names(store):
    book = book_of(store, language="en")
    assert book.sheetnames == ["Plan", "Upgrade plan", "Action plan", "Categories", "Results",
                               "Votes", "Checklist", "Ideas", "Indicators", "Participation"]
    assert book["Plan"]["A1"].value == "Draft development plan"


def test_the_plan_sheet_is_formatted_for_reading_and_filtering(book):
    plan = sheet(book, "Plan")
    assert plan.freeze_panes == f"A{HEADER_ROW + 1}"
    assert plan.auto_filter.ref == f"A{HEADER_ROW}:AD{HEADER_ROW + 4}"
    assert plan[f"A{HEADER_ROW}"].font.bold
    actions = plan.cell(row=HEADER_ROW + 2, column=13)
    assert actions.alignment.wrap_text and actions.value.startswith("1. ผู้บริหารสื่อสารวิสัยทัศน์")
    assert plan.column_dimensions["M"].width == 48
    first = rows(plan)[0]
    assert (first["ประเด็น"], first["ระดับปัจจุบัน"], first["ระดับเป้าหมาย"]) == ("1.2", 1, 3)
    assert (first["ช่องว่าง (ระดับ)"], first["ความสำคัญ (1-5)"], first["คะแนนความสำคัญเร่งด่วน"]) == (2, 5, 10)
    assert first["ระดับเป้าหมาย (คำอธิบาย)"] == "พัฒนาจนเกิดผลสัมฤทธิ์อย่างมีนัยสำคัญ"
    assert first["สถานะ"] == "วางแผนแล้ว"
    # what the working group wrote, the budget a number to sum
    assert first["โอกาสในการปรับปรุง (OFI)"] == "ยังไม่เปิดเผยข้อมูลการจัดซื้อจัดจ้างครบทุกโครงการ"
    assert (first["โครงการ/กิจกรรม"], first["ผู้รับผิดชอบ"]) == (
        "โครงการเปิดเผยข้อมูลจัดซื้อจัดจ้าง", "นางมาลี ศรีสุข")
    assert (first["งบประมาณ (บาท)"], first["แหล่งงบประมาณ"]) == (150000, "งบดำเนินงาน")
    assert first["หลักฐานที่จะจัดทำ"] == "รายงานการเผยแพร่ข้อมูลรายเดือน"


def test_times_are_bangkok_date_time_cells(book):
    votes = sheet(book, "Votes")
    header = [c.value for c in votes[HEADER_ROW]]
    column = header.index("เวลาลงคะแนน (เวลาประเทศไทย)") + 1
    first = votes.cell(row=HEADER_ROW + 1, column=column)
    # the first round opened 02:20 UTC, votes landed two minutes later: 09:22 in Bangkok
    assert first.value == datetime(2026, 5, 9, 9, 22) and first.is_date
    assert first.number_format == "yyyy-mm-dd hh:mm"
    ideas = rows(sheet(book, "Ideas"))
    assert ideas[0]["เวลา (เวลาประเทศไทย)"] == datetime(2026, 5, 9, 9, 30)


def test_the_upgrade_and_action_plan_sheets_are_the_two_views_of_the_plan(book):
    upgrade = sheet(book, "Upgrade plan")
    assert upgrade["A1"].value == "แผนยกระดับ ระยะ 3 ปี"
    first = rows(upgrade)[0]
    # 1.2: 1 -> 3, one level a year, the group set 2571 to level 2
    assert [first[f"เป้าหมาย ปีงบประมาณ {y}"] for y in (2570, 2571, 2572)] == [2, 2, 3]
    action = sheet(book, "Action plan")
    assert action["A1"].value == "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570"
    first = rows(action)[0]
    assert first["โครงการ/กิจกรรม"] == "โครงการเปิดเผยข้อมูลจัดซื้อจัดจ้าง"
    assert [first[f"ไตรมาส {q} ({m})"] for q, m in ((1, "ต.ค.–ธ.ค."), (2, "ม.ค.–มี.ค."),
                                                   (3, "เม.ย.–มิ.ย."), (4, "ก.ค.–ก.ย."))] == \
        ["●", "●", None, None]  # Q1/2570 - Q2/2570


def test_the_results_sheet_shows_each_round_with_its_figures(book):
    results = {(r["ประเด็น"], r["รอบ"]): r for r in rows(sheet(book, "Results"))}
    split = results[("1.2", 1)]
    # 3 x level 0, 3 x Basic, 2 x Advance, 2 x Significance, 1 not sure: n = 10
    assert split["จำนวนผู้ลงคะแนน"] == 10 and split["ไม่แน่ใจ"] == 1
    assert [split[f"{v} {label}"] for v, label in enumerate(
        ["ยังไม่ถึงระดับพื้นฐาน", "พื้นฐาน", "ก้าวหน้า", "พัฒนาจนเกิดผลสัมฤทธิ์อย่างมีนัยสำคัญ"])] == [3, 3, 2, 2]
    # sorted 0 0 0 1 1 | 1 2 2 3 3: median 1; halves of 5: Q1 0, Q3 2, IQR 2
    assert (split["มัธยฐาน"], split["พิสัยระหว่างควอร์ไทล์ (IQR)"]) == (1, 2)
    # strongest pair 0-1 holds 6 of 10 votes: 60 %
    assert split["สัดส่วนคะแนนเสียงในสองระดับที่ติดกัน (%)"] == 60 and split["ผลตามเกณฑ์ฉันทามติ"] == "ยังไม่ได้ฉันทามติ"
    revote = results[("1.2", 2)]
    # 1 x level 0, 8 x Basic, 2 x Advance: pair 1-2 holds 10 of 11 = 90.9 %
    assert revote["สัดส่วนคะแนนเสียงในสองระดับที่ติดกัน (%)"] == 90.9 and revote["ผลตามเกณฑ์ฉันทามติ"] == "ได้ฉันทามติ"


def test_the_votes_ideas_and_participation_sheets_are_complete(book):
    votes = rows(sheet(book, "Votes"))
    assert len(votes) == 55 and votes[0]["ชื่อ"] == "สมชาย ใจดี"
    ideas = rows(sheet(book, "Ideas"))
    assert [(i["ประเด็น"], i["คะแนนสนับสนุน"]) for i in ideas][:4] == \
        [("1.1", 5), ("1.1", 3), ("1.1", 1), ("1.2", 6)]
    hidden = [i for i in ideas if i["ซ่อนไว้"] == "ใช่"]
    assert [i["ข้อเสนอแนะ"] for i in hidden] == ["ข้อความทดสอบที่ไม่เกี่ยวข้อง"]
    participation = {r["บทบาท"]: r for r in rows(sheet(book, "Participation"))}
    assert participation["ผู้อำนวยการกอง"]["เข้าร่วม"] == 4
    assert participation["รวม"]["เข้าร่วม"] == 12 and participation["รวม"]["ผู้สังเกตการณ์"] == 1
    assert participation["รวม"]["ลงคะแนน 1.2 รอบ 2"] == 11


def test_the_categories_sheet_sums_up_the_plan(book):
    categories = {r["หมวด"]: r for r in rows(sheet(book, "Categories"))}
    # category 1: 1.1 (1 -> 2) and 1.2 (1 -> 3): means 1 and 2.5, two gaps of 3 levels in all
    leadership = categories["1"]
    assert (leadership["ระดับปัจจุบันเฉลี่ย"], leadership["ระดับเป้าหมายเฉลี่ย"]) == (1, 2.5)
    assert (leadership["จำนวนประเด็นที่มีช่องว่าง"], leadership["ช่องว่างรวม (ระดับ)"]) == (2, 3)
    assert categories["4"]["ได้ข้อสรุปแล้ว"] == 0
