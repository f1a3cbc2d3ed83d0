"""Results items measured by indicators (PMQA category 7): whether an indicator met its target,
its trend over three fiscal years, and the level the results suggest under the framework's
`results_rule` (a setting of the framework file, see docs/frameworks.md; never code).

An indicator has a name, a unit, a direction (`higher` or `lower` is better), a target and a
value for up to three Buddhist-era fiscal years: the current one and the two before. Pure: no
I/O.

Rules (docs/frameworks.md "Results rule" works them by hand):
- met: the current year's value reaches the target in the indicator's direction (at or above
  it when higher is better, at or below it when lower is better); no current value is not met;
- trend over the three years: `improving` when no year is worse than the year before and the
  current year is better than the first; `worsening` when no year is better than the year
  before and the current one is worse than the first; else `mixed`; `unknown` without all three;
- suggested level: each line of the rule asks for a share of the indicators that met their
  target (`met_share`) and, optionally, a share that are improving (`improving_share`); the
  suggestion is the highest level whose line holds, every lower line holding too (levels are
  climbed, not skipped); the lowest level of the scale when no line holds; none without
  indicators.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Sequence

if TYPE_CHECKING:  # framework.py imports this module (results_rule.py)
    from .framework import Framework

DIRECTIONS = ("higher", "lower")
YEARS = 3  # the current fiscal year and the two before


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    direction: str  # "higher" or "lower" is better
    target: float
    values: Mapping[int, float | None] = field(default_factory=dict)  # BE fiscal year -> value


@dataclass(frozen=True)
class RuleLine:
    level: int
    met_share: float
    improving_share: float = 0.0


def years_of(current_year: int) -> tuple[int, ...]:
    """The three fiscal years shown: the two before `current_year`, then it."""
    return tuple(range(current_year - YEARS + 1, current_year + 1))


def _better(indicator: Indicator, a: float, b: float) -> bool:
    """a is better than b in the indicator's direction."""
    return a > b if indicator.direction == "higher" else a < b


def met(indicator: Indicator, year: int) -> bool:
    value = indicator.values.get(year)
    if value is None:
        return False
    return value == indicator.target or _better(indicator, value, indicator.target)


def trend(indicator: Indicator, year: int) -> str:
    series = [indicator.values.get(y) for y in years_of(year)]
    if any(value is None for value in series):
        return "unknown"
    steps = list(zip(series, series[1:]))
    if all(not _better(indicator, a, b) for a, b in steps) and _better(indicator, series[-1], series[0]):
        return "improving"
    if all(not _better(indicator, b, a) for a, b in steps) and _better(indicator, series[0], series[-1]):
        return "worsening"
    return "mixed"


def suggested_level(rule: Sequence[RuleLine], indicators: Sequence[Indicator], year: int,
                    lowest: int) -> int | None:
    """The level the results support (see the module docstring); None without indicators."""
    if not indicators:
        return None
    count = len(indicators)
    met_share = sum(met(i, year) for i in indicators) / count
    improving_share = sum(trend(i, year) == "improving" for i in indicators) / count
    level = lowest
    for line in sorted(rule, key=lambda line: line.level):
        if met_share + 1e-9 < line.met_share or improving_share + 1e-9 < line.improving_share:
            break
        level = line.level
    return level


def as_indicator(row) -> Indicator:
    """A stored row (or its snapshot dict) as the domain's Indicator."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return Indicator(get("name"), get("unit"), get("direction"), get("target"),
                     {int(y): v for y, v in (get("values") or {}).items()})


def results_view(framework: "Framework", criterion: str, rows: list, year: int) -> dict | None:
    """An item's indicators as every screen sees them (not votes: no blind rule applies), or
    None when the item is not a results item."""
    rule = framework.results_rule(criterion)
    if rule is None:
        return None
    indicators = [as_indicator(row) for row in rows]
    years = years_of(year)
    items = [{"id": row.get("id") if isinstance(row, dict) else row.id, "name": i.name, "unit": i.unit,
              "direction": i.direction, "target": i.target,
              "values": [i.values.get(y) for y in years], "met": met(i, year), "trend": trend(i, year)}
             for row, i in zip(rows, indicators)]
    lowest = min(framework.level_values())
    return {"years": list(years), "items": items,
            "suggested_level": suggested_level(rule.lines(), indicators, year, lowest)}
