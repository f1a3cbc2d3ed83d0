"""What tests do to a server's storage from outside: another process holding SQLite's lock,
a small filesystem of its own that can be filled or made read-only, and reading back what the
database holds."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()          # hold the lock until the test says so
db.execute("COMMIT")
print("released", flush=True)
"""


def database_file(data_dir: Path) -> Path:
    return data_dir / "workshop.sqlite3"


class LockHolder:
    """Another process (a backup, the sqlite3 shell) holding `BEGIN EXCLUSIVE` on the database."""

    def __init__(self, data_dir: Path):
        self.process = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(database_file(data_dir))],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        assert line == "locked", f"the lock holder said {line!r}"

    @property
    def holding(self) -> bool:
        return self.process.poll() is None

    def release(self) -> None:
        if self.holding:
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            assert self.process.stdout.readline().strip() == "released"
            self.process.wait(timeout=10)


@contextmanager
def lock_held(data_dir: Path):
    holder = LockHolder(data_dir)
    try:
        yield holder
    finally:
        holder.release()
        if holder.holding:
            holder.process.kill()


def rows(data_dir: Path, sql: str, *params) -> list[tuple]:
    """Read the database as another process would (the server keeps running)."""
    with sqlite3.connect(f"file:{database_file(data_dir)}?mode=ro", uri=True) as db:
        return db.execute(sql, params).fetchall()


def votes(data_dir: Path, round_id: int) -> dict[int, int | None]:
    return dict(rows(data_dir, "SELECT participant_id, level FROM votes WHERE round_id = ?", round_id))


class SmallDisk:
    """A tmpfs of its own (the tests run as root, where chmod stops nothing): filled to the
    last byte or remounted read-only, like a full USB stick or a write-protected share."""

    def __init__(self, mount_point: Path, size_kib: int):
        if os.geteuid() != 0:
            raise RuntimeError("mounting a small filesystem needs root (CI runs the suite as root)")
        self.path = mount_point
        self.path.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(self.path)], check=True)
        self.filler = self.path / "filler"

    def fill(self) -> None:
        """Take every free byte (a file grown until the filesystem says it is full)."""
        with open(self.filler, "ab", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * 4096)
            except OSError:
                pass

    def free_space(self) -> None:
        self.filler.unlink(missing_ok=True)

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def writable(self) -> None:
        subprocess.run(["mount", "-o", "remount,rw", str(self.path)], check=True)

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MiB filesystem of the test's own, unmounted afterwards."""
    disk = SmallDisk(tmp_path / "disk", size_kib=16 * 1024)
    yield disk
    disk.unmount()
