"""Kept strengths and OFIs reach the plan, every export and the archive: worked by hand on a
small room, then on the full workshop of tests/workshop_data.py with a few added."""
from __future__ import annotations

import csv
import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from workshop.domain.plan import DecidedLevels, IdeaFacts, PlanEdits, build_plan
from workshop.exports.archive import export_archive
from workshop.services.archive_import import import_archive
from workshop.exports.archive_format import DamagedArchive, checksum
from workshop.exports.csv_export import plan_csv
from workshop.exports.docx_export import export_docx
from workshop.exports.pdf_export import report_html
from workshop.services.export_data import read_export_data
from workshop.exports.xlsx import export_xlsx
from workshop.services import idea_curation
from workshop.store.db import Store
from workshop.store.models import Idea, Participant
from workshop import catalog
from tests.workbooks import sheet
from tests.workshop_data import make_workshop

PMQA = catalog.get_framework("pmqa-4.0")


def test_kept_ofis_fill_the_ofi_field_until_one_is_typed_and_strengths_are_listed():
    """1.1: two kept OFIs (3 and 5 upvotes: the 5 first), one not kept, one kept but hidden;
    a kept strength; an idea proper. 1.2: a kept OFI, but the group typed its own OFI."""
    ideas = [
        IdeaFacts(1, "1.1", "ไม่มีการทบทวนแผน", upvotes=3, kind="ofi", kept=True),
        IdeaFacts(2, "1.1", "ไม่มีตัวชี้วัดระดับกอง", upvotes=5, kind="ofi", kept=True),
        IdeaFacts(3, "1.1", "ยังไม่ได้คัดเลือก", upvotes=9, kind="ofi"),
        IdeaFacts(4, "1.1", "ซ่อนแล้ว", upvotes=9, kind="ofi", kept=True, hidden=True),
        IdeaFacts(5, "1.1", "ผู้บริหารให้ความสำคัญ", upvotes=1, kind="strength", kept=True),
        IdeaFacts(6, "1.1", "จัดอบรม", upvotes=0),
        IdeaFacts(7, "1.2", "ไม่มีช่องทางแจ้งเบาะแส", upvotes=2, kind="ofi", kept=True),
    ]
    decisions = {"1.1": DecidedLevels(1, 2, 3), "1.2": DecidedLevels(1, 3, 5)}
    edits = {"1.2": PlanEdits(ofi="ยังไม่เปิดเผยข้อมูลจัดซื้อจัดจ้าง")}
    plan = build_plan(PMQA, ["1.1", "1.2"], decisions, {}, ideas, edits)
    item = {e.criterion_code: e for e in plan.entries}
    assert item["1.1"].kept_ofis == ("ไม่มีตัวชี้วัดระดับกอง", "ไม่มีการทบทวนแผน")
    assert item["1.1"].ofi == "ไม่มีตัวชี้วัดระดับกอง\nไม่มีการทบทวนแผน"
    assert item["1.1"].strengths == ("ผู้บริหารให้ความสำคัญ",)
    assert [a.text for a in item["1.1"].proposed_actions] == ["จัดอบรม"]  # ideas proper only
    assert item["1.2"].ofi == "ยังไม่เปิดเผยข้อมูลจัดซื้อจัดจ้าง"
    assert item["1.2"].kept_ofis == ("ไม่มีช่องทางแจ้งเบาะแส",)  # still offered beside it


def _with_strengths_and_ofis(store: Store):
    """The sample workshop, plus on 1.1: a kept strength, a kept OFI another one was merged
    into, and an OFI the facilitator wrote."""
    workshop = make_workshop(store)
    sid = workshop.session_id
    with store.session() as db:
        people = list(db.scalars(select(Participant).where(Participant.session_id == sid)
                                 .order_by(Participant.id)))
        made = {}
        for key, (kind, author, text) in {
            "strength": ("strength", 0, "ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ"),
            "ofi": ("ofi", 1, "ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส"),
            "copy": ("ofi", 2, "ไม่ได้ติดตามผลรายไตรมาส"),
        }.items():
            made[key] = Idea(session_id=sid, criterion_code="1.1", kind=kind, text=text,
                             participant_id=people[author].id, client_key=key, upvotes=0, hidden=False)
            db.add(made[key])
        db.flush()
        idea_curation.merge(db, sid, into=made["ofi"].id, idea_ids=[made["copy"].id])
        idea_curation.keep(db, sid, idea_id=made["ofi"].id, kept=True)
        idea_curation.keep(db, sid, idea_id=made["strength"].id, kept=True)
        idea_curation.add(db, sid, criterion="1.1", kind="ofi", text="<b>ควรมีระบบติดตาม</b>",
                          client_key="f1")
        db.commit()
    with store.session() as db:
        return workshop, read_export_data(db, sid)


@pytest.fixture
def sample(store):
    return _with_strengths_and_ofis(store)


