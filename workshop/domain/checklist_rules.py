"""The rules a criterion's own level statements and checklists must follow, across fields.

Framework files may give each criterion a statement per level (`levels`) and a checklist per
level (`checklists`): the practices a room checks before it claims that level. The types are
checked by the pydantic models in framework.py; the rules here need several fields at once
(the framework's level values, every line of a criterion) and run on the raw data, so a file
with type problems still gets every rule problem reported too. Pure: no I/O.
"""
from __future__ import annotations

from typing import Iterator

Found = list[tuple[tuple, str]]


def criterion_problems(loc: tuple, criterion: dict, values: list[int],
                       cumulative: bool) -> Found:
    """Problems of one criterion's `levels` and `checklists` (raw data at `loc`)."""
    found: Found = []
    known = ", ".join(str(v) for v in dict.fromkeys(values))
    for field in ("levels", "checklists"):
        own = criterion.get(field)
        if not isinstance(own, dict):
            continue
        for key, value in _level_keys(own):
            if value not in values:
                found.append(((*loc, field, key),
                              f"{value} is not one of the framework's levels ({known})"))
    checklists = criterion.get("checklists")
    if isinstance(checklists, dict):
        found += _duplicate_ids(loc, checklists)
        if cumulative and values:
            found += _cumulative_gaps(loc, checklists, values)
    return found


def _level_keys(own: dict) -> Iterator[tuple[object, int]]:
    for key in own:
        try:
            yield key, int(str(key).strip())
        except ValueError:
            continue  # not a number: the type check reports it


def _duplicate_ids(loc: tuple, checklists: dict) -> Found:
    found: Found = []
    seen: dict[str, str] = {}
    for key, lines in checklists.items():
        if not isinstance(lines, (list, tuple)):
            continue
        for index, line in enumerate(lines):
            line_id = line.get("id") if isinstance(line, dict) else None
            if not isinstance(line_id, str) or not line_id.strip():
                continue
            here = f"checklists[{key}][{index}]"
            if line_id.strip() in seen:
                found.append(((*loc, "checklists", key, index, "id"),
                              f"line id {line_id.strip()!r} is already used by "
                              f"{seen[line_id.strip()]} of this criterion"))
            else:
                seen[line_id.strip()] = here
    return found


def _cumulative_gaps(loc: tuple, checklists: dict, values: list[int]) -> Found:
    """With cumulative levels, the lowest level is where an item stands when nothing is met
    (it has no checklist), and a checklist above it needs one on every level in between."""
    lowest = min(values)
    given = {value: key for key, value in _level_keys(checklists)}
    found: Found = []
    if lowest in given:
        found.append(((*loc, "checklists", given[lowest]),
                      f"level {lowest} is the lowest level: with levels_cumulative every item "
                      f"starts there, so it takes no checklist"))
    above = sorted(v for v in given if v in values and v > lowest)
    for value in above:
        missing = [v for v in sorted(values) if lowest < v < value and v not in given]
        if missing:
            found.append(((*loc, "checklists", given[value]),
                          f"level {value} has a checklist but level(s) "
                          f"{', '.join(map(str, missing))} below it have none: with "
                          f"levels_cumulative every level between needs its own"))
    return found


def reached_level(checklists: dict[int, tuple], met: set[str], lowest: int) -> int:
    """The cumulative rule: the highest level whose lines, and every line of every level
    below it, are all met; `lowest` when not even the first level's lines are."""
    reached = lowest
    for value in sorted(checklists):
        if value <= lowest:
            continue
        if not all(line.id in met for line in checklists[value]):
            break
        reached = value
    return reached
