"""The assessment framework a workshop votes on, and the validation of framework data.

A framework (PMQA 4.0, a digital maturity self-check, an organization's own) is an ordinal
list of levels and categories of criteria, every text in Thai and English. `parse_framework`
turns plain data (from YAML or JSON) into a frozen `Framework`, or raises `FrameworkInvalid`
listing every problem found, each with the path inside the data where it is. Pure: no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Iterator

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, Strict,
                      StrictBool, StrictInt, StrictStr, ValidationError)
from pydantic_core import PydanticCustomError

from ..errors import Refused
from .checklist_rules import criterion_problems
from .results_rule import ResultsRule, rule_problems
from .text import refusal

LANGUAGES = ("th", "en")
SLUG = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
CODE = re.compile(r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")


def _not_blank(value: str) -> str:
    reason = refusal(value, multiline=True)  # the one control-character rule (domain/text.py)
    if reason:
        raise PydanticCustomError("control", reason)
    value = value.strip()
    if not value:
        raise PydanticCustomError("blank", "must not be blank")
    return value


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise PydanticCustomError(
            "slug", "must be a slug: lowercase letters and digits joined by '-', '.' or '_'"
                    " (for example pmqa-4.0)")
    return value


def _code(value: str) -> str:
    if not CODE.match(value.strip()):
        raise PydanticCustomError(
            "code", "must be letters and digits joined by '.', '-' or '_', without spaces"
                    " (for example 1.1)")
    return value.strip()


Line = Annotated[StrictStr, AfterValidator(_not_blank)]
Code = Annotated[StrictStr, AfterValidator(_code)]
Slug = Annotated[StrictStr, AfterValidator(_not_blank), AfterValidator(_slug)]
LevelKey = Annotated[int, Strict(False)]  # JSON object keys are strings: "2" means level 2


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """One text in both languages of the product."""
    th: Line
    en: Line

    def get(self, lang: str) -> str:
        """The text in `lang` ("th", "en", or "th-TH"...); the other language when unknown."""
        base = (lang or "").split("-")[0].split("_")[0].lower()
        return self.th if base == "th" else self.en


class Level(_Model):
    """One step of the ordinal scale the room votes on."""
    value: StrictInt
    label: Text
    descriptor: Text


class ChecklistLine(Text):
    """One practice a room checks before it claims a level; `id` names it for good (a
    checklist answer is kept by criterion code and line id), unique within its criterion."""
    id: Code


Checklist = Annotated[tuple[ChecklistLine, ...], Field(min_length=1)]


class Criterion(_Model):
    """One item the room assesses and votes a level for; `levels` says in its own words what
    a level means for this item, `checklists` what a room checks before it claims that level."""
    code: Code
    title: Text
    guidance: Text
    levels: dict[LevelKey, Text] = Field(default_factory=dict)
    checklists: dict[LevelKey, Checklist] = Field(default_factory=dict)
    results_rule: ResultsRule | None = None  # a results item of its own (else its category's)

    def checklist(self, level_value: int) -> tuple[ChecklistLine, ...]:
        """The lines of `level_value`'s checklist (none when the item has no checklist)."""
        return self.checklists.get(level_value, ())

    def checklist_line(self, line_id: str) -> ChecklistLine:
        for lines in self.checklists.values():
            for line in lines:
                if line.id == line_id:
                    return line
        raise KeyError(f"criterion {self.code} has no checklist line {line_id!r}")


class Category(_Model):
    """A group of criteria (a PMQA หมวด)."""
    code: Code
    title: Text
    description: Text | None = None
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    results_rule: ResultsRule | None = None  # its criteria are results items (docs/frameworks.md)


