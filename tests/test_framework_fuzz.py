"""Fuzzing the framework file loader: random YAML and JSON structures, random text, and real
framework files mutated. `frameworks check` and the loader either accept a file (and then a
session made from it works: pages, live snapshots, exports) or list its problems; never a
crash or a traceback. Also the files built to choke a parser: deep nesting, huge numbers,
YAML aliases that multiply.
"""
from __future__ import annotations

import copy
import itertools
import json
import os

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.session_works import assert_session_works
from tests.test_archive_fuzz import JSON, NUMBERS, TEXTS, paths_in, _parent
from tests.organizer_fixtures import logged_in
from workshop import catalog
from workshop.cli_frameworks import frameworks
from workshop.services import sessions as session_service
from workshop.services.sessions import SessionSettings

EXAMPLES = int(os.environ.get("WORKSHOP_FUZZ_EXAMPLES", "40"))  # more for a deeper run
BASE = yaml.safe_load((catalog.BUILTIN_DIR / "digital-maturity-5.yaml").read_text("utf-8"))

NESTED = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=30)


@st.composite
def mutated_framework(draw) -> dict:
    data = copy.deepcopy(BASE)
    data["id"] = "fuzzed"
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["replace", "delete", "extra", "number", "text"]))
        places = [p for p in paths_in(data) if p[0]]
        alike = [p for p in places if isinstance(p[1], {"number": int, "text": str}.get(kind, ()))]
        path, value = draw(st.sampled_from(alike or places))
        if kind == "extra" and isinstance(value, dict):
            value[draw(st.text(min_size=1, max_size=10))] = draw(JSON)
        elif kind == "delete":
            del _parent(data, path)[path[-1]]
        else:
            _parent(data, path)[path[-1]] = draw({"number": NUMBERS, "text": TEXTS}.get(kind, JSON))
    return data


def _dump(data, suffix: str) -> bytes:
    if suffix == ".json":
        return json.dumps(data, ensure_ascii=False).encode()
    return yaml.safe_dump(data, allow_unicode=True).encode()


FILES = st.one_of(
    st.tuples(st.sampled_from([".yaml", ".json"]), mutated_framework()).map(
        lambda t: (t[0], _dump(t[1], t[0]))),
    st.tuples(st.sampled_from([".yaml", ".json"]), NESTED).map(lambda t: (t[0], _dump(t[1], t[0]))),
    st.tuples(st.sampled_from([".yaml", ".yml", ".json"]), st.text(max_size=200).map(str.encode)),
    st.tuples(st.just(".yaml"), st.binary(max_size=100)),
)


def check_command(path) -> tuple[int, str]:
    result = CliRunner().invoke(frameworks, ["check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_a_random_or_mutated_framework_file_is_listed_with_problems_or_works(app, client, store,
                                                                          tmp_path):
    organizer = logged_in(client, store)
    numbers = itertools.count()
    outcomes = {"refused": 0, "accepted": 0}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(file=FILES)
    @example(file=(".yaml", _dump({**BASE, "id": "fuzzed-ok"}, ".yaml")))
    @example(file=(".json", b"{}"))
    def check(file) -> None:
        suffix, content = file
        path = tmp_path / f"framework-{next(numbers)}{suffix}"
        path.write_bytes(content)
        problems = catalog.check_file(path)
        code, output = check_command(path)
        assert "Traceback" not in output
        if problems:
            assert code == 1 and all(line.startswith(f"{path}: ") for line in problems)
            outcomes["refused"] += 1
            return
        assert code == 0 and f"{path}: ok" in output
        framework = catalog.load_file(path)
        with store.session() as db:
            session_id = session_service.create_session(
                db, framework, SessionSettings(title="ทดสอบกรอบการประเมิน")).id
        assert_session_works(app, organizer, session_id, pdf=outcomes["accepted"] == 0)
        outcomes["accepted"] += 1

    check()
    assert outcomes["refused"] and outcomes["accepted"]  # both ways were tried (the @examples)


def _laughs() -> str:
    lines, previous = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'], "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines)


@pytest.mark.parametrize("name, content, problem", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested deeper than 32 levels"),
    ("deep.yaml", "[" * 100_000 + "]" * 100_000, "nested deeper than 32 levels"),
    ("number.json", '{"id": ' + "7" * 5000 + "}", "a number with more than 18 digits"),
    ("number.yaml", "id: " + "7" * 5000, "Exceeds the limit"),
    ("nan.json", '{"id": NaN}', "NaN is not a JSON number"),
    ("laughs.yaml", _laughs(), "more than 1,000,000 values"),
])
def test_a_framework_file_built_to_choke_the_parser_is_one_more_invalid_file(tmp_path, name,
                                                                           content, problem):
    path = tmp_path / name
    path.write_text(content, "utf-8")
    [line] = catalog.check_file(path)
    assert line.startswith(f"{path}: (file): cannot be read") and problem in line
    code, output = check_command(path)
    assert code == 1 and problem in output
