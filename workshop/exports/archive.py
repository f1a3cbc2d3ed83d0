"""Export a session as a complete, versioned JSON archive (format in docs/archive.md).

`export_archive(export_data)` gives the archive's bytes from the export data the services read
(`services/export_data.py`); importing one back is `services/archive_import.py`'s job.
"""
from __future__ import annotations

import json
from typing import Any

from .archive_format import FORMAT, VERSION, checksum


def archive_payload(export_data: dict[str, Any]) -> dict[str, Any]:
    """The archive as a dict: the export data under a format name, a version and a checksum."""
    payload = {"format": FORMAT, "version": VERSION, **export_data}
    return {"format": FORMAT, "version": VERSION, "checksum": checksum(payload), **export_data}


def export_archive(export_data: dict[str, Any]) -> bytes:
    """The archive file's bytes: indented UTF-8 JSON (Thai stays readable), format first."""
    text = json.dumps(archive_payload(export_data), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
