"""A whole PMQA 4.0 plan as export data: 30 items decided, each with 3 actions typed in.

What a working group brings home from a full-day workshop: every process item (1.1-6.4) and
every results item (7.1-7.6) decided, each plan item with three actions of a line or two and
every field a working group writes: OFI, objective, project, owner and person, period,
indicator, budget amount, source and note, evidence. The actions are written from WORDS, so a
test can look for each word whole in a rendered page. Plain data, no store: the exports read
export data (workshop/services/export_data.py), and this is one.
"""
from __future__ import annotations

from typing import Any

from workshop import catalog

ORGANIZATION = "กรมส่งเสริมการเรียนรู้ (ตัวอย่าง)"
# words a line may not break inside: common in plans, several syllables each, no compounds
# (a line may break between the words of a compound, as in เครือ|ข่าย: Thai dictionaries allow it)
WORDS = ("ความ", "สถานะ", "ประสิทธิภาพ", "ยุทธศาสตร์", "ข้อมูล", "อิเล็กทรอนิกส์",
         "นวัตกรรม", "มาตรฐาน", "ปรับปรุง", "นโยบาย", "ติดตาม", "ประชาชน", "บุคลากร",
         "วิสัยทัศน์", "โปร่งใส", "เทคโนโลยี", "ดิจิทัล", "สมรรถนะ")
VERBS = ("จัดทำ", "ทบทวน", "พัฒนา", "ขยายผล", "สื่อสาร", "วิเคราะห์")


def action_text(item: int, number: int) -> str:
    """The action `number` (1..3) of the item `item` (0..29): unique, a line or two long."""
    w = WORDS
    first, second, third = w[(item + number) % len(w)], w[(item * 3 + number) % len(w)], \
        w[(item * 7 + number * 5) % len(w)]
    verb = VERBS[(item + number) % len(VERBS)]
    return (f"{verb}{first}ร่วมกับ{second} เพื่อยกระดับ{third}ของส่วนราชการ "
            f"ครั้งที่ {number} ของประเด็นลำดับ {item + 1}")


def thirty_item_snapshot(language: str = "th") -> dict[str, Any]:
    framework = catalog.get_framework("pmqa-4.0")
    codes = [c.code for c in framework.criteria()]
    assert len(codes) == 30, codes
    decisions, items = [], []
    for index, code in enumerate(codes):
        current = index % 3
        decisions.append({
            "criterion_code": code, "agreed_level": current, "target_level": min(3, current + 1 + index % 2),
            "importance": 1 + index % 5, "note": f"มติที่ประชุมให้เร่ง{WORDS[index % len(WORDS)]}",
            "decided_by": "facilitator", "decided_at": "2026-05-09T03:00:00+00:00", "round": None,
            "undone": False, "undone_at": None})
        items.append({
            "criterion_code": code, "position": None,
            "actions": [{"text": action_text(index, n)} for n in (1, 2, 3)],
            "owner": "กองยุทธศาสตร์และแผนงาน", "start_quarter": f"Q{1 + index % 4}/2570",
            "end_quarter": "Q4/2570", "indicator": f"ร้อยละความสำเร็จของ{WORDS[index % len(WORDS)]}",
            "target_value": "ร้อยละ 80", "budget_note": "งบประมาณปกติ", "status": "planned",
            "out_of_scope": False, "updated_at": "2026-05-09T04:00:00+00:00",
            "ofi": f"ยังขาดการ{WORDS[(index + 5) % len(WORDS)]}อย่างเป็นระบบในประเด็น {code}",
            "objective": f"เพื่อยกระดับ{WORDS[(index + 7) % len(WORDS)]}ให้ถึงระดับเป้าหมาย",
            "project": f"โครงการพัฒนา{WORDS[(index + 9) % len(WORDS)]} ประเด็น {code}",
            "owner_person": "นางสาวสุดา พรหมมา", "budget_amount": 50000 * (1 + index % 7),
            "budget_source": "งบดำเนินงาน", "evidence": f"รายงานผล{WORDS[(index + 11) % len(WORDS)]}",
            "year_targets": None})
    return {
        "session": {"id": "plan30", "title": "ประเมินตนเองตามเกณฑ์ PMQA 4.0 ครบทุกหมวด",
                    "organization": ORGANIZATION, "held_on": "2026-05-09", "language": language,
                    "settings": {"anonymous": True}, "framework_id": framework.id,
                    "agenda": codes, "join_code": "123456", "status": "ended",
                    "current_criterion": None, "ideas_open_for": None, "explain_round": None,
                    "created_at": "2026-05-09T01:00:00+00:00",
                    "updated_at": "2026-05-09T05:00:00+00:00"},
        "framework": framework.to_dict(), "participants": [], "rounds": [],
        "decisions": decisions, "ideas": [], "plan_items": items,
    }