class Framework(_Model):
    """A whole framework: its levels and its categories of criteria, in order."""
    id: Slug
    version: Line
    title: Text
    description: Text
    levels: tuple[Level, ...] = Field(min_length=2)
    categories: tuple[Category, ...] = Field(min_length=1)
    levels_cumulative: StrictBool = False  # a level counts only when every level below is met

    _criteria: dict[str, Criterion] = PrivateAttr(default_factory=dict)
    _category_of: dict[str, Category] = PrivateAttr(default_factory=dict)
    _levels: dict[int, Level] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        for category in self.categories:
            for criterion in category.criteria:
                self._criteria[criterion.code] = criterion
                self._category_of[criterion.code] = category
        self._levels.update((level.value, level) for level in self.levels)

    def criteria(self) -> list[Criterion]:
        """Every criterion, in the order of the framework."""
        return list(self._criteria.values())

    def criterion(self, code: str) -> Criterion:
        try:
            return self._criteria[code]
        except KeyError:
            raise KeyError(f"framework {self.id} has no criterion {code!r}") from None

    def category_of(self, code: str) -> Category:
        """The category that holds the criterion `code`."""
        self.criterion(code)
        return self._category_of[code]

    def results_rule(self, code: str) -> ResultsRule | None:
        """The rule by which indicators suggest a level for `code`; None: not a results item."""
        return self.criterion(code).results_rule or self.category_of(code).results_rule

    def level_values(self) -> list[int]:
        return list(self._levels)

    def level(self, value: int) -> Level:
        try:
            return self._levels[value]
        except KeyError:
            raise KeyError(f"framework {self.id} has no level {value!r}") from None

    def descriptor(self, criterion_code: str, level_value: int, lang: str) -> str:
        """What `level_value` means for this criterion: its own descriptor, else the level's."""
        level = self.level(level_value)
        own = self.criterion(criterion_code).levels.get(level_value)
        return (own or level.descriptor).get(lang)

    def to_dict(self) -> dict:
        """Plain JSON-able data that `parse_framework` turns back into an equal framework."""
        return self.model_dump(mode="json", exclude_defaults=True)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with framework data, at `path` inside it."""
    path: str
    message: str


class FrameworkInvalid(Refused):
    """Framework data that cannot be used; `.problems` lists every problem found."""

    def __init__(self, problems: list[Problem], source: str = "<data>"):
        self.problems = list(problems)
        self.source = source
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [f"{self.source}: {p.path}: {p.message}" for p in self.problems]


def parse_framework(data: object, source: str = "<data>") -> Framework:
    """Validate plain data as a framework; raise `FrameworkInvalid` naming every problem."""
    found: list[tuple[tuple, str]] = []
    framework = None
    try:
        framework = Framework.model_validate(data)
    except ValidationError as error:
        found.extend((tuple(e["loc"]), _message(e)) for e in error.errors() if not _spurious(e))
    found.extend(_cross_problems(data))
    if found:
        found.sort(key=lambda item: _order(item[0]))
        raise FrameworkInvalid([Problem(format_path(loc), msg) for loc, msg in found], source)
    return framework


# -- paths and messages ----------------------------------------------------------------------

FIELD_ORDER = ("id", "version", "code", "value", "title", "label", "description", "descriptor",
               "guidance", "levels_cumulative", "levels", "checklists", "results_rule", "categories",
               "criteria",
               "th", "en")


def format_path(loc: tuple) -> str:
    """`("categories", 2, "criteria", 0, "title", "th")` -> `categories[2].criteria[0].title.th`"""
    path = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int) or str(part).isdigit():
            path += f"[{part}]"
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(part)):
            path += f".{part}" if path else str(part)
        else:
            path += f"[{str(part)!r}]"
    return path or "(top level)"


def _order(loc: tuple) -> tuple:
    """Sort key putting problems in the order a reader meets them in the file."""
    key = []
    for part in loc:
        if isinstance(part, int):
            key.append((0, part, ""))
        elif part in FIELD_ORDER:
            key.append((1, FIELD_ORDER.index(part), ""))
        else:
            key.append((2, 0, str(part)))
    return tuple(key)


def _spurious(error: dict) -> bool:
    """pydantic counts only the valid items of a list against its minimum length."""
    value, ctx = error.get("input"), error.get("ctx") or {}
    return (error["type"] == "too_short" and isinstance(value, (list, tuple))
            and len(value) >= ctx.get("min_length", 0))


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _message(error: dict) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(tuple(error["loc"])[:-1]))
        return f"is not a known key (allowed here: {allowed})"
    if kind == "invalid_key":
        return f"key {value!r} must be text"
    if kind == "string_type":
        hint = ' (put it in quotes, for example "1.1")' if isinstance(value, (int, float)) else ""
        return f"must be text, not {_kind(value)}{hint}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        what = f"key {value!r}" if error["loc"][-1] == "[key]" else "value"
        return f"{what} must be a whole number, not {_kind(value)}"
    if kind in ("model_type", "model_attributes_type"):
        if ctx.get("class_name") == "Text":
            return f"must have Thai and English text (th: ..., en: ...), not {_kind(value)}"
        return f"must be a mapping of keys to values, not {_kind(value)}"
    if kind == "bool_type":
        return f"must be true or false, not {_kind(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, not {_kind(value)}"
    if kind == "dict_type":
        return f"must be a mapping of keys to values, not {_kind(value)}"
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return f"must have at least {minimum} item(s), has {ctx.get('actual_length', 0)}"
    return str(error.get("msg", kind))


def _allowed_keys(loc: tuple) -> list[str]:
    """The keys the model found at `loc` accepts (for the unknown-key message)."""
    model: Any = Framework
    for part in loc:
        fields = getattr(model, "model_fields", {})
        if isinstance(part, str) and part in fields:
            model = _inner_model(fields[part].annotation)
    return list(getattr(model, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in reversed(getattr(annotation, "__args__", ())):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# -- rules across several fields, checked on the raw data so they add to the type problems ---

def _items(value: object) -> Iterator[tuple[int, dict]]:
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _cross_problems(data: object) -> list[tuple[tuple, str]]:
    if not isinstance(data, dict):
        return []
    levels = data.get("levels")
    found = _level_problems(levels)
    values = [item["value"] for _, item in _items(levels) if _is_int(item.get("value"))]
    found += _code_problems(data.get("categories"))
    found += _criterion_level_problems(data.get("categories"), values,
                                       data.get("levels_cumulative") is True)
    return found


def _level_problems(levels: object) -> list[tuple[tuple, str]]:
    found = []
    previous: tuple[int, int] | None = None
    # Consensus figures count distances in levels, so a rising scale must also have no gap;
    # said only when the order itself is right, to name one cause at a time.
    gap: tuple[tuple, str] | None = None
    labels: dict[tuple[str, str], int] = {}
    for index, level in _items(levels):
        value = level.get("value")
        if _is_int(value):
            if previous is not None and value <= previous[1]:
                found.append((("levels", index, "value"),
                              f"{value} must be greater than the value {previous[1]} of levels"
                              f"[{previous[0]}]: levels go from lowest to highest"))
            elif previous is not None and value != previous[1] + 1 and gap is None:
                gap = (("levels", index, "value"),
                       f"{value} must follow {previous[1]} of levels[{previous[0]}] "
                       f"without a gap (expected {previous[1] + 1})")
            previous = (index, value)
        label = level.get("label")
        for lang in LANGUAGES:
            text = label.get(lang) if isinstance(label, dict) else None
            if not isinstance(text, str) or not text.strip():
                continue
            key = (lang, text.strip().casefold())
            if key in labels:
                found.append((("levels", index, "label", lang),
                              f"{text.strip()!r} is already the label of levels[{labels[key]}]"))
            else:
                labels[key] = index
    order_wrong = any(loc[-1] == "value" for loc, _ in found)
    return found + ([gap] if gap and not order_wrong else [])


def _code_problems(categories: object) -> list[tuple[tuple, str]]:
    found = []
    seen_categories: dict[str, str] = {}
    seen_criteria: dict[str, str] = {}
    for c_index, category in _items(categories):
        _note_code(category.get("code"), ("categories", c_index), seen_categories, found)
        for k_index, criterion in _items(category.get("criteria")):
            loc = ("categories", c_index, "criteria", k_index)
            _note_code(criterion.get("code"), loc, seen_criteria, found)
    return found


def _note_code(code: object, loc: tuple, seen: dict[str, str], found: list) -> None:
    if not isinstance(code, str) or not code.strip():
        return
    code = code.strip()
    if code in seen:
        found.append(((*loc, "code"), f"code {code!r} is already used by {seen[code]}"))
    else:
        seen[code] = format_path(loc)


def _criterion_level_problems(categories: object, values: list[int],
                              cumulative: bool) -> list[tuple[tuple, str]]:
    found = []
    for c_index, category in _items(categories):
        for k_index, criterion in _items(category.get("criteria")):
            loc = ("categories", c_index, "criteria", k_index)
            found += criterion_problems(loc, criterion, values, cumulative)
            found += rule_problems(loc, criterion.get("results_rule"), values)
        found += rule_problems(("categories", c_index), category.get("results_rule"), values)
    return found
