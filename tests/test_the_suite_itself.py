"""The suite's own rules (issue 10, point 5): its shared fixtures live in tests/conftest.py and
the plugin modules it registers, never copied into a test module nor star-imported; and a run
without browser tests never loads Playwright."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def fixtures_defined_in(path: Path) -> set[str]:
    """Names of the functions a module decorates with `pytest.fixture` (called or not)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    names.add(node.name)
    return names


def shared_fixtures() -> dict[str, str]:
    """Every fixture of conftest.py and its plugins, with the module that defines it."""
    from tests import conftest
    modules = [TESTS / "conftest.py"] + [ROOT / (name.replace(".", "/") + ".py")
                                         for name in conftest.pytest_plugins]
    return {name: module.name for module in modules for name in fixtures_defined_in(module)}


# The fixtures test modules used to copy or import from each other. (Some modules still define
# a fixture of their own under a shared name, e.g. `room` or `workshop`, meaning something else.)
@pytest.mark.parametrize("fixture", ["organizer", "lan", "account", "live_app", "screens",
                                     "fresh_store", "small_disk", "module_store"])
def test_the_fixtures_shared_across_modules_are_defined_in_one_place(fixture):
    shared = shared_fixtures()
    assert fixture in shared
    copies = [path.name for path in sorted(TESTS.glob("test_*.py")) if fixture in fixtures_defined_in(path)]
    assert copies == [], f"{fixture} is defined in {shared[fixture]}; these modules copy it"


def test_no_test_module_star_imports_or_imports_fixtures():
    shared = shared_fixtures()
    found = []
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests"):
                found += [(path.name, alias.name) for alias in node.names
                          if alias.name == "*" or alias.name in shared]
    assert found == []


def test_loading_the_fixtures_does_not_load_playwright():
    script = ("import importlib, sys\nimport tests.conftest as c\n"
              "for name in c.pytest_plugins: importlib.import_module(name)\n"
              "print(sorted(m for m in sys.modules if m.startswith('playwright')))")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
