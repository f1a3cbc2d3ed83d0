"""A PMQA 4.0 seminar from start to finish on the real server (issue 9, "Done when"): two working
groups at once with simulated phones. Group ก votes levels on category 1 (and item 2.1); group ข
runs checklist rounds on category 2 (one disputed line re-run alone) and enters the indicators
of item 7.1. Every event each phone and projector receives is checked for figures before its
round's reveal. Both groups decide 2.1; the organizer settles that conflict, and every merged
export, read back, holds each group's decisions, met and unmet lines, strengths, OFIs and
actions. The expected figures are worked out here by hand from the answers chosen, not by the
product's code."""
from __future__ import annotations

import asyncio
import csv
import io
import re
import json

import docx
import openpyxl
import pypdf
import pytest
import requests

from tests.agreement import expected_summary, rounded
from tests.blind import derived_keys
from tests.workbooks import sheet
from tests.group_data import make_grouped_on_disk, set_organizer_password
from tests.live_clients import Screen, join_key, organizer_login, phone_auth, screen_auth
from tests.servers import start_server
from workshop import catalog
from workshop.services.groups import GroupSpec

PASSWORD = "a long organizer password"
LEVELS_GROUP = GroupSpec("กลุ่ม ก หมวด 1", ("1", "2.1"))
CHECKLIST_GROUP = GroupSpec("กลุ่ม ข หมวด 2 และ 7.1", ("2", "7.1"))
# Group ก: three phones vote levels. (criterion, votes, agreed, target, importance)
LEVEL_ROUNDS = (("1.1", [2, 2, 2], 2, 3, 4), ("2.1", [1, 1, 1], 1, 2, 3))
# Group ข: four phones answer the lines of 2.1. Basic b1-b3 and Advance a1 everyone has; a2 is
# split 2-2 (disputed); Significance s1-s3 nobody has. By the cumulative rule the first round
# proposes Basic (1): Advance waits for a2. The re-run of a2 alone: all four say met, so
# Advance (2) is reached; s1-s3 stay not met and, the target being 3, become proposed OFIs.
ALL_MET = {"b1": "met", "b2": "met", "b3": "met", "a1": "met"}
NONE_MET = {"s1": "not_met", "s2": "not_met", "s3": "not_met"}
CHECKLIST = [{**ALL_MET, **NONE_MET, "a2": answer} for answer in ("met", "met", "not_met", "not_met")]
MET, UNMET = ["b1", "b2", "b3", "a1", "a2"], ["s1", "s2", "s3"]
# the unmet lines become OFIs of group ข's plan when it decides, before the OFI it writes
LINE_OFIS = [catalog.get_framework("pmqa-4.0").criterion("2.1").checklist_line(line).th for line in UNMET]
INDICATOR = {"name": "ร้อยละของผู้รับบริการที่ได้รับบริการตามมาตรฐาน", "unit": "ร้อยละ",
             "direction": "higher", "target": 90, "values": {"2567": 85, "2568": 91, "2569": 94}}
NOTE_7_1 = "ตัวชี้วัดเดียวยังไม่ครอบคลุมผลลัพธ์ด้านผู้รับบริการทั้งหมด"  # why 7.1 stays below its indicators
TEXTS = {  # what each group writes: strengths, OFIs, actions
    "strength_a": "ผู้บริหารสื่อสารวิสัยทัศน์ถึงทุกกอง", "ofi_a": "ยังไม่มีการทบทวนค่านิยมร่วมกับบุคลากร",
    "action_a": "จัดประชุมทบทวนค่านิยมทุกไตรมาส",
    "strength_b": "แผนยุทธศาสตร์ระยะยาวชัดเจน", "ofi_b": "ยังไม่มีแผนดิจิทัลเปลี่ยนวิธีทำงาน",
    "action_b": "จัดทำแผนปฏิรูปดิจิทัลของกรม"}
NOTE = "ใช้ผลตรวจรายการของกลุ่ม ข ซึ่งมีหลักฐานครบกว่า"


