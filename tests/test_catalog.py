"""The framework catalog: built-in frameworks, an organization's own files, and broken files."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from workshop import catalog
from workshop.domain.framework import FrameworkInvalid

DOC = Path(__file__).resolve().parent.parent / "docs" / "frameworks.md"
BUILTINS = sorted(catalog.BUILTIN_DIR.glob("*.yaml"))


def builtin_data(name: str) -> dict:
    return yaml.safe_load((catalog.BUILTIN_DIR / name).read_text(encoding="utf-8"))


def write_org_file(folder: Path, name: str, data: dict | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def renamed_digital_framework(new_id: str) -> dict:
    data = builtin_data("digital-maturity-5.yaml")
    data["id"] = new_id
    return data


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.name)
def test_each_built_in_framework_is_valid(path):
    assert catalog.check_file(path) == []
    assert catalog.load_file(path).id == path.stem


def test_two_frameworks_are_built_in_so_nothing_is_pmqa_specific():
    assert {p.stem for p in BUILTINS} == {"pmqa-4.0", "digital-maturity-5"}
    digital = catalog.get_framework("digital-maturity-5")
    assert digital.level_values() == [1, 2, 3, 4, 5]
    assert 8 <= len(digital.criteria()) <= 10


def test_pmqa_has_seven_categories_and_the_thirty_items_with_thai_and_english_titles():
    pmqa = catalog.get_framework("pmqa-4.0")
    assert [c.code for c in pmqa.categories] == ["1", "2", "3", "4", "5", "6", "7"]
    expected = [f"{c}.{i}" for c in range(1, 7) for i in range(1, 5)]
    expected += [f"7.{i}" for i in range(1, 7)]
    assert [c.code for c in pmqa.criteria()] == expected
    for criterion in pmqa.criteria():
        assert re.search("[\u0e00-\u0e7f]", criterion.title.th), criterion.code
        assert re.search("[A-Za-z]", criterion.title.en), criterion.code


def test_pmqa_levels_run_from_not_yet_basic_to_significance():
    pmqa = catalog.get_framework("pmqa-4.0")
    assert pmqa.level_values() == [0, 1, 2, 3]
    assert [level.label.en for level in pmqa.levels] == [
        "Not yet Basic", "Basic", "Advance", "Significance"]
    assert [level.label.th for level in pmqa.levels] == [
        "ยังไม่ถึงระดับพื้นฐาน", "พื้นฐาน", "ก้าวหน้า", "พัฒนาจนเกิดผลสัมฤทธิ์อย่างมีนัยสำคัญ"]


def test_pmqa_results_items_describe_every_level_as_results_over_three_years():
    pmqa = catalog.get_framework("pmqa-4.0")
    for criterion in pmqa.category_of("7.1").criteria:
        assert sorted(criterion.levels) == [0, 1, 2, 3], criterion.code
        assert "three years" in criterion.levels[1].en or "two previous" in criterion.levels[1].en
        assert pmqa.descriptor(criterion.code, 2, "en") != pmqa.level(2).descriptor.en
    assert all(not c.checklists for c in pmqa.category_of("7.1").criteria)


THAI = re.compile("[\u0e00-\u0e7f]")


def test_every_pmqa_process_item_states_basic_advance_and_significance_in_its_own_words():
    pmqa = catalog.get_framework("pmqa-4.0")
    process = [c for c in pmqa.criteria() if not c.code.startswith("7.")]
    assert len(process) == 24 and pmqa.levels_cumulative
    statements = set()
    for item in process:
        assert sorted(item.levels) == [1, 2, 3], item.code  # level 0 is the scale's "not yet Basic"
        for value, own in item.levels.items():
            assert THAI.search(own.th) and re.search("[A-Za-z]", own.en), (item.code, value)
            assert own.en != pmqa.level(value).descriptor.en, (item.code, value)
            statements.add(own.th)
    assert len(statements) == 72  # no two items share a statement


def test_every_pmqa_process_item_has_a_short_checklist_per_level_with_stable_line_ids():
    pmqa = catalog.get_framework("pmqa-4.0")
    prefix = {1: "b", 2: "a", 3: "s"}
    for item in pmqa.criteria():
        if item.code.startswith("7."):
            continue
        assert sorted(item.checklists) == [1, 2, 3], item.code
        for value, lines in item.checklists.items():
            assert 2 <= len(lines) <= 4, (item.code, value)
            assert [line.id for line in lines] == [
                f"{prefix[value]}{n}" for n in range(1, len(lines) + 1)], (item.code, value)
            for line in lines:
                assert THAI.search(line.th) and re.search("[A-Za-z]", line.en), (item.code, line.id)


def test_the_complete_example_in_the_documentation_is_a_valid_framework(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/frameworks.md has no yaml example"
    path = write_org_file(tmp_path, "example.yaml", blocks[-1])
    framework = catalog.load_file(path)
    assert len(framework.criteria()) >= 3
    assert any(criterion.levels for criterion in framework.criteria())


def test_a_json_file_loads_like_a_yaml_file(tmp_path):
    path = write_org_file(tmp_path, "digital.json", renamed_digital_framework("digital-json"))
    assert catalog.load_file(path).criteria() == catalog.get_framework(
        "digital-maturity-5").criteria()


def test_a_broken_file_reports_every_problem_each_line_naming_the_file_and_the_place(tmp_path):
    data = renamed_digital_framework("org-digital")
    data["version"] = 2
    data["levels"][3]["value"] = 2
    del data["categories"][0]["criteria"][1]["title"]["en"]
    data["categories"][1]["criteria"][2]["code"] = "D1"
    data["categories"][2]["notes"] = "typo"
    data["categories"][3]["criteria"] = []
    path = write_org_file(tmp_path, "broken.yaml", data)
    lines = catalog.check_file(path)
    places = [line.split(": ")[1] for line in lines]
    assert places == ["version", "levels[3].value", "categories[0].criteria[1].title.en",
                      "categories[1].criteria[2].code", "categories[2].notes",
                      "categories[3].criteria"]
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_a_key_written_twice_in_yaml_is_reported_with_its_line(tmp_path):
    source = (catalog.BUILTIN_DIR / "digital-maturity-5.yaml").read_text(encoding="utf-8")
    source = source.replace("id: digital-maturity-5\n", "id: a\nid: twice\n", 1)
    path = write_org_file(tmp_path, "twice.yaml", source)
    [line] = catalog.check_file(path)
    assert re.fullmatch(rf"{re.escape(str(path))}: line \d+: key 'id' is written twice .*", line)


def test_a_file_that_is_not_yaml_at_all_is_reported_with_its_line(tmp_path):
    path = write_org_file(tmp_path, "bad.yaml", "id: x\ntitle: [unclosed\nversion: 1\n")
    [line] = catalog.check_file(path)
    assert line.startswith(f"{path}: line ") and "not valid YAML" in line


def test_a_missing_file_and_an_unknown_extension_are_problems_not_crashes(tmp_path):
    with pytest.raises(FrameworkInvalid, match="cannot be read"):
        catalog.load_file(tmp_path / "absent.yaml")
    text_file = write_org_file(tmp_path, "notes.txt", "id: x")
    assert "must end in .yaml" in catalog.check_file(text_file)[0]


def test_an_organization_file_appears_in_the_list_after_the_built_ins(tmp_path):
    folder = tmp_path / "frameworks"
    write_org_file(folder, "ours.yaml", renamed_digital_framework("our-digital-check"))
    entries = catalog.list_frameworks(folder)
    assert [(e.id, e.source, e.valid) for e in entries] == [
        ("digital-maturity-5", "built-in", True), ("pmqa-4.0", "built-in", True),
        ("our-digital-check", "organization", True)]
    assert catalog.get_framework("our-digital-check", folder).id == "our-digital-check"


def test_a_broken_organization_file_is_listed_as_invalid_and_the_others_still_load(tmp_path):
    folder = tmp_path / "frameworks"
    write_org_file(folder, "a-broken.yaml", {"id": "half-done", "version": "1"})
    write_org_file(folder, "b-garbled.json", "{ not json")
    write_org_file(folder, "c-good.json", renamed_digital_framework("good-one"))
    entries = {e.path.name: e for e in catalog.list_frameworks(folder)}
    assert not entries["a-broken.yaml"].valid and entries["a-broken.yaml"].id == "half-done"
    assert any("title: is required" in line for line in entries["a-broken.yaml"].problems)
    assert "not valid JSON" in entries["b-garbled.json"].problems[0]
    assert entries["c-good.json"].valid
    with pytest.raises(LookupError, match="half-done.*has problems"):
        catalog.get_framework("half-done", folder)


def test_an_organization_file_may_not_take_the_id_of_a_built_in(tmp_path):
    folder = tmp_path / "frameworks"
    write_org_file(folder, "copy.yaml", renamed_digital_framework("pmqa-4.0"))
    [entry] = [e for e in catalog.list_frameworks(folder) if e.source == "organization"]
    assert not entry.valid and "already used by a built-in" in entry.problems[0]
    assert len(catalog.get_framework("pmqa-4.0", folder).criteria()) == 30


def test_a_missing_organization_folder_lists_just_the_built_ins(tmp_path):
    assert [e.id for e in catalog.list_frameworks(tmp_path / "nowhere")] == [
        "digital-maturity-5", "pmqa-4.0"]


def test_an_unknown_framework_id_is_a_lookup_error_naming_the_ones_available():
    with pytest.raises(LookupError, match="no framework 'pmqa-3'.*pmqa-4.0"):
        catalog.get_framework("pmqa-3")


def test_an_edited_file_is_read_again(tmp_path):
    path = write_org_file(tmp_path, "ours.yaml", renamed_digital_framework("first-name"))
    assert catalog.load_file(path).id == "first-name"
    write_org_file(tmp_path, "ours.yaml", renamed_digital_framework("second-name-longer"))
    assert catalog.load_file(path).id == "second-name-longer"
