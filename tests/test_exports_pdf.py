"""The results report as a PDF: read back with pypdf, and every page rendered by pdftoppm.

Text extraction cannot prove Thai is drawn right (WeasyPrint's PDFs read ำ back as า even when
the page shows ำ), so the words looked for hold neither ำ nor a tone mark over an upper vowel;
the pages themselves are rendered to PNG to show they are not blank.
"""
from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from workshop.cli_exports import export_command
from workshop.exports.pdf_export import export_pdf, pdf_font, report_html
from workshop.services.export_data import read_export_data
from tests.workshop_data import make_workshop


def snapshot_of(store, language="th"):
    workshop = make_workshop(store, language=language)
    with store.session() as db:
        return read_export_data(db, workshop.session_id)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """One PDF for the module (WeasyPrint takes a few seconds): bytes and extracted text."""
    from workshop import create_app
    from workshop.config import Config

    folder = tmp_path_factory.mktemp("data")
    app = create_app(Config.from_env({}, data_dir=folder, async_mode="threading", testing=True))
    store = app.extensions["workshop.store"]
    try:
        pdf = export_pdf(snapshot_of(store))
    finally:
        store.dispose()
    reader = PdfReader(io.BytesIO(pdf))
    return pdf, reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_opens_with_a_thai_title_block(report):
    _, reader, text = report
    assert text.startswith("รายงานผลการประเมินองค์การ\nประเมินตนเองตามเกณฑ์ PMQA 4.0 ปีงบประมาณ 2569")
    assert "หน่วยงาน กรมส่งเสริมการเรียนรู้ (ตัวอย่าง)" in text
    assert "วันที่จัด 9 พฤษภาคม 2569" in text  # Buddhist era


def test_each_criterion_shows_its_rounds_figures_and_levels(report):
    _, _, text = report
    flat = " ".join(text.split())
    for heading in ("1.2 การต่อต้านการทุจริตและความโปร่งใส", "4.4 การปรับข้อมูลและระบบงานสู่ดิจิทัลเต็มรูปแบบ"):
        assert heading in flat
    # 1.2: a split first round (n 10, 1 not sure, median 1, IQR 2, 60 %, TW 0.391), an agreeing re-vote
    packed = "".join(text.split())  # a narrow cell may wrap the verdict anywhere
    assert "11011260.00.391ยังไม่ได้ฉันทามติ" in packed
    assert "21101090.90.814ได้ฉันทามติ" in packed
    assert "ระดับตามมติที่ประชุม: 1 พื้นฐาน" in flat and "ระดับตามมติที่ประชุม: 2 ก้าวหน้า" in flat
    assert "ยังไม่ได้ข้อสรุป" in flat  # 4.4, decided then undone


def test_the_category_summary_and_the_plan_are_in_the_report(report):
    _, reader, text = report
    flat = " ".join(text.split())
    assert "สรุปผลรายหมวด" in flat
    # category 2: 2.1 decided 2 -> 3 (category 1, การนำองค์การ, holds ำ: it reads back as า)
    assert "2การวางแผนเชิงยุทธศาสตร์112.03.011" in flat.replace(" ", "")
    assert "ร่างแผนพัฒนาองค์การ" in flat
    assert "1 3 2 5 10" in flat  # 1.2: 1 -> 3, gap 2, importance 5, score 10
    assert "กลุ่มงาน" in flat and "ไตรมาส 1/2570 – ไตรมาส 2/2570" in flat
    plan_page = next(page for page in reader.pages if "ไตรมาส 1/2570" in page.extract_text())
    assert plan_page.mediabox.width > plan_page.mediabox.height  # the plan is on landscape pages


def test_the_report_uses_an_installed_thai_font_embedded_in_the_file(report):
    _, reader, _ = report
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert pdf_font() is not None
    embedded = {name.replace("-", "") for name in fonts}
    assert any(name.startswith(pdf_font().replace(" ", "")) for name in embedded), fonts


def test_every_page_renders_and_none_is_blank(report, tmp_path):
    pdf, reader, _ = report
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader.pages) >= 4
    for page in pages:
        image = Image.open(page).convert("L")
        assert image.getextrema()[0] < 100, page.name  # something dark drawn on it
        assert sum(image.histogram()[:200]) > 2000, page.name


def test_the_charts_are_embedded_as_svg_outlines(store):
    html = report_html(snapshot_of(store))
    assert html.count('src="data:image/svg+xml;base64,') == 4 + 2  # 4 criteria, radar, matrix


def test_an_english_session_gets_the_report_in_english(store):
    reader = PdfReader(io.BytesIO(export_pdf(snapshot_of(store, language="en"))))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert text.startswith("Organizational assessment report")
    assert "Held on 9 May 2026" in text and "Q1 FY2027" in text


def test_the_export_command_writes_the_pdf(store, runner, tmp_path):
    workshop = make_workshop(store)
    out = tmp_path / "report.pdf"
    result = runner.invoke(export_command, [workshop.session_id, "--format", "pdf",
                                            "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
