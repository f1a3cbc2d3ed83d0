"""The draft development plan's rules, on small rooms worked out by hand.

A small framework of two categories: 1 (criteria 1.1, 1.2, 1.3) and 2 (2.1, 2.2), with the
PMQA scale 0 "not yet Basic", 1 Basic, 2 Advance, 3 Significance.
"""
from datetime import date

import pytest

from workshop.domain.consensus import summarize
from workshop.domain.framework import parse_framework
from workshop.domain.plan import (
    Action,
    DecidedLevels,
    FiscalQuarter,
    IdeaFacts,
    PlanEdits,
    build_plan,
    edits_from_row,
    gap,
    priority_score,
    proposed_actions,
    quarter_label,
)

SCALE = [0, 1, 2, 3]


def text(th, en):
    return {"th": th, "en": en}


def criterion(code):
    return {"code": code, "title": text(f"ประเด็น {code}", f"Item {code}"),
            "guidance": text("คำแนะนำ", "Guidance")}


FRAMEWORK = parse_framework({
    "id": "tiny", "version": "1", "title": text("เล็ก", "Tiny"), "description": text("ทดสอบ", "Test"),
    "levels": [{"value": v, "label": text(f"ระดับ {v}", f"Level {v}"),
                "descriptor": text("คำอธิบาย", "Descriptor")} for v in SCALE],
    "categories": [
        {"code": "1", "title": text("การนำองค์การ", "Leadership"),
         "criteria": [criterion("1.1"), criterion("1.2"), criterion("1.3")]},
        {"code": "2", "title": text("การวางแผนเชิงยุทธศาสตร์", "Strategic Planning"),
         "criteria": [criterion("2.1"), criterion("2.2")]},
    ],
})
AGENDA = ["1.1", "1.2", "1.3", "2.1", "2.2"]


@pytest.fixture
def room_plan():
    """The plan of a room that decided four criteria and still argues about 1.3.

    1.1: current 1, target 3, importance 4 -> gap 2, score 8; the room voted 7 x Basic (TW 1).
    1.2: current 2, target 3, importance 5 -> gap 1, score 5.
    1.3: voted but not decided -> open.
    2.1: current 0, target 2, importance 4 -> gap 2, score 8; 3 x level 0 and 3 x Advance:
         mean 1, each vote 1 level from it on a 3-level-wide scale:
         TW = 1 + 2 * 0.5 * log2(1 - 1/3) = 1 + log2(2/3) = 0.415 -> weaker than 1.1.
    2.2: current 3, target 2 (below), importance not set -> gap 0, score 0.
    """
    decisions = {
        "1.1": DecidedLevels(1, 3, 4),
        "1.2": DecidedLevels(2, 3, 5, note="ต้องมีหลักฐานเพิ่ม"),
        "2.1": DecidedLevels(0, 2, 4),
        "2.2": DecidedLevels(3, 2, None),
    }
    summaries = {"1.1": summarize({1: 7}, SCALE), "1.3": summarize({0: 2, 3: 2}, SCALE),
                 "2.1": summarize({0: 3, 2: 3}, SCALE)}
    ideas = [
        IdeaFacts(1, "1.1", "ประชุมผู้บริหารทุกเดือน", upvotes=5),
        IdeaFacts(2, "1.1", "สื่อสารวิสัยทัศน์ผ่านอินทราเน็ต", upvotes=5),
        IdeaFacts(3, "1.1", "ข้อความที่ซ่อนไว้", upvotes=9, hidden=True),
        IdeaFacts(4, "1.1", "ตั้งคณะทำงาน", upvotes=2),
        IdeaFacts(5, "1.1", "ทำแบบสำรวจ", upvotes=1),
        IdeaFacts(6, "2.1", "ทบทวนแผนยุทธศาสตร์", upvotes=0),
    ]
    edits = {"1.2": PlanEdits(actions=("จัดทำคู่มือ", "  "), owner="กองยุทธศาสตร์",
                              start_quarter="Q1/2570", end_quarter="Q4/2570",
                              status="in_progress")}
    return build_plan(FRAMEWORK, AGENDA, decisions, summaries, ideas, edits)


