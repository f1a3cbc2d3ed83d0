"""Results items' indicators in every export: the XLSX sheet, the CSV, the Word plan's item
block, the PDF report's table with its trend, and the archive, read back."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.workbooks import sheet
from tests.workshop_data import make_workshop
from workshop.exports.archive import export_archive
from workshop.services.archive_import import import_archive
from workshop.exports.csv_export import export_csv
from workshop.exports.docx_export import export_docx
from workshop.exports.pdf_export import report_html
from workshop.services.export_data import read_export_data
from workshop.exports.xlsx import export_xlsx
from workshop.store.db import Store
from workshop.store.decisions import record_decision
from workshop.store.models import IndicatorRow

WHEN = datetime(2026, 5, 9, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def snapshot(store):
    """The sample workshop (held 9 May 2026: fiscal year 2569) with two indicators on 7.2,
    decided at level 1 -> 2."""
    workshop = make_workshop(store)
    with store.session() as db:
        db.add_all([
            IndicatorRow(session_id=workshop.session_id, criterion_code="7.2", position=0,
                         name="ความพึงพอใจของผู้รับบริการ", unit="ร้อยละ", direction="higher", target=85.0,
                         values={"2567": 80.0, "2568": 84.0, "2569": 88.0}, created_at=WHEN, updated_at=WHEN),
            IndicatorRow(session_id=workshop.session_id, criterion_code="7.2", position=1,
                         name="=HYPERLINK(\"http://x\")", unit="นาที", direction="lower", target=15.0,
                         values={"2567": 20.0, "2569": 16.0}, created_at=WHEN, updated_at=WHEN),
        ])
        record_decision(db, session_id=workshop.session_id, criterion_code="7.2", agreed_level=1,
                        target_level=2, importance=3, decided_at=WHEN)
        db.commit()
        return read_export_data(db, workshop.session_id)


def test_the_workbook_has_an_indicators_sheet_with_years_trend_and_suggestion(snapshot):
    indicators = sheet(load_workbook(io.BytesIO(export_xlsx(snapshot))), "Indicators")
    rows = [r for r in indicators.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "ประเด็น")
    data = [dict(zip(header, r)) for r in rows[rows.index(header) + 1:]]
    first, second = data
    assert (first["ตัวชี้วัด"], first["ปีงบประมาณ พ.ศ. 2567"], first["ปีงบประมาณ พ.ศ. 2569"]) == \
        ("ความพึงพอใจของผู้รับบริการ", 80, 88)
    assert (first["บรรลุค่าเป้าหมาย"], first["แนวโน้ม"], first["ทิศทางที่ดี"]) == ("ใช่", "↗ ดีขึ้น", "ยิ่งมากยิ่งดี")
    assert second["ปีงบประมาณ พ.ศ. 2568"] is None and second["แนวโน้ม"] == "– ข้อมูลไม่ครบ"
    # 1 of 2 met (50 %): line 1 of PMQA's rule holds, line 2 asks 80 %
    assert first["ระดับที่ผลลัพธ์บ่งชี้"] == second["ระดับที่ผลลัพธ์บ่งชี้"] == 1
    formula_cell = next(c for row in indicators.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value))
    assert formula_cell.data_type != "f"  # a name that looks like a formula stays text


def test_the_indicators_csv_reads_back(snapshot):
    rows = list(csv.reader(io.StringIO(export_csv(snapshot, "indicators").decode("utf-8-sig"))))
    assert rows[0][:3] == ["ประเด็น", "ชื่อประเด็น", "ตัวชี้วัด"]
    assert rows[1][2] == "ความพึงพอใจของผู้รับบริการ" and rows[1][6:9] == ["80.0", "84.0", "88.0"]
    assert not rows[2][2].startswith("=")  # neutralized for spreadsheets


def test_the_word_plan_block_and_the_pdf_report_show_the_indicator_table_and_trend(snapshot):
    text = "\n".join(p.text for p in Document(io.BytesIO(export_docx(snapshot))).paragraphs)
    assert "ความพึงพอใจของผู้รับบริการ (ร้อยละ): 2567 80 → 2568 84 → 2569 88; ค่าเป้าหมาย 85;" \
           " บรรลุค่าเป้าหมาย; ↗ ดีขึ้น" in text
    assert "ระดับที่ผลลัพธ์บ่งชี้: 1" in text
    html = report_html(snapshot)
    assert "ตัวชี้วัดผลลัพธ์ (หมวด 7)" in html and 'class="spark" src="data:image/svg+xml;base64,' in html
    assert "=HYPERLINK(&#34;http://x&#34;)" in html or "=HYPERLINK(&quot;http://x&quot;)" in html


def test_the_archive_carries_the_indicators_byte_for_byte(snapshot, tmp_path):
    first = export_archive(snapshot)
    assert [i["name"] for i in json.loads(first)["indicators"]][0] == "ความพึงพอใจของผู้รับบริการ"
    there = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        import_archive(there, first)
        with there.session() as db:
            assert export_archive(read_export_data(db, snapshot["session"]["id"])) == first
    finally:
        there.dispose()