def _leaks(screen: Screen, revealed: dict[int, str]) -> list:
    """Every event so far that carries a figure derived from votes or answers of a round not
    revealed yet (`revealed`: round id -> criterion). A phone's own answers (`my_answers`), a
    re-run's `previous` (the revealed round before it) and a decision taken after its round's
    reveal are not about a hidden round."""
    found = []
    for name, data in screen.events:
        if name == "my_answers" or not isinstance(data, dict):
            continue
        about = data.get("round_id") or (data.get("round") or {}).get("id")
        if about in revealed or (name == "decision" and data["criterion"] in revealed.values()):
            continue
        shown = {key: value for key, value in data.items() if key != "previous"}
        if derived_keys(shown) or (name == "stage" and data.get("results") is not None):
            found.append((name, data))
    return found


class Room:
    """One group's screens: facilitator, projector and joined phones, and the blind record."""

    def __init__(self, url: str, group: dict, phones: int):
        self.group = group
        self.facilitator = Screen(url, screen_auth(group, "facilitator"))
        self.projector = Screen(url, screen_auth(group, "projector"))
        self.phones = [Screen(url, phone_auth(group)) for _ in range(phones)]
        self.revealed: dict[int, str] = {}  # round id -> criterion
        self.leaks: list = []
        self.checked = 0  # events looked at before reveals

    async def enter(self):
        for screen in (self.facilitator, self.projector, *self.phones):
            await screen.connect()
        for phone in self.phones:
            await phone.ok("join", {"client_key": join_key()})

    @property
    def watchers(self):
        return (self.projector, *self.phones)

    async def reveal(self, round_id: int, criterion: str, voted: int) -> dict:
        """Close, wait until the projector has the full tally, check every watcher, reveal."""
        await self.facilitator.ok("close_round", {"round_id": round_id})
        await self.projector.wait_for("tally", lambda t: t["round_id"] == round_id and t["voted"] == voted)
        for screen in self.watchers:
            self.leaks += _leaks(screen, self.revealed)
            self.checked += len(screen.events)
        results = (await self.facilitator.ok("reveal", {"round_id": round_id}))["results"]
        self.revealed[round_id] = criterion
        for screen in self.watchers:  # every screen sees the reveal with its figures
            await screen.wait_for("stage", lambda s: (s["round"] or {}).get("id") == round_id
                                  and s["results"] is not None)
        return results

    async def leave(self):
        for screen in (self.facilitator, *self.watchers):
            await screen.client.disconnect()


async def _levels_group(url: str, group: dict) -> dict:
    room = Room(url, group, phones=3)
    await room.enter()
    await room.facilitator.ok("goto", {"criterion": "1.1"})
    await room.facilitator.ok("ideas_phase", {"criterion": "1.1", "open": True})
    for phone, kind in zip(room.phones, ("strength", "ofi")):
        idea = (await phone.ok("idea", {"criterion": "1.1", "kind": kind, "text": TEXTS[f"{kind}_a"],
                                        "client_key": kind}))["idea"]
        await room.facilitator.ok("keep_idea", {"idea_id": idea["id"], "kept": True})
    await room.facilitator.ok("ideas_phase", {"criterion": "1.1", "open": False})
    shown = {}
    for code, votes, agreed, target, importance in LEVEL_ROUNDS:
        await room.facilitator.ok("goto", {"criterion": code})
        opened = (await room.facilitator.ok("open_round", {"criterion": code}))["round"]
        for phone, level in zip(room.phones, votes):
            await phone.ok("vote", {"round_id": opened["id"], "level": level})
        shown[code] = await room.reveal(opened["id"], code, len(votes))
        await room.facilitator.ok("decide", {"criterion": code, "agreed_level": agreed,
                                             "target_level": target, "importance": importance})
    await room.leave()
    return {"room": room, "shown": shown}


async def _checklist_round(room: Room, answers: list[dict], **more) -> dict:
    opened = (await room.facilitator.ok("open_round", {"criterion": "2.1", "kind": "checklist", **more}))
    round_id = opened["round"]["id"]
    for phone, given in zip(room.phones, answers):
        await phone.ok("answer_lines", {"round_id": round_id, "answers": given})
    return (await room.reveal(round_id, "2.1", len(answers)))["checklist"]


