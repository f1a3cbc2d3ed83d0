"""Two working groups of one workshop on the real server (`python -m workshop run`) at the same
time: simulated phones vote in both, each group's facilitator decides, nothing about a round
reaches a phone or a projector before its reveal, and no group hears the other. Then the
organizer, logged in over HTTP, watches both groups' progress, settles the item both decided,
and reads back the merged exports."""
from __future__ import annotations

import asyncio
import csv
import io
import json

from docx import Document

from tests.group_data import GROUPS, make_grouped_on_disk, set_organizer_password
from tests.live_clients import Screen, join_key, organizer_login, phone_auth, screen_auth
from tests.servers import start_server

PASSWORD = "a long organizer password"
PLAN = {0: [("1.1", [2, 2, 2]), ("2.1", [1, 1, 1])], 1: [("2.1", [3, 3, 3]), ("2.2", [0, 0, 0])]}
NOTE = "หลักฐานของกลุ่ม ข ครบกว่า"


def _blind(screen: Screen, round_id: int) -> None:
    """Nothing derived from the votes of this round (not revealed yet) reached this screen."""
    for name, data in screen.events:
        if name == "tally" and data["round_id"] == round_id:
            assert set(data) == {"round_id", "voted", "present"}, (name, data)
        if name == "stage" and (data["round"] or {}).get("id") == round_id:
            assert data["round"]["state"] != "revealed" and data["results"] is None, data


async def _group(url: str, group: dict, plan) -> dict:
    facilitator = Screen(url, screen_auth(group, "facilitator"))
    projector = Screen(url, screen_auth(group, "projector"))
    await facilitator.connect()
    await projector.connect()
    phones = [Screen(url, phone_auth(group)) for _ in range(3)]
    for phone in phones:
        await phone.connect()
        phone.token = (await phone.ok("join", {"client_key": join_key()}))["token"]
    rounds = set()
    for code, levels in plan:
        opened = (await facilitator.ok("open_round", {"criterion": code}))["round"]
        rounds.add(opened["id"])
        await asyncio.gather(*(phone.ok("vote", {"round_id": opened["id"], "level": level})
                               for phone, level in zip(phones, levels)))
        await facilitator.wait_for("tally", lambda t: t["round_id"] == opened["id"] and t["voted"] == 3)
        await facilitator.ok("close_round", {"round_id": opened["id"]})
        await projector.wait_for("tally", lambda t: t["round_id"] == opened["id"] and t["voted"] == 3)
        for screen in (projector, *phones):
            _blind(screen, opened["id"])
        await facilitator.ok("reveal", {"round_id": opened["id"]})
        await facilitator.ok("decide", {"criterion": code, "agreed_level": levels[0],
                                        "target_level": 3, "importance": 4})
    last = opened["id"]
    for screen in (projector, *phones):  # every screen saw the last reveal, with its results
        stage = await screen.wait_for("stage", lambda s: s["round"] and s["round"]["id"] == last
                                      and s["round"]["state"] == "revealed")
        assert stage["results"]["counts"][str(plan[-1][1][0])] == 3
    heard = {data["round"]["id"] for screen in (projector, *phones) for name, data in screen.events
             if name == "stage" and data.get("round")}
    for screen in (facilitator, projector, *phones):
        await screen.client.disconnect()
    return {"rounds": rounds, "heard": heard}


async def _both(url: str, made: dict) -> list[dict]:
    return await asyncio.gather(*(_group(url, group, PLAN[index])
                                  for index, group in enumerate(made["groups"])))


def test_two_groups_vote_at_once_and_merge_into_one_plan_on_the_real_server(tmp_path):
    data_dir = tmp_path / "server-data"
    data_dir.mkdir()
    set_organizer_password(data_dir, PASSWORD)
    server = start_server(data_dir)
    try:
        made = make_grouped_on_disk(data_dir, server.url)
        first, second = asyncio.run(asyncio.wait_for(_both(server.url, made), 120))
        assert first["heard"] <= first["rounds"] and second["heard"] <= second["rounds"]
        assert not first["rounds"] & second["rounds"]

        browser, csrf = organizer_login(server.url, PASSWORD)
        base = f"{server.url}/organizer/workshops/{made['id']}"
        progress = browser.get(f"{base}/progress.json").json()
        assert [(g["name"], g["decided"], g["joined"]) for g in progress["groups"]] == [
            (GROUPS[0].name, 2, 3), (GROUPS[1].name, 2, 3)]
        assert progress["unsettled"] == ["2.1"]
        assert browser.get(f"{base}/download/csv-plan").status_code == 409

        settled = browser.post(f"{base}/settle", allow_redirects=False, data={
            "csrf_token": csrf, "criterion": "2.1", "session_id": made["groups"][1]["id"],
            "note": NOTE})
        assert settled.status_code == 302
        rows = list(csv.reader(io.StringIO(
            browser.get(f"{base}/download/csv-plan").content.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        levels = {row[header.index("ประเด็น")]: (row[header.index("ระดับปัจจุบัน")],
                                                 row[header.index("กลุ่มย่อยที่ลงมติ")])
                  for row in body if row[header.index("ระดับปัจจุบัน")]}
        assert levels["1.1"] == ("2", GROUPS[0].name) and levels["2.2"] == ("0", GROUPS[1].name)
        assert levels["2.1"][0] == "3" and NOTE in levels["2.1"][1]
        word = Document(io.BytesIO(browser.get(f"{base}/download/docx").content))
        text = "\n".join(p.text for p in word.paragraphs)
        assert GROUPS[0].name in text and NOTE in text
        archive = json.loads(browser.get(f"{base}/download/json").content)
        assert {g["name"]: len(g["archive"]["decisions"]) for g in archive["groups"]} == {
            GROUPS[0].name: 2, GROUPS[1].name: 2}
    finally:
        server.stop()