def test_the_plan_ranks_by_gap_times_importance_then_weaker_consensus(room_plan):
    ranked = [(e.rank, e.criterion_code, e.gap, e.importance, e.priority) for e in room_plan.entries]
    assert ranked == [
        (1, "2.1", 2, 4, 8),  # ties with 1.1 at 8, but the room agreed less on 2.1
        (2, "1.1", 2, 4, 8),
        (3, "1.2", 1, 5, 5),
        (4, "2.2", 0, 3, 0),  # target below current: no gap; importance defaults to 3
    ]
    assert room_plan.entries[0].consensus == pytest.approx(0.415, abs=1e-3)
    assert room_plan.entries[1].consensus == 1
    assert room_plan.entries[3].consensus is None  # no round for 2.2


def test_an_undecided_criterion_is_listed_as_open(room_plan):
    assert [(o.criterion_code, o.category_code, o.rounds_held) for o in room_plan.open_criteria] \
        == [("1.3", "1", True)]


def test_the_most_upvoted_visible_ideas_become_the_proposed_actions(room_plan):
    leadership = room_plan.entries[1]
    # the hidden idea 3 (9 upvotes) is left out; 1 and 2 tie at 5 and the earlier comes first
    assert leadership.proposed_actions == (
        Action("ประชุมผู้บริหารทุกเดือน", 1, 5),
        Action("สื่อสารวิสัยทัศน์ผ่านอินทราเน็ต", 2, 5),
        Action("ตั้งคณะทำงาน", 4, 2),
    )
    assert leadership.actions == leadership.proposed_actions


def test_actions_typed_by_the_organizers_replace_the_proposed_ones(room_plan):
    item = room_plan.entries[2]
    assert item.criterion_code == "1.2"
    assert item.actions == (Action("จัดทำคู่มือ"),)
    assert (item.owner, item.start_quarter, item.end_quarter, item.status) == \
        ("กองยุทธศาสตร์", "Q1/2570", "Q4/2570", "in_progress")
    assert item.note == "ต้องมีหลักฐานเพิ่ม"


def test_each_category_sums_up_its_levels_and_gaps(room_plan):
    leadership, planning = room_plan.categories
    # 1: decided 1.1 (1 -> 3) and 1.2 (2 -> 3); 1.3 open
    assert (leadership.criteria, leadership.decided) == (3, 2)
    assert (leadership.mean_current, leadership.mean_target) == (1.5, 3.0)
    assert (leadership.gaps, leadership.total_gap) == (2, 3)
    # 2: 2.1 (0 -> 2) and 2.2 (3, target 2)
    assert (planning.mean_current, planning.mean_target) == (1.5, 2.0)
    assert (planning.gaps, planning.total_gap) == (1, 2)


def test_equal_scores_and_equal_consensus_follow_the_agenda():
    decisions = {code: DecidedLevels(1, 2, 2) for code in ("2.2", "1.2", "1.1")}
    plan = build_plan(FRAMEWORK, ["2.2", "1.2", "1.1"], decisions)
    assert [e.criterion_code for e in plan.entries] == ["2.2", "1.2", "1.1"]
    assert [e.priority for e in plan.entries] == [2, 2, 2]


def test_an_item_marked_out_of_scope_goes_last_whatever_its_score():
    decisions = {"1.1": DecidedLevels(0, 3, 5), "1.2": DecidedLevels(1, 2, 1)}
    plan = build_plan(FRAMEWORK, AGENDA, decisions,
                      edits={"1.1": PlanEdits(out_of_scope=True)})
    assert [(e.criterion_code, e.priority, e.out_of_scope) for e in plan.entries] == \
        [("1.2", 1, False), ("1.1", 15, True)]


