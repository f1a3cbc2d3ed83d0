"""CSV exports: the plan and the votes, opened again with the csv module as Excel would."""
from __future__ import annotations

import csv
import io

import pytest

from workshop.exports.csv_export import export_csv, plan_csv, votes_csv
from workshop.services.export_data import read_export_data
from tests.workshop_data import PEOPLE, VOTES, make_workshop


def snapshot_of(store, **options):
    workshop = make_workshop(store, **options)
    with store.session() as db:
        return read_export_data(db, workshop.session_id)


def read_back(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_plan_csv_lists_items_by_priority_then_the_open_items_in_thai(store):
    rows = read_back(plan_csv(snapshot_of(store)))
    # 1.2: 1 -> 3, importance 5: 2 x 5 = 10; 1.1: 1 -> 2, importance 4: 4; 2.1: 2 -> 3, 3: 3
    assert [(r["ลำดับ"], r["ประเด็น"], r["คะแนนความสำคัญเร่งด่วน"]) for r in rows] == [
        ("1", "1.2", "10"), ("2", "1.1", "4"), ("3", "2.1", "3"), ("", "4.4", "")]
    first = rows[0]
    assert first["ชื่อประเด็น"] == "การต่อต้านการทุจริตและความโปร่งใส"
    assert (first["ระดับปัจจุบัน (คำอธิบาย)"], first["ระดับเป้าหมาย (คำอธิบาย)"]) == \
        ("พื้นฐาน", "พัฒนาจนเกิดผลสัมฤทธิ์อย่างมีนัยสำคัญ")
    assert first["เริ่ม (ไตรมาส/ปีงบประมาณ)"] == "ไตรมาส 1/2570"
    assert first["หน่วยงานรับผิดชอบ"] == "กลุ่มงานคุ้มครองจริยธรรม"
    assert rows[1]["โครงการ/กิจกรรมที่เสนอ"].splitlines() == [
        "1. ผู้บริหารสื่อสารวิสัยทัศน์ทุกไตรมาส", "2. จัดทำแผนผังระบบการนำองค์การ",
        "3. ทบทวนค่านิยมร่วมกับบุคลากร"]
    assert rows[3]["สถานะ"] == "ยังไม่ได้ข้อสรุป"


def test_the_plan_csv_speaks_english_in_an_english_session(store):
    rows = read_back(plan_csv(snapshot_of(store, language="en")))
    assert rows[0]["Item title"] == "Anti-corruption and transparency"
    assert rows[0]["Start (fiscal quarter)"] == "Q1 FY2027"
    assert rows[0]["Current level (label)"] == "Basic"


def test_the_votes_csv_has_one_row_per_vote_with_names_in_a_named_session(store):
    rows = read_back(votes_csv(snapshot_of(store)))
    assert len(rows) == sum(len(levels) for levels in VOTES.values())
    revote = [r for r in rows if r["ประเด็น"] == "1.2" and r["รอบ"] == "2"]
    assert [r["ระดับ"] for r in revote] == ["1", "1", "1", "0", "2", "1", "1", "1", "2", "1", "1"]
    assert revote[0]["ชื่อ"] == PEOPLE[0][0] and revote[0]["บทบาท"] == "ผู้บริหาร"
    assert revote[3]["ลงคะแนนแทน"] == "ใช่"
    not_sure = [r for r in rows if r["ไม่แน่ใจ"] == "ใช่"]
    assert len(not_sure) == 4 and {r["ระดับ"] for r in not_sure} == {""}
    # votes of the first round landed at 02:22 UTC: 09:22 in Bangkok, written for people
    assert rows[0]["เวลาลงคะแนน (เวลาประเทศไทย)"] == "2026-05-09 09:22"


def test_the_votes_csv_of_an_anonymous_session_keeps_roles_but_no_names(store):
    data = votes_csv(snapshot_of(store, named=False))
    rows = read_back(data)
    assert "ชื่อ" not in rows[0] and rows[0]["บทบาท"] == "ผู้บริหาร"
    for name, _ in PEOPLE:
        assert name.encode() not in data


def test_a_csv_export_is_either_the_plan_or_the_votes(store):
    snapshot = snapshot_of(store)
    assert export_csv(snapshot, "votes") == votes_csv(snapshot)
    with pytest.raises(ValueError, match="plan, votes"):
        export_csv(snapshot, "ideas")


def test_a_votes_evidence_is_headed_as_evidence_not_as_the_plans_evidence_to_produce(store):
    # the plan's "evidence to be produced" once took over the votes' "evidence" label
    votes = read_back(votes_csv(snapshot_of(store, language="en")))
    assert "Evidence" in votes[0] and "Evidence to be produced" not in votes[0]
    plan = read_back(plan_csv(snapshot_of(store, language="en")))
    assert "Evidence to be produced" in plan[0]
