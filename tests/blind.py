"""Blind until the reveal, as tests check it: which figures derived from votes or checklist
answers a payload carries, anywhere inside it."""
from __future__ import annotations

# keys only a figure derived from the answers carries (a None or empty value derives nothing)
DERIVED = {"checklist", "counts", "summary", "verdict", "disputed", "proposed_level", "not_sure"}


def derived_keys(payload) -> set[str]:
    """Every key of DERIVED with a value, anywhere in a payload. A level's "checklist" list is
    the framework's own lines, not an answer."""
    found = set()
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key in DERIVED and value not in (None, [], {}, False, 0) and not (
                    key == "checklist" and isinstance(value, list)):
                found.add(key)
            found |= derived_keys(value)
    elif isinstance(payload, list):
        for value in payload:
            found |= derived_keys(value)
    return found
