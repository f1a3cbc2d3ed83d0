"""Working groups as the services see them: a workshop of groups, each group's progress, the
conflict two groups make on one item, the organizer settling it, and the merged snapshot every
export reads. On SQLite and on PostgreSQL (`backend_url`)."""
from __future__ import annotations

import pytest

from tests.group_data import GROUPS, TITLE, make_grouped_workshop
from workshop import catalog
from workshop.exports.figures import decisions_in_force, plan_of
from workshop.services import groups, merge
from workshop.services.groups import GroupSpec
from workshop.services.sessions import SessionInvalid, SessionSettings
from workshop.store.db import Store
from workshop.store.models import Workshop, WorkshopSession


@pytest.fixture
def store(backend_url):
    opened = Store.open(backend_url)
    yield opened
    opened.dispose()


@pytest.fixture
def made(store):
    return make_grouped_workshop(store)


def test_each_group_is_a_session_with_its_own_agenda_code_and_links(store, made):
    with store.session() as db:
        workshop = groups.get(db, made.id)
        first, second = workshop.groups
        assert [g.group_name for g in workshop.groups] == [g.name for g in GROUPS]
        assert first.agenda == ["1.1", "1.2", "1.3", "1.4", "2.1"]  # category 1 expanded, then the item
        assert second.agenda == ["2.1", "2.2", "2.3", "2.4"]
        assert first.join_code != second.join_code and first.id != second.id
        assert first.title == f"{TITLE} — {GROUPS[0].name}"


def test_bad_groups_are_all_reported_and_nothing_is_created(store):
    framework = catalog.get_framework("pmqa-4.0")
    bad = [GroupSpec("หนึ่ง", ("1", "9.9")), GroupSpec("หนึ่ง", ()), GroupSpec("", ("2",))]
    with pytest.raises(SessionInvalid) as refused:
        with store.session() as db:
            groups.create_workshop(db, framework, SessionSettings(title="x"), bad)
    text = "; ".join(refused.value.problems)
    assert "9.9" in text and "same name" in text and "needs a name" in text and "at least one" in text
    with store.session() as db:
        assert db.query(Workshop).count() == 0 and db.query(WorkshopSession).count() == 0


def test_a_single_group_is_not_a_workshop_of_groups(store):
    with pytest.raises(SessionInvalid):
        with store.session() as db:
            groups.create_workshop(db, catalog.get_framework("pmqa-4.0"),
                                   SessionSettings(title="x"), [GroupSpec("a", ("1",))])


def test_the_organizer_sees_every_groups_progress(store, made):
    with store.session() as db:
        rows = groups.progress(db, groups.get(db, made.id), present=lambda sid: 2)
    first, second = rows
    assert (first["decided"], first["agenda"], first["joined"], first["present"]) == (2, 5, 3, 2)
    assert (second["decided"], second["agenda"]) == (2, 4)
    assert second["current"] == "2.2" and second["round"] == {"number": 1, "state": "revealed"}


def test_an_item_two_groups_decided_is_a_conflict_until_the_organizer_settles_it(store, made):
    with store.session() as db:
        workshop = groups.get(db, made.id)
        (conflict,) = merge.conflicts(db, workshop)
        assert conflict.code == "2.1" and not conflict.settled
        assert sorted(o.agreed_level for o in conflict.options) == [1, 3]
        with pytest.raises(merge.ConflictsUnsettled) as refused:
            merge.merged_export_data(db, workshop)
        assert refused.value.codes == ["2.1"]


@pytest.mark.parametrize("note", ["", "   ", "x" * 2001, "bad\x00note"])
def test_settling_needs_a_plain_note_and_changes_nothing_without_one(store, made, note):
    with store.session() as db:
        workshop = groups.get(db, made.id)
        with pytest.raises(merge.SettleRefused) as refused:
            merge.settle(db, workshop, "2.1", made.group_ids[1], note, "organizer")
        assert refused.value.code == "note"
    with store.session() as db:
        assert not merge.conflicts(db, groups.get(db, made.id))[0].settled


def test_only_a_conflict_can_be_settled_and_only_for_a_group_that_decided_it(store, made):
    with store.session() as db:
        workshop = groups.get(db, made.id)
        with pytest.raises(merge.SettleRefused) as refused:
            merge.settle(db, workshop, "1.1", made.group_ids[0], "เหตุผล", "organizer")
        assert refused.value.code == "not_a_conflict"
        with pytest.raises(merge.SettleRefused) as refused:
            merge.settle(db, workshop, "2.1", "no-such-group", "เหตุผล", "organizer")
        assert refused.value.code == "not_an_option"


def test_the_merged_plan_keeps_each_groups_decisions_and_the_settled_one(store, made):
    with store.session() as db:
        workshop = groups.get(db, made.id)
        merge.settle(db, workshop, "2.1", made.group_ids[0], "เลือกกลุ่ม ก", "organizer")
        merge.settle(db, workshop, "2.1", made.group_ids[1], "หลักฐานของกลุ่ม ข ครบกว่า",
                     "organizer")  # settling again replaces the choice
        snapshot = merge.merged_export_data(db, workshop)
    in_force = decisions_in_force(snapshot)
    assert {code: d.agreed_level for code, d in in_force.items()} == {
        "1.1": 2, "2.1": 3, "2.2": 0}
    assert snapshot["merge"]["decided_by"] == {"1.1": GROUPS[0].name, "2.1": GROUPS[1].name,
                                               "2.2": GROUPS[1].name}
    settled = snapshot["merge"]["settlements"]["2.1"]
    assert settled["over"] == [GROUPS[0].name] and settled["note"] == "หลักฐานของกลุ่ม ข ครบกว่า"
    plan = plan_of(snapshot)
    assert {e.criterion_code: e.current_level for e in plan.entries} == {
        "1.1": 2, "2.1": 3, "2.2": 0}
    assert [o.criterion_code for o in plan.open_criteria] == ["1.2", "1.3", "1.4", "2.3", "2.4"]
    # the consensus of 2.1 is the chosen group's round, which comes last; both rounds are kept
    twos = [r for r in snapshot["rounds"] if r["criterion_code"] == "2.1"]
    assert [(r["number"], r["group"]) for r in twos] == [(1, GROUPS[0].name), (2, GROUPS[1].name)]
    assert len(snapshot["participants"]) == 6
    assert snapshot["session"]["agenda"] == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4"]


