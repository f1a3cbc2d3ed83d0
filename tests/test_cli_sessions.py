"""`python -m workshop sessions create/list`: a session made from the command line, or a clear refusal."""
from __future__ import annotations

import json

import pytest

from workshop.cli import main
from workshop.config import Config
from workshop.services import sessions as session_service
from workshop.store.db import Store
from workshop.store.models import WorkshopSession


pytestmark = pytest.mark.usefixtures("lan")


def stored_sessions(data_dir) -> list[WorkshopSession]:
    store = Store.open(Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)}).database_url)
    try:
        with store.session() as db:
            return list(db.query(WorkshopSession))
    finally:
        store.dispose()


def test_a_session_created_from_the_command_line_prints_every_link_as_json(runner, data_dir):
    result = runner.invoke(main, [
        "sessions", "create", "--framework", "pmqa-4.0", "--title", "ประเมิน PMQA 4.0 กรมตัวอย่าง",
        "--organization", "กรมตัวอย่าง", "--date", "2026-11-05", "--language", "th",
        "--agenda", "2.1,1.1", "--named", "--roles", "ผู้บริหาร,เจ้าหน้าที่", "--results", "live",
        "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert "ประเมิน PMQA" in result.output  # ensure_ascii=False: Thai stays readable
    [session] = stored_sessions(data_dir)
    secret = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)}).secret_key
    assert printed == {"id": session.id, "title": "ประเมิน PMQA 4.0 กรมตัวอย่าง",
                       "framework": "pmqa-4.0", "agenda": ["2.1", "1.1"],
                       **session_service.links(session, "http://192.168.1.23:5000", secret)}
    assert printed["join"] == f"http://192.168.1.23:5000/j/{session.join_code}"
    assert session.held_on.isoformat() == "2026-11-05" and session.organization == "กรมตัวอย่าง"
    assert session.settings["anonymous"] is False and session.settings["results_mode"] == "live"
    assert session.settings["roles"] == ["ผู้บริหาร", "เจ้าหน้าที่"]


def test_a_plain_create_prints_the_code_and_links_for_people(runner, data_dir):
    result = runner.invoke(main, ["sessions", "create", "--framework", "digital-maturity-5",
                                  "--title", "Digital maturity check", "--language", "en"])
    assert result.exit_code == 0, result.output
    [session] = stored_sessions(data_dir)
    assert f"Join code:        {session.join_code}" in result.output
    assert f"/facilitate/{session.id}/" in result.output and f"/projector/{session.id}/" in result.output
    assert session.settings["anonymous"] is True
    assert session.settings["roles"] == ["Executive", "Manager", "Staff"]


def test_a_buddhist_era_date_on_the_command_line_is_converted(runner, data_dir):
    result = runner.invoke(main, ["sessions", "create", "--framework", "pmqa-4.0", "--title", "T",
                                  "--date", "2569-11-05"])
    assert result.exit_code == 0, result.output
    [session] = stored_sessions(data_dir)
    assert session.held_on.isoformat() == "2026-11-05"


@pytest.mark.parametrize("arguments, message", [
    (["--framework", "no-such-framework", "--title", "T"], "no framework 'no-such-framework'"),
    (["--framework", "pmqa-4.0", "--title", "T", "--agenda", "1.1,9.9"], "not criteria of pmqa-4.0: 9.9"),
    (["--framework", "pmqa-4.0", "--title", "T", "--agenda", "1.1,1.1"], "a criterion appears twice"),
    (["--framework", "pmqa-4.0", "--title", "  "], "a session needs a title"),
    (["--framework", "pmqa-4.0", "--title", "T", "--date", "5/11/2026"], "is not a date"),
    (["--framework", "pmqa-4.0", "--title", "T", "--date", "3112-11-05"], "neither Buddhist era"),
    (["--framework", "pmqa-4.0", "--title", "T", "--results", "sometimes"], "sometimes"),
    (["--framework", "pmqa-4.0", "--title", "T", "--min-adjacent-share", "2"], "between 0 and 1"),
])
def test_bad_input_is_explained_exits_non_zero_and_creates_nothing(runner, data_dir, arguments, message):
    result = runner.invoke(main, ["sessions", "create", *arguments])
    assert result.exit_code != 0
    assert message in result.output
    assert stored_sessions(data_dir) == []


