"""Every word the exports print, in Thai and English, chosen by the session's language.

Exports are files handed on outside the web pages, so they carry their own small table rather
than the gettext catalog. `labels(lang)` gives a dict; an unknown language falls back to Thai.
"""
from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "th": {
        # plan
        "plan_title": "ร่างแผนพัฒนาองค์การ",
        "rank": "ลำดับ", "category": "หมวด", "category_title": "ชื่อหมวด",
        "criterion": "ประเด็น", "criterion_title": "ชื่อประเด็น",
        "current_level": "ระดับปัจจุบัน", "current_label": "ระดับปัจจุบัน (คำอธิบาย)",
        "target_level": "ระดับเป้าหมาย", "target_label": "ระดับเป้าหมาย (คำอธิบาย)",
        "gap": "ช่องว่าง (ระดับ)", "importance": "ความสำคัญ (1-5)",
        "priority": "คะแนนความสำคัญเร่งด่วน", "consensus_tw": "ความเห็นพ้อง (Tastle–Wierman)",
        "actions": "โครงการ/กิจกรรมที่เสนอ", "owner": "ผู้รับผิดชอบ",
        "start": "เริ่ม (ไตรมาส/ปีงบประมาณ)", "end": "สิ้นสุด (ไตรมาส/ปีงบประมาณ)",
        "indicator": "ตัวชี้วัด", "target_value": "ค่าเป้าหมาย", "budget_note": "งบประมาณ",
        "status": "สถานะ", "out_of_scope": "อยู่นอกขอบเขต", "note": "หมายเหตุ",
        "open": "ยังไม่ได้ข้อสรุป",
        "status_planned": "วางแผนแล้ว", "status_in_progress": "กำลังดำเนินการ",
        "status_done": "ดำเนินการแล้ว", "status_on_hold": "ชะลอไว้", "status_cancelled": "ยกเลิก",
        "yes": "ใช่", "no": "ไม่ใช่",
        # votes and results
        "votes_title": "การลงคะแนนรายบุคคล", "results_title": "ผลการลงคะแนนรายประเด็น",
        "round": "รอบ", "round_state": "สถานะรอบ", "participant": "ผู้เข้าร่วม",
        "name": "ชื่อ", "role": "บทบาท", "level": "ระดับ", "level_label": "ระดับ (คำอธิบาย)",
        "not_sure": "ไม่แน่ใจ", "evidence": "หลักฐาน", "reason": "เหตุผล",
        "on_behalf": "ลงคะแนนแทน", "voted_at": "เวลาลงคะแนน (UTC)",
        "n": "จำนวนผู้ลงคะแนน", "median": "มัธยฐาน", "iqr": "พิสัยควอร์ไทล์ (IQR)",
        "consensus_pct": "ความเห็นพ้อง (%)", "verdict": "ผล",
        "reached": "เห็นพ้อง", "not_reached": "ยังไม่เห็นพ้อง",
        "state_open": "เปิดรับคะแนน", "state_closed": "ปิดแล้ว", "state_revealed": "เปิดเผยผลแล้ว",
        # ideas and participation
        "ideas_title": "ข้อเสนอแนะเพื่อการปรับปรุง", "idea": "ข้อเสนอ", "upvotes": "คะแนนสนับสนุน",
        "hidden": "ซ่อนไว้", "author": "ผู้เสนอ", "in_plan": "อยู่ในแผน", "created_at": "เวลา (UTC)",
        "participation_title": "การมีส่วนร่วม", "joined": "เข้าร่วม", "observers": "ผู้สังเกตการณ์",
        "total": "รวม", "no_role": "ไม่ระบุบทบาท", "voted_in": "ลงคะแนน",
        "organization": "หน่วยงาน", "held_on": "วันที่จัด",
        "categories_title": "สรุปรายหมวด", "criteria_count": "จำนวนประเด็น",
        "decided": "ได้ข้อสรุปแล้ว", "mean_current": "ระดับปัจจุบันเฉลี่ย",
        "mean_target": "ระดับเป้าหมายเฉลี่ย", "gaps": "จำนวนประเด็นที่มีช่องว่าง",
        "total_gap": "ช่องว่างรวม (ระดับ)",
    },
    "en": {
        "plan_title": "Draft development plan",
        "rank": "Rank", "category": "Category", "category_title": "Category title",
        "criterion": "Item", "criterion_title": "Item title",
        "current_level": "Current level", "current_label": "Current level (label)",
        "target_level": "Target level", "target_label": "Target level (label)",
        "gap": "Gap (levels)", "importance": "Importance (1-5)",
        "priority": "Priority score", "consensus_tw": "Consensus (Tastle–Wierman)",
        "actions": "Proposed actions", "owner": "Owner",
        "start": "Start (fiscal quarter)", "end": "End (fiscal quarter)",
        "indicator": "Indicator", "target_value": "Target value", "budget_note": "Budget",
        "status": "Status", "out_of_scope": "Out of scope", "note": "Note",
        "open": "Not decided yet",
        "status_planned": "Planned", "status_in_progress": "In progress",
        "status_done": "Done", "status_on_hold": "On hold", "status_cancelled": "Cancelled",
        "yes": "yes", "no": "no",
        "votes_title": "Votes", "results_title": "Results per item and round",
        "round": "Round", "round_state": "Round state", "participant": "Participant",
        "name": "Name", "role": "Role", "level": "Level", "level_label": "Level (label)",
        "not_sure": "Not sure", "evidence": "Evidence", "reason": "Reason",
        "on_behalf": "On behalf", "voted_at": "Voted at (UTC)",
        "n": "Votes counted", "median": "Median", "iqr": "Interquartile range (IQR)",
        "consensus_pct": "Consensus (%)", "verdict": "Verdict",
        "reached": "consensus", "not_reached": "no consensus",
        "state_open": "open", "state_closed": "closed", "state_revealed": "revealed",
        "ideas_title": "Improvement ideas", "idea": "Idea", "upvotes": "Upvotes",
        "hidden": "Hidden", "author": "Author", "in_plan": "In the plan", "created_at": "Time (UTC)",
        "participation_title": "Participation", "joined": "Joined", "observers": "Observers",
        "total": "Total", "no_role": "No role given", "voted_in": "Voted",
        "organization": "Organization", "held_on": "Held on",
        "categories_title": "Summary per category", "criteria_count": "Items",
        "decided": "Decided", "mean_current": "Mean current level",
        "mean_target": "Mean target level", "gaps": "Items with a gap",
        "total_gap": "Total gap (levels)",
    },
}


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["th"])
