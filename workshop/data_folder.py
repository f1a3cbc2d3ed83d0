"""Whether the data folder can hold a workshop, checked when the server starts: a read-only or
full folder stops the start with a clear message (nothing could be stored: no vote, no
decision), and little free space is a warning.

While serving, a folder that fills up or turns read-only is met by the store
(`store/faults.py`: `storage_unavailable`, nothing changed) and work resumes once space is back.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from .errors import Unavailable

# Below this the server starts but warns: a 2,000-phone workshop writes a few megabytes, its
# exports a few more. Enough margin that a day's work fits.
LOW_SPACE_BYTES = 100 * 1024 * 1024


class DataFolderUnusable(Unavailable):
    """The data folder cannot be written at all."""


def check(data_dir: Path, low_space_bytes: int = LOW_SPACE_BYTES) -> str | None:
    """Raise `DataFolderUnusable` when nothing can be written in `data_dir`; return a warning
    when its free space is low, else None."""
    try:
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".write-check-") as probe:
            probe.write(b"x")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as problem:
        why = {errno.EROFS: "it is read-only", errno.ENOSPC: "it is full", errno.EDQUOT: "its quota is used up",
               errno.EACCES: "this user may not write there"}.get(problem.errno, problem.strerror)
        raise DataFolderUnusable(
            f"The data folder {data_dir} cannot be written: {why}. The server would store no vote "
            "and no decision, so it does not start. Free some space or make the folder writable "
            "(or choose another folder with WORKSHOP_DATA_DIR), then start it again.") from None
    free = shutil.disk_usage(data_dir).free
    if free < low_space_bytes:
        return (f"Warning: only {free // (1024 * 1024)} MB free in the data folder {data_dir}. "
                "When it is full, votes and decisions are refused (storage_unavailable) until "
                "space is freed.")
    return None
