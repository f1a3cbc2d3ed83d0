"""A criterion's own level statements and checklists: what a file may say, and how it goes wrong."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from workshop import catalog
from workshop.cli_frameworks import frameworks
from workshop.domain.checklist_rules import reached_level
from workshop.domain.framework import FrameworkInvalid, parse_framework


def text(en: str) -> dict:
    return {"th": f"{en} (ไทย)", "en": en}


def line(line_id: str, en: str) -> dict:
    return {"id": line_id, **text(en)}


def complaints_framework() -> dict:
    """Levels 0-2, cumulative; C1 has its own statements and a checklist for levels 1 and 2."""
    return {
        "id": "complaints", "version": "1", "title": text("Complaints"),
        "description": text("How complaints are handled"), "levels_cumulative": True,
        "levels": [
            {"value": 0, "label": text("Not yet"), "descriptor": text("Nothing in place")},
            {"value": 1, "label": text("Basic"), "descriptor": text("A shared way")},
            {"value": 2, "label": text("Advance"), "descriptor": text("Fast and digital")},
        ],
        "categories": [{"code": "C", "title": text("Complaints"), "criteria": [
            {"code": "C1", "title": text("Handling"), "guidance": text("How fast?"),
             "levels": {1: text("Every complaint is logged"), 2: text("Answered within a day")},
             "checklists": {
                 1: [line("b1", "One desk logs every complaint"), line("b2", "A written standard")],
                 2: [line("a1", "Status online for the complainant")]}},
            {"code": "C2", "title": text("Learning"), "guidance": text("What changes?")},
        ]}],
    }


def problems(data: dict) -> list[str]:
    with pytest.raises(FrameworkInvalid) as caught:
        parse_framework(data, source="complaints.yaml")
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def c1(data: dict) -> dict:
    return data["categories"][0]["criteria"][0]


def test_an_item_states_each_level_in_its_own_words_and_lists_what_the_room_checks():
    framework = parse_framework(complaints_framework())
    item = framework.criterion("C1")
    assert framework.levels_cumulative is True
    assert framework.descriptor("C1", 2, "en") == "Answered within a day"
    assert [ln.id for ln in item.checklist(1)] == ["b1", "b2"]
    assert item.checklist(1)[1].get("th") == "A written standard (ไทย)"
    assert item.checklist(0) == ()
    assert item.checklist_line("a1").en == "Status online for the complainant"
    assert framework.criterion("C2").checklists == {}


def test_the_copy_a_session_keeps_carries_the_statements_checklists_and_cumulative_flag():
    framework = parse_framework(complaints_framework())
    stored = json.loads(json.dumps(framework.to_dict()))
    assert stored["levels_cumulative"] is True
    assert stored["categories"][0]["criteria"][0]["checklists"]["1"][0] == {
        "id": "b1", "th": "One desk logs every complaint (ไทย)", "en": "One desk logs every complaint"}
    assert parse_framework(stored) == framework


def test_a_framework_file_written_before_checklists_existed_is_still_valid():
    data = complaints_framework()
    del data["levels_cumulative"]
    for criterion in data["categories"][0]["criteria"]:
        criterion.pop("checklists", None)
    framework = parse_framework(data)
    assert framework.levels_cumulative is False
    assert "levels_cumulative" not in framework.to_dict()


def test_a_checklist_for_a_level_the_scale_does_not_have_is_refused_with_its_path():
    data = complaints_framework()
    c1(data)["checklists"][5] = [line("x1", "Too high")]
    assert problems(data) == [
        "categories[0].criteria[0].checklists[5]: 5 is not one of the framework's levels (0, 1, 2)"]


def test_a_blank_line_a_line_without_english_and_an_empty_checklist_are_each_reported():
    data = complaints_framework()
    c1(data)["checklists"][1][0]["th"] = "   "
    del c1(data)["checklists"][1][1]["en"]
    c1(data)["checklists"][2] = []
    assert problems(data) == [
        "categories[0].criteria[0].checklists[1][0].th: must not be blank",
        "categories[0].criteria[0].checklists[1][1].en: is required but missing",
        "categories[0].criteria[0].checklists[2]: must have at least 1 item(s), has 0",
    ]


def test_a_line_id_used_twice_in_one_item_is_refused_naming_the_first_place():
    data = complaints_framework()
    c1(data)["checklists"][2][0]["id"] = "b2"
    assert problems(data) == [
        "categories[0].criteria[0].checklists[2][0].id: line id 'b2' is already used by "
        "checklists[1][1] of this criterion"]


def test_a_line_without_an_id_or_with_spaces_in_it_is_refused():
    data = complaints_framework()
    del c1(data)["checklists"][1][0]["id"]
    c1(data)["checklists"][1][1]["id"] = "b 2"
    found = problems(data)
    assert found[0] == "categories[0].criteria[0].checklists[1][0].id: is required but missing"
    assert found[1].startswith("categories[0].criteria[0].checklists[1][1].id: must be letters")


def test_a_typo_in_a_line_is_refused_with_the_keys_a_line_takes():
    data = complaints_framework()
    c1(data)["checklists"][1][0]["text"] = "oops"
    assert problems(data) == [
        "categories[0].criteria[0].checklists[1][0].text: is not a known key (allowed here: th,"
        " en, id)"]


def test_with_cumulative_levels_the_lowest_level_takes_no_checklist_and_none_may_be_skipped():
    data = complaints_framework()
    c1(data)["checklists"][0] = [line("z1", "Nothing")]
    del c1(data)["checklists"][1]
    assert problems(data) == [
        "categories[0].criteria[0].checklists[0]: level 0 is the lowest level: with"
        " levels_cumulative every item starts there, so it takes no checklist",
        "categories[0].criteria[0].checklists[2]: level 2 has a checklist but level(s) 1 below"
        " it have none: with levels_cumulative every level between needs its own",
    ]


def test_without_cumulative_levels_a_checklist_may_stand_on_any_level_alone():
    data = complaints_framework()
    data["levels_cumulative"] = False
    del c1(data)["checklists"][1]
    assert parse_framework(data).criterion("C1").checklist(2)


def test_cumulative_must_be_true_or_false():
    data = complaints_framework()
    data["levels_cumulative"] = "yes"
    assert problems(data) == ["levels_cumulative: must be true or false, not text"]


def test_json_level_keys_as_text_are_accepted_for_checklists():
    data = json.loads(json.dumps(complaints_framework()))
    assert list(parse_framework(data).criterion("C1").checklists) == [1, 2]


@pytest.mark.parametrize("met, level", [
    (set(), 0),                    # nothing met: the item stays below Basic
    ({"b1"}, 0),                   # one Basic line missing
    ({"b1", "b2"}, 1),             # every Basic line
    ({"b1", "a1"}, 0),             # Advance practice without all of Basic counts for nothing
    ({"b1", "b2", "a1"}, 2),
])
def test_a_level_is_reached_only_when_its_lines_and_every_line_below_are_met(met, level):
    item = parse_framework(complaints_framework()).criterion("C1")
    assert reached_level(item.checklists, met, lowest=0) == level


def test_an_unchanged_copy_is_not_spoiled_by_validation():
    data = complaints_framework()
    before = copy.deepcopy(data)
    parse_framework(data)
    assert data == before


EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "pmqa-own-wording.yaml"


@pytest.fixture
def check(data_dir, monkeypatch):
    """Runs `frameworks check FILE...` as an organizer would."""
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    runner = CliRunner()
    return lambda *files: runner.invoke(frameworks, ["check", *map(str, files)])


def test_the_documented_example_of_an_own_wording_file_is_accepted(check):
    result = check(EXAMPLE)
    assert result.exit_code == 0, result.output
    assert result.output == f"{EXAMPLE}: ok (pmqa-4.0-own-wording 2566-example, 2 criteria)\n"
    example = catalog.load_file(EXAMPLE)
    assert example.levels_cumulative and example.criterion("1.2").checklist(3)[0].id == "s1"


def test_check_names_the_file_and_the_place_of_each_checklist_problem(check, tmp_path):
    data = yaml.safe_load(EXAMPLE.read_text("utf-8"))
    item = data["categories"][0]["criteria"][0]
    item["checklists"][1][1]["id"] = "b1"
    item["checklists"][4] = [{"id": "x1", "th": "ไม่มี", "en": "None"}]
    del item["checklists"][2][0]["en"]
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = check(broken)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{broken}: categories[0].criteria[0].checklists[1][1].id: line id 'b1' is already used"
        " by checklists[1][0] of this criterion",
        f"{broken}: categories[0].criteria[0].checklists[2][0].en: is required but missing",
        f"{broken}: categories[0].criteria[0].checklists[4]: 4 is not one of the framework's"
        " levels (0, 1, 2, 3)",
    ]


def test_the_outline_says_which_items_have_their_own_statements_and_how_many_lines(data_dir, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    result = CliRunner().invoke(frameworks, ["show", "pmqa-4.0", "--lang", "en"])
    assert "30 criteria, cumulative levels" in result.output
    assert "1.1  A leadership system for a sustainable organization (own level statements, 9" \
           " checklist lines)" in result.output
    assert "7.1  Mission results (own level statements)\n" in result.output
