"""The `frameworks` commands as an organizer runs them: list, show and check."""
from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from workshop import catalog
from workshop.cli_frameworks import frameworks


@pytest.fixture
def org_folder(data_dir):
    folder = data_dir / "frameworks"
    folder.mkdir()
    return folder


@pytest.fixture
def cli(data_dir, monkeypatch):
    """Runs `frameworks ...` against the temporary data folder, in English."""
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("WORKSHOP_LANGUAGE", "en")
    runner = CliRunner()
    return lambda *args: runner.invoke(frameworks, list(args))


def digital_with_id(new_id: str) -> dict:
    data = yaml.safe_load((catalog.BUILTIN_DIR / "digital-maturity-5.yaml").read_text("utf-8"))
    data["id"] = new_id
    return data


def test_list_shows_each_built_in_with_its_version_criteria_count_and_source(cli):
    result = cli("list")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.output.splitlines() if line}
    assert rows["pmqa-4.0"][1:4] == ["2.0", "30", "built-in"]
    assert rows["digital-maturity-5"][1:4] == ["1.0", "9", "built-in"]
    assert "Public Sector Management Quality Award 4.0" in result.output


def test_list_shows_an_organization_file_and_flags_a_broken_one_with_its_problems(cli, org_folder):
    (org_folder / "ours.yaml").write_text(yaml.safe_dump(digital_with_id("our-check")), "utf-8")
    (org_folder / "broken.yaml").write_text("id: half-done\nversion: '1'\n", "utf-8")
    result = cli("list")
    assert result.exit_code == 0, result.output
    assert any(line.split()[:4] == ["our-check", "1.0", "9", "organization"]
               for line in result.output.splitlines())
    assert f"INVALID: {org_folder / 'broken.yaml'}" in result.output
    assert f"{org_folder / 'broken.yaml'}: categories: is required but missing" in result.output


def test_show_json_lists_seven_categories_and_thirty_criteria_in_thai_and_english(cli):
    result = cli("show", "pmqa-4.0", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["categories"]) == 7
    criteria = [c for category in data["categories"] for c in category["criteria"]]
    assert len(criteria) == 30
    assert all(c["title"]["th"] and c["title"]["en"] for c in criteria)
    assert "การนำองค์การ" in result.output  # Thai printed as Thai, not \u escapes
    assert catalog.get_framework("pmqa-4.0").to_dict() == data


def test_show_prints_an_outline_in_the_language_asked_for(cli):
    english = cli("show", "pmqa-4.0")
    thai = cli("show", "pmqa-4.0", "--lang", "th")
    assert english.exit_code == thai.exit_code == 0
    assert "7.6  Cost, innovation and process results" in english.output
    assert "3  Significance:" in english.output
    assert "1.1  ระบบการนำองค์การที่สร้างความยั่งยืน" in thai.output


def test_show_an_unknown_framework_fails_naming_the_available_ones(cli):
    result = cli("show", "pmqa-9")
    assert result.exit_code != 0
    assert "no framework 'pmqa-9'" in result.output and "pmqa-4.0" in result.output


def test_check_passes_each_built_in_framework_with_an_ok_line(cli):
    paths = [str(p) for p in sorted(catalog.BUILTIN_DIR.glob("*.yaml"))]
    result = cli("check", *paths)
    assert result.exit_code == 0, result.output
    assert [line.split(": ")[1] for line in result.output.splitlines()] == [
        "ok (digital-maturity-5 1.0, 9 criteria)", "ok (pmqa-4.0 2.0, 30 criteria)"]


def test_check_reports_every_problem_of_a_broken_file_and_fails(cli, tmp_path):
    data = digital_with_id("Bad Id")
    data["levels"][4]["label"] = {"th": "เริ่มต้น"}
    data["categories"][2]["criteria"][0]["code"] = "S1"
    data["categories"][3]["criteria"][1]["levels"] = {7: {"th": "ไม่มี", "en": "None"}}
    data["owner"] = "someone"
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    good = catalog.BUILTIN_DIR / "pmqa-4.0.yaml"
    result = cli("check", str(good), str(broken))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{good}: ok (pmqa-4.0 2.0, 30 criteria)"
    assert [line.split(": ")[1] for line in lines[1:]] == [
        "id", "levels[4].label.th", "levels[4].label.en", "categories[2].criteria[0].code",
        "categories[3].criteria[1].levels[7]", "owner"]
    assert all(line.startswith(f"{broken}: ") for line in lines[1:])
    assert "1 of 2 file(s) invalid" in result.stderr


def test_check_without_files_checks_the_built_ins_and_the_organization_folder(cli, org_folder):
    (org_folder / "ours.json").write_text(json.dumps(digital_with_id("ours")), "utf-8")
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert f"{org_folder / 'ours.json'}: ok (ours 1.0, 9 criteria)" in result.output
    assert result.output.count(": ok (") == 3


def test_check_a_file_that_does_not_exist_fails_with_a_clear_line(cli, tmp_path):
    result = cli("check", str(tmp_path / "absent.yaml"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'absent.yaml'}: (file): cannot be read" in result.output
