"""The phone's first-load benchmark (bench/first_load.py), run once unthrottled: its table has a
row per profile, a cold load fetches the static files and a warm reload fetches none of them.
No timing is asserted: the figures depend on the machine."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "first_load.py"
HEADER = ["profile", "cold: s to vote", "cold: static bytes", "cold: other bytes",
          "warm: s to vote", "warm: static bytes", "warm: other bytes"]

pytestmark = pytest.mark.browser


def cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_a_phone_reloading_on_the_benchmark_fetches_no_static_byte_again():
    done = subprocess.run([sys.executable, str(BENCH), "--profiles", "wifi", "--repeat", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    assert cells(lines[0]) == HEADER
    row = dict(zip(HEADER, cells(lines[2])))
    assert row["profile"] == "wifi"
    assert int(row["cold: static bytes"].replace(",", "")) > 10_000  # scripts and styles, compressed
    assert row["warm: static bytes"] == "0"
    assert float(row["cold: s to vote"]) > 0 and float(row["warm: s to vote"]) > 0
