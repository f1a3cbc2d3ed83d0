"""`python -m workshop export` and `import`, run in-process against a temporary data folder."""
from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from workshop.cli_exports import export_command, import_command
from tests.workbooks import sheet
from tests.workshop_data import make_workshop


def test_an_organizer_exports_a_session_as_an_archive_and_restores_it_elsewhere(
        store, runner, tmp_path, monkeypatch):
    workshop = make_workshop(store)
    archive = tmp_path / "workshop.json"
    result = runner.invoke(export_command, [workshop.session_id, "--format", "json",
                                            "--out", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {archive}" in result.output
    assert json.loads(archive.read_text(encoding="utf-8"))["session"]["id"] == workshop.session_id

    refused = runner.invoke(import_command, [str(archive)])
    assert refused.exit_code == 1
    assert f"session {workshop.session_id} exists on this server already" in refused.output
    assert "--new-id" in refused.output

    copied = runner.invoke(import_command, [str(archive), "--new-id"])
    assert copied.exit_code == 0, copied.output
    assert "Imported session" in copied.output and workshop.session_id not in copied.output

    other = tmp_path / "other-server"
    other.mkdir()
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(other))
    restored = runner.invoke(import_command, [str(archive)])
    assert restored.exit_code == 0, restored.output
    assert f"Imported session {workshop.session_id} (join code {workshop.join_code})" in restored.output
    again = tmp_path / "again.json"
    runner.invoke(export_command, [workshop.session_id, "--out", str(again)])
    assert again.read_bytes() == archive.read_bytes()


def test_the_votes_export_as_csv_to_standard_output(store, runner):
    workshop = make_workshop(store)
    result = runner.invoke(export_command, [workshop.session_id, "--format", "csv",
                                            "--what", "votes", "--out", "-"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert len(rows) == workshop.votes and rows[0]["บทบาท"] == "ผู้บริหาร"


def test_an_export_without_out_is_named_after_the_session(store, runner, tmp_path, monkeypatch):
    workshop = make_workshop(store)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(export_command, [workshop.session_id, "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / f"{workshop.session_id}.xlsx")
    assert sheet(book, "Plan")["A1"].value == "ร่างแผนพัฒนาองค์การ"
    result = runner.invoke(export_command, [workshop.session_id, "--format", "csv"])
    with open(tmp_path / f"{workshop.session_id}-plan.csv", encoding="utf-8-sig") as plan:
        assert next(csv.reader(plan))[0] == "ลำดับ"


def test_exporting_a_session_that_does_not_exist_says_so(runner):
    result = runner.invoke(export_command, ["no-such-session"])
    assert result.exit_code == 1
    assert "no session 'no-such-session' on this server" in result.output


def test_importing_a_file_that_is_not_an_archive_says_so_and_imports_nothing(runner, tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("criterion,level\n1.1,2\n", encoding="utf-8")
    result = runner.invoke(import_command, [str(notes)])
    assert result.exit_code == 1
    assert f"{notes}: not a workshop archive: the file is not JSON" in result.output
