"""The plan editor's service as two organizers use it: the plan appears, their edits stay,
and when both type at once nothing is lost."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.workshop_data import make_workshop
from workshop.services import plan
from workshop.services.plan import PlanInvalid, PlanItemNotFound
from workshop.store.decisions import record_decision
from workshop.store.models import PlanItem


@pytest.fixture
def workshop(store):
    facts = make_workshop(store)
    with store.session() as db:
        plan.materialize(db, facts.session_id)
    return facts


def view(store, sid):
    with store.session() as db:
        return plan.plan_view(db, sid)


def item_of(store, sid, code):
    return next(i for i in view(store, sid)["items"] if i["criterion_code"] == code)


def rows(store, sid):
    with store.session() as db:
        return list(db.scalars(select(PlanItem).where(PlanItem.session_id == sid)))


def test_materializing_makes_an_item_per_decided_criterion_with_the_top_ideas_as_actions(store, workshop):
    found = view(store, workshop.session_id)
    assert [i["criterion_code"] for i in found["items"]] == ["1.2", "1.1", "2.1"]
    first = item_of(store, workshop.session_id, "1.1")
    assert [a["text"] for a in first["actions"]] == [
        "ผู้บริหารสื่อสารวิสัยทัศน์ทุกไตรมาส", "จัดทำแผนผังระบบการนำองค์การ", "ทบทวนค่านิยมร่วมกับบุคลากร"]
    assert (first["current_level"], first["target_level"], first["gap"], first["importance"],
            first["priority"]) == (1, 2, 1, 4, 4)
    assert first["distribution"]["counts"] == {"0": 0, "1": 9, "2": 2, "3": 0}
    assert [o["criterion_code"] for o in found["open"]] == ["4.4"]  # undone decision: still open
    assert found["open"][0]["rounds_held"] is True


def test_materializing_again_never_overwrites_what_organizers_typed(store, workshop):
    sid = workshop.session_id
    typed = item_of(store, sid, "1.2")
    assert typed["owner"] == "กลุ่มงานคุ้มครองจริยธรรม"
    assert [a["text"] for a in typed["actions"]] == ["เผยแพร่ข้อมูลจัดซื้อจัดจ้างทุกเดือน"]
    with store.session() as db:
        result = plan.update_field(db, sid, typed["id"], "owner", "กองแผนงาน", version=typed["version"])
        assert result.ok
        assert plan.materialize(db, sid) == 0
    assert len(rows(store, sid)) == 3
    assert item_of(store, sid, "1.2")["owner"] == "กองแผนงาน"


def test_a_criterion_decided_later_is_added_at_the_end(store, workshop):
    sid = workshop.session_id
    with store.session() as db:
        record_decision(db, session_id=sid, criterion_code="4.4", agreed_level=0, target_level=2,
                        importance=4)
    with store.session() as db:
        assert plan.materialize(db, sid) == 1
    found = view(store, sid)
    assert [i["criterion_code"] for i in found["items"]] == ["1.2", "1.1", "2.1", "4.4"]
    assert found["open"] == []


def test_two_editors_of_different_fields_both_keep_their_change(store, workshop):
    sid = workshop.session_id
    seen = item_of(store, sid, "1.1")  # both editors loaded this version
    with store.session() as db:
        first = plan.update_field(db, sid, seen["id"], "owner", "กองกลาง", version=seen["version"],
                                  base=seen["owner"])
    with store.session() as db:
        second = plan.update_field(db, sid, seen["id"], "indicator", "จำนวนครั้งที่สื่อสาร",
                                   version=seen["version"], base=seen["indicator"])
    assert first.ok and not first.merged
    assert second.ok and second.merged
    now = item_of(store, sid, "1.1")
    assert (now["owner"], now["indicator"]) == ("กองกลาง", "จำนวนครั้งที่สื่อสาร")


def test_two_editors_of_the_same_field_get_a_conflict_and_nothing_is_lost(store, workshop):
    sid = workshop.session_id
    seen = item_of(store, sid, "1.1")
    with store.session() as db:
        assert plan.update_field(db, sid, seen["id"], "owner", "กองกลาง", version=seen["version"],
                                 base="").ok
    with store.session() as db:
        clash = plan.update_field(db, sid, seen["id"], "owner", "กองแผนงาน", version=seen["version"],
                                  base="")
    assert not clash.ok
    assert clash.to_dict()["conflict"] is True
    assert clash.item["owner"] == "กองกลาง"  # the other editor's value comes back to be shown
    assert item_of(store, sid, "1.1")["owner"] == "กองกลาง"
    with store.session() as db:  # re-applied on the version the conflict carried
        again = plan.update_field(db, sid, seen["id"], "owner", "กองแผนงาน",
                                  version=clash.item["version"], base=clash.item["owner"])
    assert again.ok and item_of(store, sid, "1.1")["owner"] == "กองแผนงาน"


def test_a_write_racing_a_commit_is_a_conflict_not_a_lost_update(store, workshop):
    sid = workshop.session_id
    seen = item_of(store, sid, "2.1")
    with store.session() as slow:
        loaded = slow.get(PlanItem, seen["id"])  # read, then someone else commits
        with store.session() as fast:
            assert plan.update_field(fast, sid, seen["id"], "owner", "ก", version=seen["version"]).ok
        result = plan._apply(slow, loaded, "owner", "ข", seen["version"], "")
    assert not result.ok and result.item["owner"] == "ก"
    assert item_of(store, sid, "2.1")["owner"] == "ก"


def test_moving_items_up_and_down_reorders_without_making_edits_stale(store, workshop):
    sid = workshop.session_id
    items = view(store, sid)["items"]
    with store.session() as db:
        order = plan.move_item(db, sid, items[2]["id"], "up")
    assert order == [items[0]["id"], items[2]["id"], items[1]["id"]]
    with store.session() as db:
        plan.move_item(db, sid, items[0]["id"], "up")  # already first: stays
        plan.move_item(db, sid, items[0]["id"], "down")
    found = view(store, sid)["items"]
    assert [i["id"] for i in found] == [items[2]["id"], items[0]["id"], items[1]["id"]]
    assert [i["version"] for i in found] == [items[2]["version"], items[0]["version"], items[1]["version"]]


def test_actions_are_added_edited_merged_and_dropped(store, workshop):
    sid = workshop.session_id
    item = item_of(store, sid, "1.1")

    def act(op, **kw):
        nonlocal item
        with store.session() as db:
            result = plan.change_actions(db, sid, item["id"], op, version=item["version"],
                                         base=[a["text"] for a in item["actions"]], **kw)
        assert result.ok
        item = result.item
        return [a["text"] for a in item["actions"]]

    assert act("add", text="  อบรมผู้บริหาร  ")[-1] == "อบรมผู้บริหาร"
    assert act("merge", indexes=[2, 0]) == [
        "ผู้บริหารสื่อสารวิสัยทัศน์ทุกไตรมาส; ทบทวนค่านิยมร่วมกับบุคลากร", "จัดทำแผนผังระบบการนำองค์การ",
        "อบรมผู้บริหาร"]
    assert act("edit", index=1, text="จัดทำแผนผัง") [1] == "จัดทำแผนผัง"
    assert act("drop", index=2) == ["ผู้บริหารสื่อสารวิสัยทัศน์ทุกไตรมาส; ทบทวนค่านิยมร่วมกับบุคลากร",
                                    "จัดทำแผนผัง"]
    assert [a["text"] for a in item_of(store, sid, "1.1")["actions"]] == [a["text"] for a in item["actions"]]


def test_an_action_change_on_a_list_someone_else_changed_is_a_conflict(store, workshop):
    sid = workshop.session_id
    seen = item_of(store, sid, "1.1")
    base = [a["text"] for a in seen["actions"]]
    with store.session() as db:
        assert plan.change_actions(db, sid, seen["id"], "drop", index=0, version=seen["version"], base=base).ok
    with store.session() as db:
        clash = plan.change_actions(db, sid, seen["id"], "edit", index=0, text="x",
                                    version=seen["version"], base=base)
    assert not clash.ok and len(clash.item["actions"]) == 2


def test_quarters_are_read_in_either_era_and_stored_in_the_buddhist_era(store, workshop):
    sid = workshop.session_id
    item = item_of(store, sid, "2.1")
    with store.session() as db:
        start = plan.update_field(db, sid, item["id"], "start_quarter", "q1/2027", version=item["version"])
        end = plan.update_field(db, sid, item["id"], "end_quarter", "Q4/2570", version=start.item["version"])
    assert (end.item["start_quarter"], end.item["end_quarter"]) == ("Q1/2570", "Q4/2570")


def test_the_working_groups_fields_are_stored_and_shown(store, workshop):
    sid = workshop.session_id
    item = item_of(store, sid, "2.1")
    typed = {"ofi": "แผนยังไม่เชื่อมโยงยุทธศาสตร์ชาติ", "objective": "ให้แผนเชื่อมโยงทุกระดับ",
             "project": "โครงการถ่ายทอดยุทธศาสตร์", "owner_person": "นายอนันต์ วงศ์ใหญ่",
             "budget_amount": "๑,๕๐๐,๐๐๐ บาท", "budget_source": "งบดำเนินงาน",
             "evidence": "รายงานการประชุมถ่ายทอดแผน", "year_targets": {"2571": 3, "2572": None},
             "start_quarter": "ไตรมาส 2/2570", "end_quarter": "3/2570"}
    version = item["version"]
    with store.session() as db:
        for name, value in typed.items():
            version = plan.update_field(db, sid, item["id"], name, value, version=version).item["version"]
    found = item_of(store, sid, "2.1")
    assert {k: found[k] for k in ("ofi", "objective", "project", "owner_person", "budget_source",
                                  "evidence")} == {k: typed[k] for k in ("ofi", "objective", "project",
                                                                         "owner_person", "budget_source",
                                                                         "evidence")}
    assert (found["budget_amount"], found["budget_amount_text"]) == (1500000, "1,500,000")
    assert found["year_targets"] == {"2571": 3}
    assert (found["start_quarter"], found["end_quarter"]) == ("Q2/2570", "Q3/2570")
    # the plan is for fiscal year 2570 (the workshop was in May 2569): its quarters 2 and 3
    assert view(store, sid)["plan_years"] == [2570, 2571, 2572]
    assert found["quarter_grid"] == [False, True, True, False]
    assert found["upgrade_default"] == [3, 3, 3]  # 2.1: 2 -> 3, one level a year


@pytest.mark.parametrize("name, value, reason", [
    ("budget_amount", "a lot", "not_an_amount"),
    ("budget_amount", "-5", "not_an_amount"),
    ("budget_amount", True, "not_an_amount"),
    ("year_targets", [3], "not_year_targets"),
    ("year_targets", {"2569": 3}, "unknown_year"),
    ("year_targets", {"2571": 7}, "unknown_level"),
    ("owner", "ก" * 201, "too_long"),
    ("owner", 12, "not_text"),
    ("indicator", "bad\x00byte", "control_characters"),
    ("start_quarter", "next spring", "not_a_quarter"),
    ("start_quarter", "Q5/2570", "not_a_quarter"),
    ("end_quarter", "Q4/2569", "end_before_start"),
    ("status", "finished", "unknown_status"),
    ("out_of_scope", "yes", "not_boolean"),
    ("version", "x", "unknown_field"),
])
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(store, workshop, name, value, reason):
    sid = workshop.session_id
    before = item_of(store, sid, "1.2")  # Q1/2570 .. Q2/2570
    with store.session() as db, pytest.raises(PlanInvalid) as refused:
        plan.update_field(db, sid, before["id"], name, value, version=before["version"])
    assert refused.value.reason == reason
    assert item_of(store, sid, "1.2") == before


@pytest.mark.parametrize("op, kw, reason", [
    ("add", {"text": "   "}, "empty"),
    ("edit", {"index": 9, "text": "x"}, "bad_index"),
    ("drop", {"index": True}, "bad_index"),
    ("merge", {"indexes": [0]}, "merge_needs_two"),
    ("explode", {}, "unknown_op"),
])
def test_bad_action_changes_are_refused(store, workshop, op, kw, reason):
    sid = workshop.session_id
    before = item_of(store, sid, "1.1")
    with store.session() as db, pytest.raises(PlanInvalid) as refused:
        plan.change_actions(db, sid, before["id"], op, version=before["version"], **kw)
    assert refused.value.reason == reason
    assert item_of(store, sid, "1.1") == before


def test_an_item_of_another_session_is_not_found(store, workshop):
    other = make_workshop(store)
    with store.session() as db:
        plan.materialize(db, other.session_id)
    theirs = view(store, other.session_id)["items"][0]
    with store.session() as db, pytest.raises(PlanItemNotFound):
        plan.update_field(db, workshop.session_id, theirs["id"], "owner", "x", version=theirs["version"])


def test_out_of_scope_items_rank_last(store, workshop):
    sid = workshop.session_id
    first = view(store, sid)["items"][0]
    assert first["rank"] == 1
    with store.session() as db:
        assert plan.update_field(db, sid, first["id"], "out_of_scope", True, version=first["version"]).ok
    now = item_of(store, sid, first["criterion_code"])
    assert now["out_of_scope"] is True and now["rank"] == 3
