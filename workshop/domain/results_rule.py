"""The `results_rule` of a framework file: how indicators suggest a level for results items
(PMQA category 7). Set on a category (for its criteria) or on one criterion (its own); a
criterion with a rule is a results item, measured by indicators (domain/indicators.py applies
the rule). The types are pydantic models; the rules across fields run on the raw data like
checklist_rules.py, so every problem of a file is reported at once. Pure: no I/O.

    results_rule:
      levels:            # a level of the scale -> what the indicators must show for it
        1: {met_share: 0.5}
        2: {met_share: 0.8, improving_share: 0.5}
        3: {met_share: 1.0, improving_share: 0.8}
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

from .indicators import RuleLine

Share = Annotated[float, Strict(), Field(ge=0, le=1)]
LevelKey = Annotated[int, Strict(False)]
Found = list[tuple[tuple, str]]


class ResultsRuleLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    met_share: Share  # share of the indicators that met their target in the current year
    improving_share: Share = 0.0  # share of them improving over the three years


class ResultsRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    levels: dict[LevelKey, ResultsRuleLine] = Field(min_length=1)

    def lines(self) -> list[RuleLine]:
        return [RuleLine(level, line.met_share, line.improving_share)
                for level, line in sorted(self.levels.items())]


def rule_problems(loc: tuple, rule: object, values: list[int]) -> Found:
    """Levels a rule names must be on the scale, above its lowest level, and a higher level
    may not ask for less than a lower one."""
    if not isinstance(rule, dict) or not isinstance(rule.get("levels"), dict):
        return []
    found: Found = []
    known = ", ".join(str(v) for v in values)
    lowest = min(values) if values else None
    previous: tuple[int, dict] | None = None
    for key, line in sorted(_numbered(rule["levels"]), key=lambda item: item[0]):
        where = (*loc, "results_rule", "levels", key)
        if key not in values:
            found.append((where, f"{key} is not one of the framework's levels ({known})"))
        elif key == lowest:
            found.append((where, f"level {key} is the lowest level: every results item starts "
                                 f"there, so it takes no line"))
        if previous is not None and isinstance(line, dict):
            for name in ("met_share", "improving_share"):
                low, high = _share(previous[1], name), _share(line, name)
                if low is not None and high is not None and high < low:
                    found.append(((*where, name), f"{high} asks less than level {previous[0]} "
                                                  f"({low}): a higher level asks at least as much"))
        previous = (key, line) if isinstance(line, dict) else previous
    return found


def _numbered(levels: dict):
    for key, line in levels.items():
        try:
            yield int(str(key).strip()), line
        except ValueError:
            continue  # not a number: the type check reports it


def _share(line: dict, name: str) -> float | None:
    value = line.get(name, 0.0)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