def test_every_tabular_export_lists_the_kept_strengths_and_ofis(sample):
    _, snapshot = sample
    book = load_workbook(io.BytesIO(export_xlsx(snapshot)))
    header_row = next(r for r in sheet(book, "Ideas").iter_rows(values_only=True) if r[0] == "ประเด็น")
    rows = [dict(zip(header_row, r)) for r in sheet(book, "Ideas").iter_rows(values_only=True)
            if r[0] == "1.1" and r != header_row]
    kinds = {r["ข้อเสนอแนะ"]: (r["ประเภท"], r["คงไว้ในแผน"], r["ซ่อนไว้"]) for r in rows}
    assert kinds["ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ"] == ("จุดแข็ง", "ใช่", "ไม่ใช่")
    assert kinds["ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส"] == ("โอกาสในการปรับปรุง (OFI)", "ใช่", "ไม่ใช่")
    assert kinds["ไม่ได้ติดตามผลรายไตรมาส"] == ("โอกาสในการปรับปรุง (OFI)", "ไม่ใช่", "ใช่")  # merged
    plan = list(csv.reader(io.StringIO(plan_csv(snapshot).decode("utf-8-sig"))))
    row = next(r for r in plan if len(r) > 2 and r[2] == "1.1")
    header = plan[0] if "จุดแข็ง" in plan[0] else next(r for r in plan if "จุดแข็ง" in r)
    assert row[header.index("จุดแข็ง")] == "ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ"
    ofi = row[header.index("โอกาสในการปรับปรุง (OFI)")]
    assert "ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส" in ofi and "ไม่ได้ติดตามผลรายไตรมาส" not in ofi


def test_the_word_plan_and_the_report_carry_them_in_each_items_block(sample):
    _, snapshot = sample
    words = "\n".join(p.text for p in Document(io.BytesIO(export_docx(snapshot))).paragraphs)
    assert "จุดแข็ง: ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ" in words
    assert "ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส" in words and "<b>ควรมีระบบติดตาม</b>" in words
    html = report_html(snapshot)
    assert "จุดแข็งและโอกาสในการปรับปรุงรายประเด็น" in html
    assert "<li>ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ</li>" in html
    assert "&lt;b&gt;ควรมีระบบติดตาม&lt;/b&gt;" in html and "<b>ควรมีระบบติดตาม" not in html


def test_the_archive_keeps_kinds_kept_and_merges_byte_for_byte(sample, tmp_path):
    workshop, snapshot = sample
    first = export_archive(snapshot)
    ideas = json.loads(first)["ideas"]
    merged = next(i for i in ideas if i["text"] == "ไม่ได้ติดตามผลรายไตรมาส")
    joined = next(i for i in ideas if i["id"] == merged["merged_into"])
    assert joined["text"] == "ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส" and joined["kept"] is True
    there = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        import_archive(there, first)
        with there.session() as db:
            assert export_archive(read_export_data(db, workshop.session_id)) == first
    finally:
        there.dispose()


def test_an_archive_merging_an_ofi_into_a_strength_is_refused(sample, tmp_path):
    _, snapshot = sample
    archive = json.loads(export_archive(snapshot))
    merged = next(i for i in archive["ideas"] if i["merged_into"])
    strength = next(i for i in archive["ideas"] if i["kind"] == "strength")
    merged["merged_into"] = strength["id"]
    archive["checksum"] = checksum(archive)
    there = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        with pytest.raises(DamagedArchive, match="merged_into"):
            import_archive(there, json.dumps(archive, ensure_ascii=False).encode())
    finally:
        there.dispose()


def test_an_archive_written_before_strengths_and_ofis_reads_as_ideas(sample, tmp_path):
    workshop, snapshot = sample
    archive = json.loads(export_archive(snapshot))
    archive["ideas"] = [{k: v for k, v in i.items() if k not in ("kind", "kept", "merged_into")}
                        for i in archive["ideas"] if i["kind"] == "idea"]
    archive["checksum"] = checksum(archive)
    there = Store.open(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        import_archive(there, json.dumps(archive, ensure_ascii=False).encode())
        with there.session() as db:
            kinds = set(db.scalars(select(Idea.kind)))
        assert kinds == {"idea"}
    finally:
        there.dispose()


def test_the_plan_editor_offers_the_kept_ofis_and_strengths_of_each_item(sample, store):
    from workshop.services import plan as plan_service
    workshop, _ = sample
    with store.session() as db:
        plan_service.materialize(db, workshop.session_id)
        db.commit()
        items = {i["criterion_code"]: i for i in plan_service.plan_view(db, workshop.session_id)["items"]}
    assert items["1.1"]["kept_ofis"] == ["ยังไม่มีการทบทวนผลการดำเนินงานรายไตรมาส", "<b>ควรมีระบบติดตาม</b>"]
    assert items["1.1"]["strengths"] == ["ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ"]
    assert items["1.1"]["ofi"] in (None, "")  # nothing typed: the exports use the kept ones
    proposed = [a["text"] for a in items["1.1"]["proposed_actions"]]
    assert "ผู้บริหารสื่อสารทิศทางองค์การสม่ำเสมอ" not in proposed and proposed  # ideas proper only
