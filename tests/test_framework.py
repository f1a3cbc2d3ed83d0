"""The framework model and its validation: what a framework must say, and how it goes wrong."""
from __future__ import annotations

import copy
import json

import pytest

from workshop.domain.framework import Framework, FrameworkInvalid, Problem, Text, parse_framework


def text(en: str) -> dict:
    return {"th": f"{en} (ไทย)", "en": en}


def small_framework() -> dict:
    """Three levels, two categories, three criteria; F1 describes level 2 its own way."""
    return {
        "id": "team-check",
        "version": "1",
        "title": text("Team check"),
        "description": text("How the team works"),
        "levels": [
            {"value": 0, "label": text("Not yet"), "descriptor": text("Nothing in place")},
            {"value": 1, "label": text("Basic"), "descriptor": text("A shared way")},
            {"value": 2, "label": text("Strong"), "descriptor": text("Measured and improved")},
        ],
        "categories": [
            {"code": "P", "title": text("Planning"), "criteria": [
                {"code": "P1", "title": text("Goals"), "guidance": text("Are goals clear?")},
                {"code": "P2", "title": text("Roles"), "guidance": text("Who does what?")},
            ]},
            {"code": "F", "title": text("Follow-up"), "description": text("After the work"),
             "criteria": [
                {"code": "F1", "title": text("Results"), "guidance": text("What came out?"),
                 "levels": {2: text("Results beat the target three years running")}},
             ]},
        ],
    }


def problems_of(data: object) -> list[Problem]:
    with pytest.raises(FrameworkInvalid) as caught:
        parse_framework(data, source="team.yaml")
    return caught.value.problems


def paths_of(data: object) -> list[str]:
    return [problem.path for problem in problems_of(data)]


def test_a_well_formed_framework_gives_its_criteria_in_order_with_their_categories():
    framework = parse_framework(small_framework())
    assert [c.code for c in framework.criteria()] == ["P1", "P2", "F1"]
    assert framework.criterion("P2").title.en == "Roles"
    assert framework.category_of("F1").code == "F"
    assert framework.level_values() == [0, 1, 2]


def test_asking_for_a_criterion_the_framework_does_not_have_is_a_key_error():
    framework = parse_framework(small_framework())
    with pytest.raises(KeyError, match="Z9"):
        framework.criterion("Z9")
    with pytest.raises(KeyError):
        framework.category_of("Z9")


def test_a_criterion_describes_a_level_in_its_own_words_and_falls_back_to_the_level():
    framework = parse_framework(small_framework())
    assert framework.descriptor("F1", 2, "en") == "Results beat the target three years running"
    assert framework.descriptor("F1", 1, "th") == "A shared way (ไทย)"
    assert framework.descriptor("P1", 2, "en") == "Measured and improved"


def test_a_text_in_an_unknown_language_falls_back_to_english_and_regional_thai_is_thai():
    greeting = Text(th="สวัสดี", en="Hello")
    assert greeting.get("th") == "สวัสดี"
    assert greeting.get("th-TH") == "สวัสดี"
    assert greeting.get("en") == "Hello"
    assert greeting.get("fr") == "Hello"


def test_the_frozen_copy_a_session_stores_as_json_reads_back_as_the_same_framework():
    framework = parse_framework(small_framework())
    stored = json.loads(json.dumps(framework.to_dict(), ensure_ascii=False))
    again = parse_framework(stored)
    assert again == framework
    assert again.to_dict() == framework.to_dict() == stored
    assert again.descriptor("F1", 2, "en") == framework.descriptor("F1", 2, "en")


def test_a_framework_cannot_be_changed_after_it_is_parsed():
    framework = parse_framework(small_framework())
    with pytest.raises(Exception):
        framework.id = "other"  # type: ignore[misc]
    assert isinstance(framework, Framework) and framework.id == "team-check"


def test_a_framework_with_two_criteria_of_the_same_code_is_refused_with_both_places_named():
    data = small_framework()
    data["categories"][1]["criteria"][0]["code"] = "P1"
    [problem] = problems_of(data)
    assert problem.path == "categories[1].criteria[0].code"
    assert "'P1'" in problem.message and "categories[0].criteria[0]" in problem.message


def test_two_categories_with_the_same_code_are_refused():
    data = small_framework()
    data["categories"][1]["code"] = "P"
    [problem] = problems_of(data)
    assert problem.path == "categories[1].code" and "categories[0]" in problem.message


def test_levels_out_of_order_are_refused_because_the_scale_must_rise():
    data = small_framework()
    data["levels"][1]["value"] = 2
    [problem] = problems_of(data)
    assert problem.path == "levels[2].value"
    assert problem.message.startswith("2 must be greater than the value 2 of levels[1]")


def test_two_levels_with_the_same_label_are_refused_in_the_language_that_repeats():
    data = small_framework()
    data["levels"][2]["label"] = {"th": "ใหม่", "en": "Basic"}
    assert paths_of(data) == ["levels[2].label.en"]


def test_a_title_without_thai_and_a_blank_english_guidance_are_both_reported():
    data = small_framework()
    del data["categories"][0]["criteria"][1]["title"]["th"]
    data["categories"][1]["criteria"][0]["guidance"]["en"] = "   "
    problems = problems_of(data)
    assert [p.path for p in problems] == ["categories[0].criteria[1].title.th",
                                         "categories[1].criteria[0].guidance.en"]
    assert "missing" in problems[0].message and "blank" in problems[1].message


