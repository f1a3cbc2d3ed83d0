"""The PDF report's wide plan table keeps every Thai word whole: WeasyPrint (Pango, with
libthai's dictionary) breaks Thai lines between words, and no column is narrower than the longest
word of its header or of what a plan usually holds (งบประมาณ under "budget" was cut to งบประมา|ณ).

The 30-item plan (tests/plan_data.py) is rendered once and read back with `pdftotext -raw`,
which gives each table cell's lines in order. Noto Sans Thai's ำ comes back as า, so text is
compared with ำ read as า and without spaces; a word cut across two lines loses its shape.
"""
from __future__ import annotations

import re
import subprocess

import pytest

from workshop.exports.pdf_export import export_pdf
from tests.plan_data import WORDS, thirty_item_snapshot

# the plan table's headers (and budget notes), word by word
TABLE_WORDS = ("งบประมาณ", "ปัจจุบัน", "เป้าหมาย", "ช่องว่าง", "สำคัญ", "เร่งด่วน", "รับผิดชอบ",
               "ระยะเวลา", "ตัวชี้วัด", "ลำดับ", "สถานะ", "ไตรมาส", "ประเด็น", "กิจกรรม")


def shape(text: str) -> str:
    return re.sub(r"[^\S\n]+", "", text.replace("\u0e33", "\u0e32"))


@pytest.fixture(scope="module")
def lines(tmp_path_factory) -> str:
    pdf = tmp_path_factory.mktemp("pdf-plan") / "report.pdf"
    pdf.write_bytes(export_pdf(thirty_item_snapshot()))
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return shape(raw)


def test_the_reader_sees_a_word_cut_across_two_lines():
    cut = shape("ตัวชี้วัด งบประมา\nณ สถานะ")
    assert cut.count(shape("งบประมาณ")) == 0 and cut.replace("\n", "").count(shape("งบประมาณ")) == 1


def test_no_thai_word_of_the_plan_table_is_cut_across_lines(lines):
    whole = lines.replace("\n", "")
    for word in WORDS + TABLE_WORDS:
        assert lines.count(shape(word)) == whole.count(shape(word)) > 0, word
