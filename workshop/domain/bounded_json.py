"""JSON from outside, read within bounds: what a hostile file cannot do to the parser.

`load_bounded(text)` is `json.loads` that refuses, with `JsonTooLarge` (a ValueError whose
message a person can read) instead of a crash or a traceback:
- lists and objects nested deeper than `MAX_DEPTH` (Python's parser would raise
  RecursionError on 100,000 brackets, and whatever walks the result afterwards too);
- whole numbers of more than `MAX_INT_DIGITS` digits (Python refuses past 4,300 digits with
  a bare ValueError; no field of ours holds more than a few);
- NaN, Infinity, and decimals too large to be finite (JSON has none of them).
A malformed document raises json.JSONDecodeError as usual. The caller bounds the size of
the text before it gets here.
"""
from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32
MAX_INT_DIGITS = 18  # fits a 64-bit integer


class JsonTooLarge(ValueError):
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


def depth_of(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deep lists and objects nest in `value` (0 for a scalar), counting up to limit + 1."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            depth += 1
            deepest = max(deepest, depth)
            if depth > limit:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth) for child in children)
    return deepest


def load_bounded(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON value of `text`, or JsonTooLarge / json.JSONDecodeError."""
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise JsonTooLarge(f"lists or objects nested deeper than {max_depth} levels") from None
    if depth_of(value, max_depth) > max_depth:
        raise JsonTooLarge(f"lists or objects nested deeper than {max_depth} levels")
    return value
