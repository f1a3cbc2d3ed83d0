"""Which working group decided what, as the exports print it (a merged workshop only).

Merged export data (services/merge.py) carries `merge.decided_by` and `merge.settlements`; a
session's own export data carries neither, and every function here then gives nothing, so the
exports of a single session are unchanged. The rounds of merged export data each carry their
`group` too: every table that lists rounds, votes or answered lines names it, since two groups
may have held rounds on the same item.
"""
from __future__ import annotations

from typing import Any

from .labels import labels


def is_merged(export_data: dict[str, Any]) -> bool:
    return "merge" in export_data


def group_label(export_data: dict[str, Any], code: str) -> str | None:
    """The group whose decision on `code` stands, and for a settled conflict the groups it was
    chosen over and the organizer's note; None outside a merged workshop or for an open item."""
    merge = export_data.get("merge")
    if not merge or code not in merge["decided_by"]:
        return None
    settled = merge["settlements"].get(code)
    if settled is None:
        return merge["decided_by"][code]
    return labels(export_data["session"]["language"])["group_settled"].format(
        group=settled["group"], others=", ".join(settled["over"]), note=settled["note"])


def group_labels(export_data: dict[str, Any]) -> dict[str, str]:
    """`group_label` of every decided criterion (empty outside a merged workshop)."""
    merge = export_data.get("merge") or {"decided_by": {}}
    return {code: group_label(export_data, code) for code in merge["decided_by"]}


def round_group_header(export_data: dict[str, Any]) -> list[str]:
    """The header of the column naming the group that held a round (or gave a vote, answered
    a line): one column in a merged workshop, none for a session on its own."""
    return [labels(export_data["session"]["language"])["round_group"]] if is_merged(export_data) else []


def round_group(export_data: dict[str, Any], round_: dict[str, Any]) -> list[str | None]:
    """The cell under `round_group_header` for a round of the export data."""
    return [round_.get("group")] if is_merged(export_data) else []