async def _checklist_group(url: str, group: dict) -> dict:
    room = Room(url, group, phones=4)
    await room.enter()
    await room.facilitator.ok("goto", {"criterion": "2.1"})
    first = await _checklist_round(room, CHECKLIST)
    rerun = await _checklist_round(room, [{"a2": "met"}] * 4, lines=first["disputed"], number=2)
    decision = (await room.facilitator.ok("decide", {"criterion": "2.1", "agreed_level": 2,
                                                     "target_level": 3, "importance": 5}))["decision"]
    for kind in ("strength", "ofi"):
        await room.facilitator.ok("add_idea", {"criterion": "2.1", "kind": kind,
                                               "text": TEXTS[f"{kind}_b"], "client_key": kind})
    await room.facilitator.ok("goto", {"criterion": "7.1"})
    await room.facilitator.ok("set_indicator", {"criterion": "7.1", "client_key": "i1", **INDICATOR})
    indicators = (await room.phones[0].wait_for("stage", lambda s: (s.get("indicators") or {}).get("items")))
    # the indicator alone suggests a higher level than the group agrees: a level below the
    # proposed one needs the group's reason
    await room.facilitator.ok("decide", {"criterion": "7.1", "agreed_level": 2, "target_level": 3,
                                         "importance": 3, "note": NOTE_7_1})
    await room.leave()
    return {"room": room, "first": first, "rerun": rerun, "decision": decision,
            "indicators": indicators["indicators"]}


async def _both(url: str, made: dict) -> tuple[dict, dict]:
    levels, checklist = made["groups"]
    return tuple(await asyncio.gather(_levels_group(url, levels), _checklist_group(url, checklist)))


def _add_action(url: str, group: dict, code: str, text: str) -> None:
    base = f"{url}/facilitate/{group['id']}/{group['facilitator_key']}/plan"
    items = requests.get(f"{base}/data", timeout=30).json()["plan"]["items"]
    item = next(i for i in items if i["criterion_code"] == code)
    added = requests.post(f"{base}/items/{item['id']}/actions", timeout=30,
                          json={"op": "add", "text": text, "version": item["version"]})
    assert added.status_code == 200, added.text


EXPORTS = ("json", "csv-plan", "csv-checklist", "xlsx", "docx", "pdf")


