"""The framework catalog: framework files on disk, the built-in ones and an organization's own.

Reads YAML (.yaml, .yml) or JSON (.json) files and validates them with
`workshop.domain.framework`. Built-in frameworks live in `workshop/builtin_frameworks/`;
organizations drop their own files in the data folder's `frameworks/` subfolder
(`Config.frameworks_dir`). A broken organization file never hides the others: the listing
shows it as invalid, with its problems. A hostile one (deep nesting, huge numbers, YAML
aliases multiplied into billions of values) is one more invalid file, never a crash
(domain/bounded_json.py).
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .domain.bounded_json import MAX_DEPTH, JsonTooLarge, check_bounds, load_bounded
from .domain.framework import Framework, FrameworkInvalid, Problem, parse_framework
from .errors import NotFound

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin_frameworks"
EXTENSIONS = (".yaml", ".yml", ".json")
BUILTIN, ORGANIZATION = "built-in", "organization"


class UnknownFramework(NotFound):
    """No usable framework has the id asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown framework"


@dataclass(frozen=True)
class FrameworkEntry:
    """One framework file as the catalog sees it: usable (`framework`) or not (`problems`)."""
    id: str
    path: Path
    source: str  # BUILTIN or ORGANIZATION
    framework: Framework | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.framework is not None and not self.problems


class _YamlLoader(yaml.SafeLoader):
    """The safe loader, noting keys written twice in one mapping (safe_load keeps the last)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[Problem] = []

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                line = key_node.start_mark.line + 1
                self.duplicates.append(Problem(f"line {line}", f"key {key!r} is written twice "
                                                               "in the same mapping"))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_YamlLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                            _YamlLoader.construct_mapping)


def read_data(path: Path) -> tuple[object, list[Problem]]:
    """The plain data in a YAML or JSON file, and the keys written twice in it (YAML).

    Raises FrameworkInvalid when the file cannot be read or parsed at all.
    """
    path = Path(path)
    source = str(path)
    if path.suffix.lower() not in EXTENSIONS:
        raise FrameworkInvalid([Problem("(file)", "must end in .yaml, .yml or .json")], source)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise FrameworkInvalid([Problem("(file)", f"cannot be read: {reason}")], source) from None
    if path.suffix.lower() == ".json":
        return _read_json(text, source), []
    return _read_yaml(text, source)


def _beyond_bounds(error: JsonTooLarge, source: str) -> FrameworkInvalid:
    return FrameworkInvalid([Problem("(file)", f"cannot be read: it holds {error}")], source)


def _read_json(text: str, source: str) -> object:
    try:
        return load_bounded(text)
    except JsonTooLarge as error:
        raise _beyond_bounds(error, source) from None
    except json.JSONDecodeError as error:
        problem = Problem(f"line {error.lineno}", f"is not valid JSON: {error.msg} "
                                                  f"(column {error.colno})")
        raise FrameworkInvalid([problem], source) from None


def _read_yaml(text: str, source: str) -> tuple[object, list[Problem]]:
    loader = None
    try:
        loader = _YamlLoader(text)  # reads the text at once: a control character fails here
        data = loader.get_single_data()
    except yaml.reader.ReaderError as error:
        what = f"is not valid YAML: it holds the control character U+{error.character:04X}"
        raise FrameworkInvalid([Problem("(file)", what)], source) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        what = getattr(error, "problem", None) or str(error)
        raise FrameworkInvalid([Problem(where, f"is not valid YAML: {what}")], source) from None
    except RecursionError:
        raise _beyond_bounds(JsonTooLarge(f"lists or mappings nested deeper than {MAX_DEPTH} "
                                          "levels"), source) from None
    except ValueError as error:  # e.g. a whole number of thousands of digits
        raise FrameworkInvalid([Problem("(file)", f"cannot be read: {error}")], source) from None
    finally:
        if loader is not None:
            loader.dispose()
    try:
        check_bounds(data)
    except JsonTooLarge as error:
        raise _beyond_bounds(error, source) from None
    return data, loader.duplicates


def load_file(path: Path | str) -> Framework:
    """The framework in a file; FrameworkInvalid (naming the file) listing every problem."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as error:
        raise FrameworkInvalid([Problem("(file)", f"cannot be read: {error.strerror}")],
                               str(path)) from None
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int) -> Framework:
    data, duplicates = read_data(Path(path))
    try:
        framework = parse_framework(data, source=path)
    except FrameworkInvalid as invalid:
        raise FrameworkInvalid([*duplicates, *invalid.problems], path) from None
    if duplicates:
        raise FrameworkInvalid(duplicates, path)
    return framework


def check_file(path: Path | str) -> list[str]:
    """One line per problem in the file ("file: path: what is wrong"); empty when valid."""
    try:
        load_file(path)
    except FrameworkInvalid as invalid:
        return invalid.lines()
    return []


def framework_files(folder: Path | None) -> list[Path]:
    """The framework files directly in `folder`, by name (none when it does not exist)."""
    if folder is None or not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).iterdir()
                  if p.suffix.lower() in EXTENSIONS and not p.name.startswith(".") and p.is_file())


def _entry(path: Path, source: str) -> FrameworkEntry:
    try:
        framework = load_file(path)
    except FrameworkInvalid as invalid:
        return FrameworkEntry(id=_claimed_id(path), path=path, source=source,
                              problems=invalid.lines())
    return FrameworkEntry(id=framework.id, path=path, source=source, framework=framework)


def _claimed_id(path: Path) -> str:
    """The id an invalid file gives itself, when it can be read; its file name otherwise."""
    try:
        data, _ = read_data(path)
    except FrameworkInvalid:
        data = None
    claimed = data.get("id") if isinstance(data, dict) else None
    return claimed.strip() if isinstance(claimed, str) and claimed.strip() else path.stem


def list_frameworks(extra_dir: Path | None = None) -> list[FrameworkEntry]:
    """Built-in frameworks, then the organization's files in `extra_dir`, valid or not.

    An organization file may not take an id already used by a built-in framework or by an
    earlier file (by name): it is listed as invalid, saying which one it collides with.
    """
    entries = [_entry(path, BUILTIN) for path in framework_files(BUILTIN_DIR)]
    taken = {e.id: e for e in entries if e.valid}
    for path in framework_files(extra_dir):
        entry = _entry(path, ORGANIZATION)
        if entry.valid and entry.id in taken:
            holder = taken[entry.id]
            owner = "a built-in framework" if holder.source == BUILTIN else holder.path.name
            entry = FrameworkEntry(id=entry.id, path=path, source=ORGANIZATION, problems=[
                f"{path}: id: {entry.id!r} is already used by {owner}; choose another id"])
        elif entry.valid:
            taken[entry.id] = entry
        entries.append(entry)
    return entries


def get_framework(framework_id: str, extra_dir: Path | None = None) -> Framework:
    """The usable framework with this id; UnknownFramework (a LookupError) saying why not."""
    entries = list_frameworks(extra_dir)
    for entry in entries:
        if entry.valid and entry.id == framework_id:
            return entry.framework
    broken = [e for e in entries if not e.valid and e.id == framework_id]
    if broken:
        raise UnknownFramework(
            f"framework {framework_id!r} cannot be used: {broken[0].path} has problems "
            f"(run: python -m workshop frameworks check {broken[0].path})")
    known = ", ".join(sorted(e.id for e in entries if e.valid)) or "none"
    raise UnknownFramework(f"no framework {framework_id!r}; available: {known}")