def test_a_settlement_whose_chosen_decision_was_undone_must_be_made_again(store, made):
    from workshop.services import decisions as decision_service
    with store.session() as db:
        workshop = groups.get(db, made.id)
        merge.settle(db, workshop, "2.1", made.group_ids[1], "กลุ่ม ข", "organizer")
    with store.session() as db:
        second = db.get(WorkshopSession, made.group_ids[1])
        last = decision_service.current_decisions(db, second.id)["2.2"]
        decision_service.undo(db, second, last["id"])  # undo 2.2 (the last), then 2.1
        decision_service.undo(db, second, decision_service.current_decisions(db, second.id)["2.1"]["id"])
    with store.session() as db:
        workshop = groups.get(db, made.id)
        assert merge.conflicts(db, workshop) == []
        snapshot = merge.merged_export_data(db, workshop)
    assert snapshot["merge"]["decided_by"] == {"1.1": GROUPS[0].name, "2.1": GROUPS[0].name}


def test_the_merged_plan_keeps_each_groups_strengths_ofis_merges_and_indicators(store, made):
    from workshop.exports.tables import indicators_table
    from workshop.services import idea_curation, indicators
    framework = catalog.get_framework("pmqa-4.0")
    with store.session() as db:
        first, second = (db.get(WorkshopSession, i) for i in made.group_ids)
        idea_curation.add(db, first.id, criterion="1.1", kind="strength", text="ผู้บริหารสื่อสารทิศทาง",
                          client_key="a1")
        strength = idea_curation.add(db, second.id, criterion="2.2", kind="strength",
                                     text="มีข้อมูลลูกค้าครบ", client_key="b1")
        joined = idea_curation.add(db, second.id, criterion="2.2", kind="ofi",
                                   text="ทบทวนกลุ่มผู้รับบริการทุกปี", client_key="b2")
        twin = idea_curation.add(db, second.id, criterion="2.2", kind="ofi",
                                 text="ทบทวนผู้รับบริการ", client_key="b3")
        idea_curation.merge(db, second.id, into=joined.id, idea_ids=[twin.id])
        assert strength.id and twin.merged_into == joined.id
        for session, group in ((first, "ก"), (second, "ข")):
            indicators.add(db, session, framework, "7.1", {"name": f"ร้อยละความพึงพอใจ (กลุ่ม {group})",
                                                            "target": 80, "values": {"2569": 85}})
        indicators.add(db, second, framework, "7.2", {"name": "ร้อยละการเบิกจ่าย", "target": 95,
                                                        "values": {"2569": 96}})
    with store.session() as db:
        workshop = groups.get(db, made.id)
        merge.settle(db, workshop, "2.1", made.group_ids[1], "กลุ่ม ข", "organizer")
        snapshot = merge.merged_export_data(db, workshop)
    by_text = {i["text"]: i for i in snapshot["ideas"]}
    assert by_text["ทบทวนผู้รับบริการ"]["merged_into"] == by_text["ทบทวนกลุ่มผู้รับบริการทุกปี"]["id"]
    entry = {e.criterion_code: e for e in plan_of(snapshot).entries}["2.2"]
    assert list(entry.strengths) == ["มีข้อมูลลูกค้าครบ"]
    # no group decided 7.1: the first group's indicators; 7.2 only group ข entered
    assert [(r["criterion_code"], r["name"]) for r in snapshot["indicators"]] == [
        ("7.1", "ร้อยละความพึงพอใจ (กลุ่ม ก)"), ("7.2", "ร้อยละการเบิกจ่าย")]
    assert len(indicators_table(snapshot).rows) == 2


def test_the_merged_checklist_answers_name_the_phones_of_the_group_that_gave_them(store, made):
    from workshop.services import checklists, rounds
    from workshop.store.models import Participant
    with store.session() as db:
        second = db.get(WorkshopSession, made.group_ids[1])
        opened = rounds.open_round(db, second, "2.3", kind="checklist", lines=["b1"])
        phones = db.query(Participant).filter_by(session_id=second.id).all()
        for phone in phones:
            checklists.answer(db, second.id, phone.id, round_id=opened.id, answers={"b1": "met"})
        rounds.close_round(db, second, opened.id)
    with store.session() as db:
        workshop = groups.get(db, made.id)
        merge.settle(db, workshop, "2.1", made.group_ids[1], "กลุ่ม ข", "organizer")
        snapshot = merge.merged_export_data(db, workshop)
    group_of = {p["id"]: p["group"] for p in snapshot["participants"]}
    answered = next(r for r in snapshot["rounds"] if r["criterion_code"] == "2.3")["answers"]
    assert len(answered) == 3 and {group_of[a["participant"]] for a in answered} == {GROUPS[1].name}