def test_the_order_organizers_set_in_the_editor_wins_and_the_rank_stays_the_priority():
    """Ranks by hand: 1.1 scores 3 x 5 = 15 (rank 1), 1.2 scores 1 x 1 = 1 (rank 2), 2.1 scores
    1 x 3 = 3 but has no stored item yet (decided after the editor last saved)."""
    decisions = {"1.1": DecidedLevels(0, 3, 5), "1.2": DecidedLevels(1, 2, 1), "2.1": DecidedLevels(1, 2, 3)}
    plan = build_plan(FRAMEWORK, AGENDA, decisions,
                      edits={"1.1": PlanEdits(position=2), "1.2": PlanEdits(position=1)})
    assert [(e.criterion_code, e.rank) for e in plan.entries] == [("1.2", 3), ("1.1", 1), ("2.1", 2)]


def test_a_criterion_decided_off_the_agenda_still_enters_the_plan_after_it():
    decisions = {"2.2": DecidedLevels(1, 2, 3), "1.1": DecidedLevels(1, 2, 3)}
    plan = build_plan(FRAMEWORK, ["2.2"], decisions)
    assert [e.criterion_code for e in plan.entries] == ["2.2", "1.1"]
    assert [c.category_code for c in plan.categories] == ["1", "2"]


def test_a_decision_without_an_agreed_level_leaves_the_criterion_open():
    plan = build_plan(FRAMEWORK, ["1.1"], {"1.1": DecidedLevels(None, 3, 4)})
    assert plan.entries == ()
    assert [o.criterion_code for o in plan.open_criteria] == ["1.1"]
    assert plan.categories[0].mean_current is None


def test_gap_and_score_by_hand():
    assert gap(1, 3) == 2
    assert gap(3, 1) == 0
    assert gap(2, None) == 0  # no target: keep the current level
    assert priority_score(2, 4) == 8
    assert priority_score(2, None) == 6


def test_proposed_actions_keep_at_most_three():
    ideas = [IdeaFacts(i, "1.1", f"idea {i}", upvotes=i) for i in range(1, 6)]
    assert [a.idea_id for a in proposed_actions(ideas, "1.1")] == [5, 4, 3]
    assert proposed_actions(ideas, "2.1") == ()


def test_fiscal_quarters_run_from_october_and_carry_the_buddhist_era_year():
    first = FiscalQuarter.parse("Q1/2570")
    assert (first.first_day(), first.last_day()) == (date(2026, 10, 1), date(2026, 12, 31))
    last = FiscalQuarter.parse("q4 / 2570")
    assert (last.first_day(), last.last_day()) == (date(2027, 7, 1), date(2027, 9, 30))
    assert FiscalQuarter.parse("Q2/2027") == FiscalQuarter(2570, 2)
    assert FiscalQuarter.of(date(2026, 5, 9)) == FiscalQuarter(2569, 3)
    assert FiscalQuarter.of(date(2025, 10, 1)) == FiscalQuarter(2569, 1)
    assert FiscalQuarter(2569, 4) < FiscalQuarter(2570, 1)
    assert first.label("th") == "ไตรมาส 1/2570" and first.label("en") == "Q1 FY2027"
    assert quarter_label("Q3/2569", "en") == "Q3 FY2026"
    assert quarter_label("ปลายปี", "th") == "ปลายปี"
    with pytest.raises(ValueError):
        FiscalQuarter.parse("Q5/2570")


def test_a_quarter_names_its_months_in_the_calendar_year_they_fall_in():
    assert quarter_label("1/2570", "th", months=True) == "ไตรมาส 1/2570 (ต.ค.–ธ.ค. 2569)"
    assert quarter_label("Q2/2570", "th", months=True) == "ไตรมาส 2/2570 (ม.ค.–มี.ค. 2570)"
    assert quarter_label("Q4/2570", "en", months=True) == "Q4 FY2027 (Jul–Sep 2027)"
    assert quarter_label("ปลายปี", "th", months=True) == "ปลายปี"
    assert quarter_label(None, "en", months=True) == ""


def test_a_stored_plan_item_reads_back_as_edits():
    edits = edits_from_row({"actions": [{"text": "อบรม"}, "ประชุม", {"text": " "}],
                            "owner": "กองการเจ้าหน้าที่", "status": None, "out_of_scope": 0})
    assert edits.actions == ("อบรม", "ประชุม")
    assert edits.status == "planned" and edits.out_of_scope is False
