"""The JSON archive of a workshop of working groups: every group's own session archive, whole,
and the merge (which group's decision stands on each item, and the organizer's settlements).

Each group's archive inside is exactly what that session's own JSON download holds, so it can
be cut out and imported (`python -m workshop import`) as it stands; the file as a whole is a
record of the merged workshop, not something `import` reads (docs/archive.md).
"""
from __future__ import annotations

import json
from typing import Any

from .archive import archive_payload
from .archive_format import checksum

FORMAT = "workshop-groups-archive"
VERSION = 1


def groups_archive(merged: dict[str, Any], groups_export_data: list[dict[str, Any]]) -> bytes:
    """The archive's bytes from the merged export data and each group's own export data."""
    body = {"workshop": {key: merged["session"][key] for key in
                         ("id", "title", "organization", "held_on", "language", "framework_id",
                          "agenda", "created_at")},
            "merge": merged["merge"],
            "groups": [{"name": group["name"], "archive": archive_payload(snap)}
                       for group, snap in zip(merged["groups"], groups_export_data)]}
    payload = {"format": FORMAT, "version": VERSION, **body}
    text = json.dumps({"format": FORMAT, "version": VERSION, "checksum": checksum(payload), **body},
                      ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
