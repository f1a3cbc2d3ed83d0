"""JSON (and YAML) from outside, read within bounds: what a hostile file cannot do to us.

`load_bounded(text)` is `json.loads` that refuses, with `JsonTooLarge` (a ValueError whose
message a person can read) instead of a crash or a traceback:
- lists and objects nested deeper than `MAX_DEPTH` (Python's parser would raise
  RecursionError on 100,000 brackets, and whatever walks the result afterwards too);
- whole numbers of more than `MAX_INT_DIGITS` digits (Python refuses past 4,300 digits with
  a bare ValueError; no field of ours holds more than a few);
- NaN, Infinity, and decimals too large to be finite (JSON has none of them).
A malformed document raises json.JSONDecodeError as usual. The caller bounds the size of
the text before it gets here. `check_bounds(value)` holds data parsed some other way (a YAML
framework file) to the same nesting bound and to `MAX_ITEMS` values in all, which also stops
a YAML "billion laughs" file whose aliases multiply a few lines into billions of values.
"""
from __future__ import annotations

import json
import math
from typing import Any

from ..errors import Refused

MAX_DEPTH = 32
MAX_INT_DIGITS = 18  # fits a 64-bit integer
MAX_ITEMS = 1_000_000  # values in one document; a large workshop's archive holds ~100,000


class JsonTooLarge(Refused):
    """A JSON document beyond what we read; the message says which bound."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonTooLarge(f"a number with more than {MAX_INT_DIGITS} digits ({text[:12]}...)")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonTooLarge(f"a number too large to hold ({text[:24]})")
    return value


def _constant(name: str) -> Any:
    raise JsonTooLarge(f"{name} is not a JSON number")


def check_bounds(value: Any, *, max_depth: int = MAX_DEPTH, max_items: int = MAX_ITEMS) -> None:
    """JsonTooLarge when lists and mappings nest deeper than max_depth or hold too many values."""
    items, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        items += 1
        if items > max_items:
            raise JsonTooLarge(f"more than {max_items:,} values")
        if isinstance(item, (dict, list)):
            if depth + 1 > max_depth:
                raise JsonTooLarge(f"lists or objects nested deeper than {max_depth} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def load_bounded(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value of `text`, or JsonTooLarge / json.JSONDecodeError."""
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise JsonTooLarge(f"lists or objects nested deeper than {max_depth} levels") from None
    check_bounds(value, max_depth=max_depth)
    return value
