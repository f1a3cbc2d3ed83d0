"""The `results_rule` of a framework file: results items (PMQA category 7) suggest a level from
their indicators by a rule the file sets, checked by `frameworks check`."""
from __future__ import annotations

import copy

import pytest
import yaml
from click.testing import CliRunner

from tests.test_framework_checklists import complaints_framework, problems
from workshop import catalog
from workshop.cli_frameworks import frameworks
from workshop.domain.framework import parse_framework


def with_rule(rule: dict, on: str = "category") -> dict:
    data = complaints_framework()
    target = data["categories"][0] if on == "category" else data["categories"][0]["criteria"][1]
    target["results_rule"] = rule
    return data


RULE = {"levels": {1: {"met_share": 0.5}, 2: {"met_share": 1, "improving_share": 0.5}}}


def test_pmqa_measures_every_category_7_item_and_no_other_by_its_rule():
    pmqa = catalog.get_framework("pmqa-4.0")
    results = [c.code for c in pmqa.criteria() if pmqa.results_rule(c.code)]
    assert results == ["7.1", "7.2", "7.3", "7.4", "7.5", "7.6"]
    assert [(l.level, l.met_share, l.improving_share) for l in pmqa.results_rule("7.4").lines()] == \
        [(1, 0.5, 0.0), (2, 0.8, 0.5), (3, 1.0, 0.8)]


def test_a_rule_on_a_category_covers_its_items_and_an_items_own_rule_wins():
    data = with_rule(RULE)
    data["categories"][0]["criteria"][1]["results_rule"] = {"levels": {1: {"met_share": 0.9}}}
    framework = parse_framework(data)
    assert framework.results_rule("C1").levels[2].improving_share == 0.5
    assert framework.results_rule("C2").levels[1].met_share == 0.9
    assert parse_framework(framework.to_dict()) == framework  # the copy a session keeps


def test_a_rule_for_a_level_off_the_scale_or_the_lowest_level_is_refused():
    data = with_rule({"levels": {0: {"met_share": 0.1}, 7: {"met_share": 0.5}}})
    assert problems(data) == [
        "categories[0].results_rule.levels[0]: level 0 is the lowest level: every results item "
        "starts there, so it takes no line",
        "categories[0].results_rule.levels[7]: 7 is not one of the framework's levels (0, 1, 2)",
    ]


def test_a_higher_level_asking_less_and_shares_past_one_are_refused():
    data = with_rule({"levels": {1: {"met_share": 0.8}, 2: {"met_share": 0.5}}}, on="criterion")
    assert problems(data) == [
        "categories[0].criteria[1].results_rule.levels[2].met_share: 0.5 asks less than level 1 "
        "(0.8): a higher level asks at least as much"]
    found = problems(with_rule({"levels": {1: {"met_share": 1.5, "improving": 0.2}}}))
    assert any("met_share" in p and "1" in p for p in found)
    assert any("improving" in p and "not a known key" in p for p in found)
    assert problems(with_rule({"levels": {1: {"met_share": "0.5"}}}))
    assert problems(with_rule({"levels": {}}))


def test_frameworks_check_reports_a_bad_rule_and_accepts_pmqa(tmp_path):
    path = tmp_path / "complaints.yaml"
    path.write_text(yaml.safe_dump(with_rule({"levels": {9: {"met_share": 0.5}}}), allow_unicode=True))
    result = CliRunner().invoke(frameworks, ["check", str(path)])
    assert result.exit_code != 0 and "results_rule.levels[9]" in result.output
    path.write_text(yaml.safe_dump(with_rule(copy.deepcopy(RULE)), allow_unicode=True))
    assert CliRunner().invoke(frameworks, ["check", str(path)]).exit_code == 0