@pytest.fixture(scope="module")
def seminar(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("pmqa-seminar")
    set_organizer_password(data_dir, PASSWORD)
    server = start_server(data_dir)
    try:
        made = make_grouped_on_disk(data_dir, server.url, specs=(LEVELS_GROUP, CHECKLIST_GROUP))
        levels, checklist = asyncio.run(asyncio.wait_for(_both(server.url, made), 120))
        _add_action(server.url, made["groups"][0], "1.1", TEXTS["action_a"])
        _add_action(server.url, made["groups"][1], "2.1", TEXTS["action_b"])
        browser, csrf = organizer_login(server.url, PASSWORD)
        base = f"{server.url}/organizer/workshops/{made['id']}"
        before = {"progress": browser.get(f"{base}/progress.json", timeout=30).json(),
                  "plan": browser.get(f"{base}/download/csv-plan", timeout=30).status_code}
        settled = browser.post(f"{base}/settle", allow_redirects=False, timeout=30, data={
            "csrf_token": csrf, "criterion": "2.1", "session_id": made["groups"][1]["id"], "note": NOTE})
        assert settled.status_code == 302
        files = {}
        for kind in EXPORTS:
            answer = browser.get(f"{base}/download/{kind}", timeout=60)
            assert answer.status_code == 200, (kind, answer.status_code)
            files[kind] = answer.content
    finally:
        server.stop()
    return {"levels": levels, "checklist": checklist, "before": before, "files": files}


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_no_phone_or_projector_hears_a_figure_before_its_round_is_revealed(seminar):
    for group in (seminar["levels"], seminar["checklist"]):
        room = group["room"]
        assert room.leaks == [], room.leaks
        assert room.checked > 0 and len(room.revealed) == 2
        for phone in room.phones:  # the phones did hear each round, without its figures, before it
            heard = {(data["round"] or {}).get("id") for name, data in phone.events if name == "stage"}
            assert set(room.revealed) <= heard


def test_group_ka_votes_levels_and_the_room_sees_the_counts_after_the_reveal(seminar):
    shown = seminar["levels"]["shown"]
    for code, votes, *_ in LEVEL_ROUNDS:
        assert shown[code]["counts"][str(votes[0])] == len(votes)
        assert rounded(shown[code]["summary"]) == rounded(expected_summary(votes, [0, 1, 2, 3]))
        assert shown[code]["summary"]["tastle_wierman"] == 1.0  # a unanimous room


def test_group_kho_answers_the_checklist_and_reruns_the_disputed_line_alone(seminar):
    found = seminar["checklist"]
    first = {line["id"]: line["verdict"] for line in found["first"]["lines"]}
    assert first == {**{line: "met" for line in ("b1", "b2", "b3", "a1")}, "a2": "disputed",
                     **{line: "not_met" for line in UNMET}}
    assert found["first"]["disputed"] == ["a2"] and found["first"]["proposed_level"] == 1
    asked = [line["id"] for line in found["rerun"]["lines"] if line["asked"]]
    assert asked == ["a2"] and found["rerun"]["proposed_level"] == 2 and found["rerun"]["disputed"] == []
    assert found["decision"]["checklist"] == {"met": MET, "not_met": UNMET, "disputed": [],
                                              "proposed_ofis": UNMET}


def test_group_kho_enters_the_indicator_of_item_7_1(seminar):
    shown = seminar["checklist"]["indicators"]["items"]
    # 94 >= 90 at the last year, and 85 -> 91 -> 94 rises each year
    assert [(i["name"], i["values"], i["met"], i["trend"]) for i in shown] == [
        (INDICATOR["name"], [85, 91, 94], True, "improving")]


def test_the_organizer_sees_the_conflict_and_no_plan_until_it_is_settled(seminar):
    progress = seminar["before"]["progress"]
    assert [(g["name"], g["decided"], g["joined"]) for g in progress["groups"]] == [
        (LEVELS_GROUP.name, 2, 3), (CHECKLIST_GROUP.name, 2, 4)]
    assert progress["unsettled"] == ["2.1"] and seminar["before"]["plan"] == 409



# What each export must hold, worked out by hand: (current, target, importance) per criterion,
# priority = gap x importance; the group whose decision stands; its strengths, OFIs, actions.
PLAN = {"2.1": (2, 3, 5, CHECKLIST_GROUP.name, "strength_b", "ofi_b", "action_b"),
        "1.1": (2, 3, 4, LEVELS_GROUP.name, "strength_a", "ofi_a", "action_a"),
        "7.1": (2, 3, 3, CHECKLIST_GROUP.name, None, None, None)}
# per line of 2.1 after the re-run: (verdict, met, not met, proposed as an OFI)
LINES = {**{line: ("มีแล้ว", 4, 0, "ไม่ใช่") for line in MET},
         **{line: ("ยังไม่มี", 0, 4, "ใช่") for line in UNMET}}


def _text(key):
    return TEXTS[key] if key else ""


def _ofis(code, key) -> list[str]:
    """The plan's OFIs of an item: the unmet lines of 2.1 first (made at the decision), then
    the one its group wrote."""
    return (LINE_OFIS if code == "2.1" else []) + ([TEXTS[key]] if key else [])


def test_the_merged_archive_holds_each_groups_decisions_lines_ideas_and_actions(seminar):
    archive = json.loads(seminar["files"]["json"])
    assert archive["merge"]["decided_by"] == {code: plan[3] for code, plan in PLAN.items()}
    settled = archive["merge"]["settlements"]["2.1"]
    assert (settled["group"], settled["over"], settled["note"]) == (
        CHECKLIST_GROUP.name, [LEVELS_GROUP.name], NOTE)
    groups = {group["name"]: group["archive"] for group in archive["groups"]}
    decided = {name: {(d["criterion_code"], d["agreed_level"]) for d in a["decisions"]}
               for name, a in groups.items()}
    assert decided == {LEVELS_GROUP.name: {("1.1", 2), ("2.1", 1)},
                       CHECKLIST_GROUP.name: {("2.1", 2), ("7.1", 2)}}
    for name, suffix, code, lines in ((LEVELS_GROUP.name, "a", "1.1", []),
                                      (CHECKLIST_GROUP.name, "b", "2.1", LINE_OFIS)):
        ideas = {(i["criterion_code"], i["kind"], i["text"], i["kept"]) for i in groups[name]["ideas"]}
        assert ideas == {(code, "strength", TEXTS[f"strength_{suffix}"], True),
                         (code, "ofi", TEXTS[f"ofi_{suffix}"], True),
                         *((code, "ofi", line, True) for line in lines)}
        actions = {i["criterion_code"]: [a["text"] for a in i["actions"]] for i in groups[name]["plan_items"]}
        assert actions[code] == [TEXTS[f"action_{suffix}"]]
    first, rerun = [r for r in groups[CHECKLIST_GROUP.name]["rounds"] if r["kind"] == "checklist"]
    assert len(first["answers"]) == 4 * 8 and rerun["lines"] == ["a2"] and len(rerun["answers"]) == 4
    answered = {(a["participant"], a["line"]): a["answer"] for a in first["answers"]}
    assert sorted(answered[(p, "a2")] for p in (1, 2, 3, 4)) == ["met", "met", "not_met", "not_met"]
    assert [i["values"] for i in groups[CHECKLIST_GROUP.name]["indicators"]] == [
        {"2567": 85, "2568": 91, "2569": 94}]


def test_the_plan_csv_and_workbook_hold_each_groups_decisions_ideas_and_actions(seminar):
    rows = {row["ประเด็น"]: row for row in _csv(seminar["files"]["csv-plan"]) if row["ระดับปัจจุบัน"]}
    assert set(rows) == set(PLAN)
    for code, (current, target, importance, group, strength, ofi, action) in PLAN.items():
        row = rows[code]
        assert (row["ระดับปัจจุบัน"], row["ระดับเป้าหมาย"], row["คะแนนความสำคัญเร่งด่วน"]) == (
            str(current), str(target), str((target - current) * importance))
        assert row["กลุ่มย่อยที่ลงมติ"].startswith(group)
        assert (row["จุดแข็ง"], row["โอกาสในการปรับปรุง (OFI)"]) == (_text(strength), "\n".join(_ofis(code, ofi)))
        assert row["โครงการ/กิจกรรมที่เสนอ"] == (f"1. {TEXTS[action]}" if action else "")
    assert NOTE in rows["2.1"]["กลุ่มย่อยที่ลงมติ"] and LEVELS_GROUP.name in rows["2.1"]["กลุ่มย่อยที่ลงมติ"]

    book = openpyxl.load_workbook(io.BytesIO(seminar["files"]["xlsx"]))
    plan = {row[2]: row for row in sheet(book, "Plan").iter_rows(values_only=True) if row[2] in PLAN and row[4] is not None}
    assert {code: (row[4], row[6]) for code, row in plan.items()} == {
        code: (p[0], p[1]) for code, p in PLAN.items()}
    actions = {row[0]: row[1] for row in sheet(book, "Action plan").iter_rows(values_only=True) if row[0] in PLAN}
    assert actions == {code: _text(p[6]) or None for code, p in PLAN.items()}
    ideas = {(row[0], row[2], row[8]) for row in sheet(book, "Ideas").iter_rows(values_only=True) if row[0] in PLAN}
    assert ideas == {(code, TEXTS[strength], "จุดแข็ง") for code, (*_, strength, _o, _a) in PLAN.items() if strength
                     } | {(code, text, "โอกาสในการปรับปรุง (OFI)") for code, (*_, ofi, _a) in PLAN.items()
                          for text in _ofis(code, ofi)}
    indicators = [row for row in sheet(book, "Indicators").iter_rows(values_only=True) if row[0] == "7.1"]
    assert [row[2:11] for row in indicators] == [
        (INDICATOR["name"], "ร้อยละ", "ยิ่งมากยิ่งดี", 90, 85, 91, 94, "ใช่", "↗ ดีขึ้น")]


def test_the_checklist_csv_and_workbook_hold_each_line_met_or_not_met(seminar):
    rows = {row["ข้อ"]: (row["มติที่ประชุม"], int(row["มีแล้ว (คน)"]), int(row["ยังไม่มี (คน)"]),
                         row["เสนอเป็นโอกาสในการปรับปรุง"])
            for row in _csv(seminar["files"]["csv-checklist"]) if row["ประเด็น"] == "2.1"}
    assert rows == LINES
    book = openpyxl.load_workbook(io.BytesIO(seminar["files"]["xlsx"]))
    answered = {row[3]: (row[5], row[6], row[7], row[9])
                for row in sheet(book, "Checklist").iter_rows(values_only=True) if row[0] == "2.1"}
    assert answered == LINES


def test_the_word_plan_holds_each_groups_decisions_lines_ideas_and_actions(seminar):
    document = docx.Document(io.BytesIO(seminar["files"]["docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"ข้อที่มีแล้ว: {', '.join(MET)}" in text and f"ข้อที่ยังไม่มี: {', '.join(UNMET)}" in text
    for code, (current, target, importance, group, strength, ofi, action) in PLAN.items():
        section = text.split(f"  {code} ", 1)[1].split("ลำดับที่", 1)[0]
        # each level with what it means for the item, on the line under the item's heading
        assert re.search(f"ระดับปัจจุบัน {current} [^\\n]+  ระดับเป้าหมาย {target} ", section)
        assert f"กลุ่มย่อยที่ลงมติ: {group}" in section
        for key, shown in ((strength, "จุดแข็ง: {}"), (action, "1. {}")):
            if key:
                assert shown.format(TEXTS[key]) in section
        if ofi:
            assert "โอกาสในการปรับปรุง (OFI): " + "\n".join(_ofis(code, ofi)) in section
    assert "ใช้ผลตรวจรายการของกลุ่ม ข" in text.split("  2.1 ", 1)[1].split("ลำดับที่", 1)[0]
    assert f"มติที่ประชุม: {NOTE_7_1}" in text.split("  7.1 ", 1)[1].split("ลำดับที่", 1)[0]


def _flat(text: str) -> str:
    """PDF text as pypdf reads Thai: line breaks dropped, sara am read as sara aa."""
    return text.replace("\n", "").replace("ำ", "า").replace(" ", "")


def test_the_pdf_report_holds_each_groups_decisions_lines_ideas_and_actions(seminar):
    reader = pypdf.PdfReader(io.BytesIO(seminar["files"]["pdf"]))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    for key in TEXTS:
        assert _flat(TEXTS[key]) in text, key
    for name in (LEVELS_GROUP.name, CHECKLIST_GROUP.name, INDICATOR["name"]):
        assert _flat(name) in text
    for line, (verdict, met, not_met, proposed) in LINES.items():
        assert f"{line}" in text and _flat(f"{verdict} {met} {not_met} 0 {proposed}") in text


def test_the_workbook_counts_the_phones_that_answered_a_checklist_round_as_taking_part(seminar):
    book = openpyxl.load_workbook(io.BytesIO(seminar["files"]["xlsx"]))
    rows = [row for row in sheet(book, "Participation").iter_rows(values_only=True) if row[0]]
    header = next(row for row in rows if row[0] == "บทบาท")
    total = dict(zip(header, next(row for row in rows if row[0] == "รวม")))
    # 3 + 4 phones; the merged rounds of 2.1: group ก's level round first, then group ข's two
    # checklist rounds (its decision stands), each answered by its 4 phones
    ka, kho = LEVELS_GROUP.name, CHECKLIST_GROUP.name
    assert (total["เข้าร่วม"], total[f"ลงคะแนน 1.1 รอบ 1 · {ka}"], total[f"ลงคะแนน 2.1 รอบ 1 · {ka}"],
            total[f"ลงคะแนน 2.1 รอบ 2 · {kho}"], total[f"ลงคะแนน 2.1 รอบ 3 · {kho}"]) == (7, 3, 3, 4, 4)


def test_every_round_vote_and_line_of_the_merged_exports_names_its_group(seminar):
    """2.1 was held by both groups: ก's level round, then ข's two checklist rounds."""
    ka, kho = LEVELS_GROUP.name, CHECKLIST_GROUP.name
    book = openpyxl.load_workbook(io.BytesIO(seminar["files"]["xlsx"]))
    results = [row for row in sheet(book, "Results").iter_rows(min_row=4, values_only=True)]
    group = results[0].index("กลุ่มย่อย")
    assert [(row[0], row[2], row[group]) for row in results[1:]] == [("1.1", 1, ka), ("2.1", 1, ka)]
    votes = [row for row in sheet(book, "Votes").iter_rows(min_row=4, values_only=True)]
    group = votes[0].index("กลุ่มย่อย")
    assert sorted((row[0], row[group]) for row in votes[1:]) == [("1.1", ka)] * 3 + [("2.1", ka)] * 3
    lines = _csv(seminar["files"]["csv-checklist"])
    assert {(row["ประเด็น"], row["กลุ่มย่อย"]) for row in lines} == {("2.1", kho)} and len(lines) == 8
    checklist = [row for row in sheet(book, "Checklist").iter_rows(min_row=4, values_only=True)]
    group = checklist[0].index("กลุ่มย่อย")
    assert {row[group] for row in checklist[1:]} == {kho}
    reader = pypdf.PdfReader(io.BytesIO(seminar["files"]["pdf"]))
    text = _flat(" ".join(page.extract_text() for page in reader.pages))
    item = text.split(_flat("สรุปผลรายหมวด"))[0].split("2.1", 1)[1]
    assert _flat(ka) in item
