"""The organization plan of a workshop of working groups, edited as one on the real server:
every row on the organizer's merged plan page lives in the plan of the group whose decision
stands on it, so saving it there changes that group's plan (the group's own editor and every
merged export show it), the other group's plan of the same item stays as it was, a field
someone changed meanwhile is a conflict that overwrites nothing, and bad input saves nothing."""
from __future__ import annotations

import csv
import html
import io
import re

import pytest

from tests.group_data import GROUPS, make_grouped_on_disk, set_organizer_password
from tests.live_clients import organizer_login
from tests.servers import start_server
from tests.test_groups_browser import decide_in_the_groups

PASSWORD = "a long organizer password"
NOTE = "กลุ่ม ข มีหลักฐานครบกว่า"
PROJECT = "โครงการทบทวนแผนยุทธศาสตร์ร่วมกับทุกกอง"


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("merged-plan")
    set_organizer_password(data_dir, PASSWORD)
    server = start_server(data_dir)
    try:
        made = make_grouped_on_disk(data_dir, server.url)
        decide_in_the_groups(data_dir, made)  # both groups decide 2.1: a conflict
        browser, csrf = organizer_login(server.url, PASSWORD)
        base = f"{server.url}/organizer/workshops/{made['id']}"
        unsettled = browser.get(f"{base}/plan", timeout=30).status_code
        settled = browser.post(f"{base}/settle", allow_redirects=False, timeout=30, data={
            "csrf_token": csrf, "criterion": "2.1", "session_id": made["groups"][1]["id"], "note": NOTE})
        assert settled.status_code == 302
        yield {"server": server, "made": made, "browser": browser, "csrf": csrf, "base": base,
               "unsettled": unsettled}
    finally:
        server.stop()


def _rows(room) -> dict[str, dict]:
    """The merged plan page's rows: per item its group and the form's hidden fields."""
    page = room["browser"].get(f"{room['base']}/plan", timeout=30)
    assert page.status_code == 200
    found = {}
    for block in re.findall(r'<section class="card wide merged-row" (.*?)</section>', page.text, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', block))
        fields = {name: html.unescape(value) for name, value in fields.items()}
        fields["group"] = html.unescape(re.search(r'data-field="group">([^<]*)<', block).group(1))
        fields["rank"] = int(re.search(r"<h2>(\d+)\.", block).group(1))
        found[fields["criterion"]] = fields
    return found


def _group_item(room, index: int, code: str) -> dict:
    group = room["made"]["groups"][index]
    data = room["browser"].get(f"{room['server'].url}/organizer/sessions/{group['id']}/plan/data", timeout=30)
    return next(i for i in data.json()["plan"]["items"] if i["criterion_code"] == code)


def _save(room, row: dict, **typed) -> str:
    form = {**{k: v for k, v in row.items() if k not in ("group", "rank")}, "csrf_token": room["csrf"],
            **{name: row[f"base_{name}"] for name in ("project", "owner", "owner_person")}, **typed}
    answer = room["browser"].post(f"{room['base']}/plan?lang=en", data=form, timeout=30)
    assert answer.status_code == 200, answer.status_code
    return answer.text


def test_the_merged_plan_waits_for_the_conflict_to_be_settled(room):
    assert room["unsettled"] == 409


def test_each_row_of_the_merged_plan_names_the_group_whose_plan_holds_it(room):
    rows = _rows(room)
    assert {code: row["group"] for code, row in rows.items()} == {
        "1.1": GROUPS[0].name, "2.1": GROUPS[1].name, "2.2": GROUPS[1].name}
    ids = [g["id"] for g in room["made"]["groups"]]
    assert {code: row["session_id"] for code, row in rows.items()} == {"1.1": ids[0], "2.1": ids[1], "2.2": ids[1]}
    # priority = gap x importance: 2.2 (2 x 5 = 10) before 1.1 (1 x 4 = 4); 2.1 (ข: 3 -> 3) last
    assert sorted(rows, key=lambda code: rows[code]["rank"]) == ["2.2", "1.1", "2.1"]


def test_saving_a_row_changes_its_groups_plan_and_every_export_and_not_the_other_group(room):
    row = _rows(room)["2.1"]
    said = _save(room, row, project=PROJECT, owner="กองยุทธศาสตร์และแผนงาน")
    assert "saved in its group" in said
    mine, other = _group_item(room, 1, "2.1"), _group_item(room, 0, "2.1")
    assert (mine["project"], mine["owner"]) == (PROJECT, "กองยุทธศาสตร์และแผนงาน")
    assert (other["project"], other["owner"]) == ("", "")  # group ก's plan of 2.1 is its own
    plan = list(csv.DictReader(io.StringIO(room["browser"].get(
        f"{room['base']}/download/csv-plan", timeout=60).content.decode("utf-8-sig"))))
    exported = next(r for r in plan if r["ประเด็น"] == "2.1")
    assert exported["โครงการ/กิจกรรม"] == PROJECT and exported["หน่วยงานรับผิดชอบ"] == "กองยุทธศาสตร์และแผนงาน"


def test_a_field_changed_meanwhile_is_a_conflict_and_the_others_of_the_row_are_saved(room):
    stale = _rows(room)["1.1"]
    group = room["made"]["groups"][0]
    item = _group_item(room, 0, "1.1")
    changed = room["browser"].patch(  # the group's own editor changes the project first
        f"{room['server'].url}/organizer/sessions/{group['id']}/plan/items/{item['id']}",
        headers={"X-CSRF-Token": room["csrf"]}, timeout=30,
        json={"field": "project", "value": "ของกลุ่ม ก", "version": item["version"], "base": ""})
    assert changed.status_code == 200, changed.text
    said = _save(room, stale, project="ของผู้จัดการประชุม", owner_person="นางสาวพิมพ์ใจ ใจดี")
    assert "someone else changed Project or activity meanwhile" in said
    now = _group_item(room, 0, "1.1")
    assert (now["project"], now["owner_person"]) == ("ของกลุ่ม ก", "นางสาวพิมพ์ใจ ใจดี")


def test_bad_input_or_another_workshops_item_saves_nothing(room):
    row = _rows(room)["2.2"]
    before = _group_item(room, 1, "2.2")
    said = _save(room, row, project="ไม่ควรบันทึก", start_quarter="ปีหน้า")
    assert "was not saved" in said and "Q1/2570" in said
    assert _group_item(room, 1, "2.2") == before
    said = _save(room, {**row, "session_id": "not-a-group"}, project="ไม่ควรบันทึก")
    assert "no longer exists" in said
    no_token = {k: v for k, v in row.items() if k not in ("group", "rank", "csrf_token")}
    refused = room["browser"].post(f"{room['base']}/plan", data={**no_token, "project": "x"}, timeout=30)
    assert refused.status_code == 400
    assert _group_item(room, 1, "2.2") == before
