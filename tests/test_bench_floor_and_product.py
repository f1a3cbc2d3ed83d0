"""The benchmark that carries its own floor (bench/floor_and_product.py), run at a tiny crowd:
its table has a floor row, a product row and their ratios, and every phone's vote is stored.
No timing is asserted: the figures depend on the machine."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "floor_and_product.py"
PHONES, VOTES = 20, 3
HEADER = ["N", "server", "joined", "connect+join s", "CPU ms/join", "burst s", "acked",
          "p50 ms", "p95 ms", "p99 ms", "max ms", "last tally - last ack ms", "CPU ms/vote",
          "RSS KB/phone", "votes stored", "errors"]


def run_bench(*args):
    done = subprocess.run([sys.executable, str(BENCH), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_twenty_phones_vote_on_the_floor_and_the_product_and_every_vote_is_stored(tmp_path):
    out = tmp_path / "table.md"
    run_bench("--sizes", str(PHONES), "--votes", str(VOTES), "--repeat", "1",
              "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert cells(lines[0]) == HEADER
    rows = [dict(zip(HEADER, cells(line))) for line in lines[2:]]
    assert [row["server"] for row in rows] == ["floor", "product", "product/floor"]
    for row in rows[:2]:
        assert row["N"] == str(PHONES)
        assert row["joined"] == str(PHONES)
        assert row["acked"] == str(PHONES * VOTES)
        assert row["votes stored"] == str(PHONES)  # one vote per phone: the last one
        assert row["errors"] == "0"
        for name in ("p50 ms", "p99 ms", "max ms", "burst s", "CPU ms/vote"):
            assert float(row[name]) >= 0
        float(row["last tally - last ack ms"])  # a tally arrived; negative when before the ack
    ratios = rows[2]
    for name in ("p50 ms", "CPU ms/vote", "burst s"):
        assert ratios[name].startswith("x") and float(ratios[name][1:]) > 0


def test_phones_that_stay_joined_and_silent_are_not_disconnected():
    text = run_bench("--idle", "10", "--idle-seconds", "2")
    summary = text.strip().splitlines()[-1]
    assert summary.startswith("idle 10 phones 2 s: joined 10, disconnects 0, server RSS ")
    assert summary.endswith("errors 0")