def test_a_control_character_in_any_text_is_refused_by_name_so_no_export_breaks_on_it():
    # found by the fuzzer: a version "\x1b" passed, then every XLSX export of the session failed
    data = small_framework()
    data["version"] = "\x1b"
    data["levels"][0]["descriptor"]["th"] = "ยังไม่มี\x07"
    data["categories"][0]["criteria"][0]["guidance"]["en"] = "Are goals\nclear?"  # a line break is text
    problems = problems_of(data)
    assert [p.path for p in problems] == ["version", "levels[0].descriptor.th"]
    assert "U+001B" in problems[0].message and "U+0007" in problems[1].message


def test_an_unknown_key_is_refused_and_the_allowed_keys_are_suggested():
    data = small_framework()
    data["categories"][0]["criteria"][0]["titel"] = text("Typo")
    [problem] = problems_of(data)
    assert problem.path == "categories[0].criteria[0].titel"
    assert "code, title, guidance, levels" in problem.message


def test_a_category_without_criteria_and_a_framework_without_categories_are_refused():
    data = small_framework()
    data["categories"][0]["criteria"] = []
    assert paths_of(data) == ["categories[0].criteria"]
    data["categories"] = []
    assert paths_of(data) == ["categories"]


def test_a_criterion_level_that_is_not_on_the_scale_is_refused():
    data = small_framework()
    data["categories"][1]["criteria"][0]["levels"] = {5: text("Beyond"), "x": text("Odd")}
    problems = problems_of(data)
    assert [p.path for p in problems] == ["categories[1].criteria[0].levels[5]",
                                         "categories[1].criteria[0].levels.x"]
    assert "0, 1, 2" in problems[0].message and "whole number" in problems[1].message


def test_a_code_written_as_a_number_is_refused_with_a_hint_to_quote_it():
    data = small_framework()
    data["categories"][0]["criteria"][0]["code"] = 1.1
    [problem] = problems_of(data)
    assert "number 1.1" in problem.message and "quotes" in problem.message


def test_wrong_types_are_named_with_what_was_found():
    data = small_framework()
    data["levels"][0]["value"] = True
    data["title"] = "Team check"
    data["categories"][0]["criteria"] = "P1, P2"
    messages = {p.path: p.message for p in problems_of(data)}
    assert "not true/false" in messages["levels[0].value"]
    assert "Thai and English" in messages["title"]
    assert "must be a list" in messages["categories[0].criteria"]


def test_data_that_is_not_a_mapping_is_refused_at_the_top_level():
    [problem] = problems_of(["not", "a", "framework"])
    assert problem.path == "(top level)" and "mapping" in problem.message


def test_a_badly_broken_framework_reports_every_problem_in_reading_order_one_line_each():
    data = copy.deepcopy(small_framework())
    data["id"] = "Team Check"
    data["colour"] = "blue"
    data["levels"][1]["value"] = 0
    del data["levels"][2]["descriptor"]["th"]
    data["categories"][0]["criteria"][1]["code"] = "P1"
    data["categories"][1]["criteria"][0]["levels"] = {9: text("Too high")}
    with pytest.raises(FrameworkInvalid) as caught:
        parse_framework(data, source="team.yaml")
    assert str(caught.value).splitlines() == [
        "team.yaml: id: must be a slug: lowercase letters and digits joined by '-', '.' or '_'"
        " (for example pmqa-4.0)",
        "team.yaml: levels[1].value: 0 must be greater than the value 0 of levels[0]: levels go"
        " from lowest to highest",
        "team.yaml: levels[2].descriptor.th: is required but missing",
        "team.yaml: categories[0].criteria[1].code: code 'P1' is already used by"
        " categories[0].criteria[0]",
        "team.yaml: categories[1].criteria[0].levels[9]: 9 is not one of the framework's levels"
        " (0, 2)",
        "team.yaml: colour: is not a known key (allowed here: id, version, title, description,"
        " levels, categories, levels_cumulative)",
    ]


def test_a_scale_with_a_gap_between_levels_is_refused_because_consensus_counts_levels():
    data = {
        "id": "gappy", "version": "1",
        "title": {"th": "ทดสอบ", "en": "Test"}, "description": {"th": "ทดสอบ", "en": "Test"},
        "levels": [
            {"value": 0, "label": {"th": "ศูนย์", "en": "Zero"}, "descriptor": {"th": "ก", "en": "a"}},
            {"value": 2, "label": {"th": "สอง", "en": "Two"}, "descriptor": {"th": "ข", "en": "b"}},
        ],
        "categories": [{"code": "1", "title": {"th": "หมวด", "en": "Category"}, "criteria": [
            {"code": "1.1", "title": {"th": "ข้อ", "en": "Item"}, "guidance": {"th": "ก", "en": "g"}}]}],
    }
    with pytest.raises(FrameworkInvalid) as refused:
        parse_framework(data, source="gappy.yaml")
    assert "gappy.yaml: levels[1].value: 2 must follow 0 of levels[0] without a gap" in str(refused.value)
