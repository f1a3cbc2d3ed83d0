"""The package's layers stay kept (issue 10, point 3), read from the import graph of workshop/.

    web/ live/ cli*.py        ->  services/  ->  store/
                                     |    \\->  exports/ (formats: export data in, bytes out)
                                     v
                                  domain/ (pure rules)

The edges (web/, live/) talk to services/ and may hand export data to exports/ to be laid
out; only services/ reach store/; exports/ read the export data the services build and never
the database; domain/ imports nothing of the app but the one error hierarchy (errors.py).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "workshop"
LAYERS = ("domain", "store", "services", "exports", "live", "web", "cli")
# What each layer must never import (layers of the package, or its top-level modules).
FORBIDDEN = {
    "domain": {"store", "services", "exports", "live", "web", "extensions", "config", "i18n", "app", "cli"},
    "store": {"services", "exports", "live", "web"},
    "services": {"exports.worker", "live", "web"},
    "exports": {"store", "services", "live", "web"},
    "live": {"store", "web", "exports"},
    "web": {"store", "live"},
    "cli": {"store", "live", "web"},
}


def module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported(path: Path) -> set[str]:
    """Every `workshop.…` module or name that `path` imports, relative imports resolved."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("workshop.")}


def files_of(layer: str) -> list[Path]:
    """A layer's modules: its folder, or for the command line the top-level cli*.py."""
    if layer == "cli":
        return sorted(PACKAGE.glob("cli*.py"))
    return sorted((PACKAGE / layer).rglob("*.py"))


def crossings(layer: str) -> list[str]:
    wrong = []
    for path in files_of(layer):
        if "migrations" in path.parts:
            continue
        for name in sorted(imported(path)):
            inside = name.split(".", 1)[1]
            if any(inside == f or inside.startswith(f + ".") for f in FORBIDDEN[layer]):
                wrong.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return wrong


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_what_lies_beneath_it(layer):
    assert crossings(layer) == []


def test_the_layer_check_sees_relative_and_absolute_imports(tmp_path, monkeypatch):
    """The check itself can fail: a live module reaching into the store is caught."""
    fake = tmp_path / "workshop"
    (fake / "live").mkdir(parents=True)
    (fake / "live" / "bad.py").write_text(
        "from ..store.models import Vote\nimport workshop.web.links\nfrom ..services import views\n")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert crossings("live") == ["workshop/live/bad.py imports workshop.store.models",
                                 "workshop/live/bad.py imports workshop.store.models.Vote",
                                 "workshop/live/bad.py imports workshop.web.links"]


def test_the_layer_check_sees_a_command_opening_the_store_itself(tmp_path, monkeypatch):
    fake = tmp_path / "workshop"
    fake.mkdir()
    (fake / "cli_bad.py").write_text("from .store.db import Store\nfrom .services import units\n")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert crossings("cli") == ["workshop/cli_bad.py imports workshop.store.db",
                                "workshop/cli_bad.py imports workshop.store.db.Store"]
