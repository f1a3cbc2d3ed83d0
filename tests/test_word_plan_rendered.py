"""The Word plan of a whole PMQA workshop, rendered by LibreOffice and read back from the PDF.

30 items with 3 actions each (tests/plan_data.py), rendered once for the module in TH Sarabun
New's size (tests/word_render.py: the metric stand-in, Laksaman scaled as fonts-thai-tlwg draws TH
Sarabun), then read back with pypdf: at most 20 A4 pages, numbered from the second page, every
action there, each item's current and target level statements, and no word broken across lines.

pypdf reads Thai back from LibreOffice's PDF with its marks out of order (a tone mark and a lower
vowel swap places, ำ comes back as ำา, even around a tone mark), so text is compared by its skeleton: the letters without
the marks above and below them, whitespace dropped, line ends kept. A word broken across two
lines loses its skeleton too, so the check still sees it.
"""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from workshop import catalog
from workshop.exports.docx_export import export_docx
from tests.plan_data import WORDS, action_text, thirty_item_snapshot
from tests.word_render import render_pdf

MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def skeleton(text: str) -> str:
    """Thai text without its marks above and below, ำ as า, and no whitespace but line ends."""
    text = MARKS.sub("", text).replace("\u0e33", "\u0e32")
    text = re.sub("\u0e32+", "\u0e32", text)  # ำ read back as ำา, a tone mark between (สม่ำ)
    return re.sub(r"[^\S\n]+", "", text)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[str]:
    docx = export_docx(thirty_item_snapshot())
    pdf = render_pdf(docx, tmp_path_factory.mktemp("word-plan"))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4 portrait, in points
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def lines(pages) -> str:
    """Every page's text as skeletons, line by line."""
    return "\n".join(skeleton(page) for page in pages)


def test_a_thirty_item_plan_fits_in_twenty_pages(pages):
    assert 5 < len(pages) <= 20


def test_pages_are_numbered_at_the_top_from_the_second_page(pages):
    assert not re.search(r"^\s*- 1 -", pages[0])
    for number, page in enumerate(pages[1:], start=2):
        assert page.lstrip().startswith(f"- {number} -"), page[:40]


def test_every_action_and_decision_reaches_the_page(lines):
    whole = lines.replace("\n", "")
    for item in range(30):
        for number in (1, 2, 3):
            assert skeleton(action_text(item, number)) in whole, (item, number)
    for code in [c.code for c in catalog.get_framework("pmqa-4.0").criteria()]:
        assert f"ลาดบท" in whole and code in whole


def test_each_item_says_what_its_current_and_target_levels_mean(lines):
    whole = lines.replace("\n", "")
    framework = catalog.get_framework("pmqa-4.0")
    for decision in thirty_item_snapshot()["decisions"]:
        for level in (decision["agreed_level"], decision["target_level"]):
            statement = framework.descriptor(decision["criterion_code"], level, "th")
            assert skeleton(statement) in whole, (decision["criterion_code"], level)
    assert "วิสัยทัศน์" in framework.descriptor("1.1", 1, "th")  # item 1.1 is at level 1


def test_no_thai_word_is_broken_across_lines(lines):
    whole = lines.replace("\n", "")
    statement_words = ("วิสัยทัศน์", "วัฒนธรรม", "สถานการณ์", "สม่ำเสมอ", "สาธารณะ", "ผลกระทบ",
                       "พื้นฐาน", "ก้าวหน้า", "สัมฤทธิ์")  # from the levels and their statements
    for word in WORDS + statement_words + ("ลำดับ", "ระดับ", "ปัจจุบัน", "สำคัญ", "ประเด็น",
                                           "ประมาณ", "ตำแหน่ง", "ผู้อนุมัติ", "ไตรมาส"):
        shape = skeleton(word)
        assert lines.count(shape) == whole.count(shape) > 0, word


def test_the_title_block_and_the_approval_block_are_there(lines):
    assert skeleton("ปีงบประมาณ พ.ศ. 2570") in lines
    for signer in ("ผู้จัดทำ", "ผู้ตรวจสอบ", "ผู้อนุมัติ"):
        assert skeleton(signer) in lines