def test_sessions_list_shows_every_session_with_its_progress(runner, data_dir):
    assert "No sessions yet" in runner.invoke(main, ["sessions", "list"]).output
    for title in ("เช้า", "บ่าย"):
        created = runner.invoke(main, ["sessions", "create", "--framework", "pmqa-4.0",
                                       "--title", title, "--agenda", "1.1,1.2,1.3", "--date", "2026-11-05"])
        assert created.exit_code == 0, created.output
    listed = runner.invoke(main, ["sessions", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert sorted(row["title"] for row in rows) == sorted(["บ่าย", "เช้า"])
    assert all(row["agenda"] == 3 and row["decided"] == 0 and row["participants"] == 0
               and row["held_on"] == "2026-11-05" and row["status"] == "draft" for row in rows)
    table = runner.invoke(main, ["sessions", "list"]).output
    assert all(row["join_code"] in table for row in rows) and "0/3" in table


# --- a workshop of working groups (--group) ---------------------------------------------------

def test_a_workshop_of_two_groups_is_created_from_the_command_line(runner, data_dir):
    result = runner.invoke(main, [
        "sessions", "create", "--framework", "pmqa-4.0", "--title", "สัมมนา PMQA แบ่งกลุ่ม",
        "--group", "กลุ่ม 1: 1, 2.1", "--group", "กลุ่ม 2: 2", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert [g["name"] for g in printed["groups"]] == ["กลุ่ม 1", "กลุ่ม 2"]
    assert printed["groups"][0]["agenda"] == ["1.1", "1.2", "1.3", "1.4", "2.1"]
    assert "/plenary/" in printed["plenary"]
    sessions = stored_sessions(data_dir)
    assert len({s.join_code for s in sessions}) == 2
    assert {s.workshop_id for s in sessions} == {printed["workshop"]}


@pytest.mark.parametrize("arguments, says", [
    (["--group", "กลุ่ม 1: 1"], "from 2 to 12"),
    (["--group", "กลุ่ม 1: 1", "--group", "กลุ่ม 2: 8"], "8"),
    (["--group", "กลุ่ม 1 1", "--group", "กลุ่ม 2: 2"], "colon"),
    (["--group", "กลุ่ม 1: 1", "--group", "กลุ่ม 2: 2", "--agenda", "1.1"], "not both"),
])
def test_bad_groups_on_the_command_line_create_nothing(runner, data_dir, arguments, says):
    result = runner.invoke(main, ["sessions", "create", "--framework", "pmqa-4.0", "--title", "x",
                                  *arguments])
    assert result.exit_code != 0 and says in result.output
    assert stored_sessions(data_dir) == []


def test_a_workshop_is_deleted_from_the_command_line_after_a_confirmation_and_other_sessions_stay(
        runner, data_dir):
    alone = json.loads(runner.invoke(main, ["sessions", "create", "--framework", "pmqa-4.0",
                                            "--title", "อยู่ต่อ", "--json"]).output)
    made = json.loads(runner.invoke(main, [
        "sessions", "create", "--framework", "pmqa-4.0", "--title", "สัมมนา PMQA แบ่งกลุ่ม",
        "--group", "กลุ่ม 1: 1", "--group", "กลุ่ม 2: 2", "--json"]).output)
    declined = runner.invoke(main, ["sessions", "delete-workshop", made["workshop"]], input="n\n")
    assert declined.exit_code != 0 and "กลุ่ม 1, กลุ่ม 2" in declined.output
    assert len(stored_sessions(data_dir)) == 3
    unknown = runner.invoke(main, ["sessions", "delete-workshop", "no-such-workshop", "--yes"])
    assert unknown.exit_code != 0 and "nothing was deleted" in unknown.output
    done = runner.invoke(main, ["sessions", "delete-workshop", made["workshop"]], input="y\n")
    assert done.exit_code == 0, done.output
    assert [s.id for s in stored_sessions(data_dir)] == [alone["id"]]
    again = runner.invoke(main, ["sessions", "delete-workshop", made["workshop"], "--yes"])
    assert again.exit_code != 0
