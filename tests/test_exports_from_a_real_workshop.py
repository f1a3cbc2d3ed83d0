"""Every export of a session that a real workshop produced: the real server, phones and a
facilitator over Socket.IO, then `python -m workshop export` in each format, each file opened
again by a library that reads that format."""
from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys

import docx
import openpyxl
import pypdf
import pytest

from tests.helpers import make_session
from tests.live_clients import Screen, join_key, phone_auth, screen_auth
from tests.servers import ROOT, start_server
from tests.workbooks import sheet, sheet_names

# Two criteria, six phones. 1.1: levels 1,1,1,2,2 and one "not sure" -> median 1, agreed 1,
# target 3. 2.1: 2,2,2,2,3,3 -> median 2, agreed 2, target 3.
VOTES = {"1.1": [1, 1, 1, 2, 2, None], "2.1": [2, 2, 2, 2, 3, 3]}
DECISIONS = {"1.1": (1, 3, 5), "2.1": (2, 3, 2)}
IDEA = "ตั้งคณะทำงานติดตามวิสัยทัศน์ทุกไตรมาส"


async def _vote_round(facilitator, phones, code):
    await facilitator.ok("goto", {"criterion": code})
    opened = await facilitator.ok("open_round", {"criterion": code})
    round_id = opened["round"]["id"]
    for phone, level in zip(phones, VOTES[code]):
        vote = {"round_id": round_id, "not_sure": True} if level is None else {"round_id": round_id, "level": level}
        await phone.ok("vote", vote)
    await facilitator.ok("close_round", {"round_id": round_id})
    await facilitator.ok("reveal", {"round_id": round_id})
    agreed, target, importance = DECISIONS[code]
    await facilitator.ok("decide", {"criterion": code, "agreed_level": agreed, "target_level": target,
                                    "importance": importance})


async def _run_workshop(server, session):
    facilitator = Screen(server.url, screen_auth(session, "facilitator"))
    await facilitator.connect()
    phones = [Screen(server.url, phone_auth(session)) for _ in range(6)]
    for index, phone in enumerate(phones):
        await phone.connect()
        await phone.ok("join", {"role": "เจ้าหน้าที่" if index % 2 else "ผู้บริหาร", "client_key": join_key()})
    await _vote_round(facilitator, phones, "1.1")
    await facilitator.ok("goto", {"criterion": "1.1"})
    await facilitator.ok("ideas_phase", {"criterion": "1.1", "open": True})
    idea = await phones[0].ok("idea", {"criterion": "1.1", "text": IDEA, "client_key": "k1"})
    for phone in phones[1:4]:
        await phone.ok("upvote", {"idea_id": idea["idea"]["id"], "on": True})
    await facilitator.ok("ideas_phase", {"criterion": "1.1", "open": False})
    await _vote_round(facilitator, phones, "2.1")
    for screen in (facilitator, *phones):
        await screen.client.disconnect()


def _export(server, session_id, fmt, out, *extra):
    env = {**os.environ, "WORKSHOP_DATA_DIR": str(server.data_dir)}
    done = subprocess.run([sys.executable, "-m", "workshop", "export", session_id, "--format", fmt,
                           "--out", str(out), *extra], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("real-workshop")
    server = start_server(data_dir)
    try:
        session = make_session(data_dir, server.url, roles=("ผู้บริหาร", "เจ้าหน้าที่"),
                               agenda=("1.1", "2.1", "3.1"))
        asyncio.run(_run_workshop(server, session))
    finally:
        server.stop()
    return server, session, tmp_path_factory.mktemp("exports")


def test_the_archive_holds_every_vote_decision_and_idea_the_room_gave(workshop):
    server, session, out = workshop
    archive = json.loads(_export(server, session["id"], "json", out / "a.json").read_text(encoding="utf-8"))
    text = json.dumps(archive, ensure_ascii=False)
    assert IDEA in text and session["id"] in text
    assert text.count('"not_sure": true') == 1


def test_the_plan_and_votes_csv_open_in_excel_with_thai(workshop):
    server, session, out = workshop
    plan = _export(server, session["id"], "csv", out / "plan.csv", "--what", "plan").read_bytes()
    votes = _export(server, session["id"], "csv", out / "votes.csv", "--what", "votes").read_bytes()
    assert plan.startswith(b"\xef\xbb\xbf") and votes.startswith(b"\xef\xbb\xbf")
    plan_rows = list(csv.reader(io.StringIO(plan.decode("utf-8-sig"))))
    assert any("1.1" in cell for row in plan_rows for cell in row)
    assert any(IDEA in cell for row in plan_rows for cell in row)
    vote_rows = list(csv.reader(io.StringIO(votes.decode("utf-8-sig"))))
    assert len(vote_rows) - 1 == sum(len(levels) for levels in VOTES.values())
    assert any("ผู้บริหาร" in row for row in vote_rows)


def test_the_workbook_holds_the_plan_and_each_rounds_figures(workshop):
    server, session, out = workshop
    book = openpyxl.load_workbook(_export(server, session["id"], "xlsx", out / "w.xlsx"))
    assert book.sheetnames == sheet_names("th")
    results = {row[0]: row for row in sheet(book, "Results").iter_rows(values_only=True) if row[0] in VOTES}
    # code, title, round, state, n, counts of levels 0-3, not sure, median, IQR
    assert results["1.1"][1] == "ระบบการนำองค์การที่สร้างความยั่งยืน"
    assert results["1.1"][4:12] == (5, 0, 3, 2, 0, 1, 1, 1)  # "not sure" kept apart from n
    assert results["2.1"][4:12] == (6, 0, 0, 4, 2, 0, 2, 1)
    plan_cells = " ".join(str(c) for row in sheet(book, "Plan").iter_rows(values_only=True) for c in row if c)
    assert IDEA in plan_cells


def test_the_word_plan_lists_the_decided_levels(workshop):
    server, session, out = workshop
    document = docx.Document(str(_export(server, session["id"], "docx", out / "p.docx")))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    items = {row[1].split()[0]: row for row in rows if row and row[1][:3] in ("1.1", "2.1")}
    # ranks: 1.1 gap 2 x importance 5 = 10 -> first; 2.1 gap 1 x 2 = 2 -> second
    assert items["1.1"][:7][2:7] == ["1", "3", "2", "5", "10"]
    assert items["2.1"][:7][2:7] == ["2", "3", "1", "2", "2"]


def test_the_pdf_report_holds_the_thai_levels_and_figures(workshop):
    server, session, out = workshop
    reader = pypdf.PdfReader(str(_export(server, session["id"], "pdf", out / "r.pdf")))
    flat = " ".join(page.extract_text() for page in reader.pages)
    # Words without ำ and without a tone mark over an upper vowel extract faithfully.
    assert "ก้าวหน้า" in flat and "รายงาน" in flat
    assert "1.1" in flat and "2.1" in flat
