"""The product beside its floor: the same phones against `python -m workshop run` and against
the floor server, so every figure comes with the least a Flask-SocketIO server could do.

The floor is bench/_vote_server.py in gevent mode (the product's async mode): votes in a dict,
an acknowledgement, a coalesced tally at most 4 times a second. The product is started as the
README does (tests/servers.py `start_server`: `python -m workshop run`, SQLite in a fresh data
folder). For each crowd size N and each repeat the two run one after the other (F, P, F, P ...)
with the phones of bench/vote_path.py: connect + join, then --votes votes each, at most one
every --pace seconds per phone (the product allows 50 events/s and 300/min per connection).
Printed per run: connect + join time and server CPU per join, burst duration, ack p50 / p95 /
p99 / max, tally complete after the last ack (arrival of the last tally minus the last ack),
server CPU per vote (utime + stime of the server process), RSS per phone, errors, votes counted afterwards
(rows in the product's database; the floor's dict) and, per N, the ratios product / floor of
the medians. `--idle N --idle-seconds S` instead keeps N product phones joined and silent for S
seconds and prints disconnects and server RSS.

    .venv/bin/python bench/floor_and_product.py --sizes 200,500,1000,2000 --repeat 2
    .venv/bin/python bench/floor_and_product.py --idle 2000 --idle-seconds 300
"""
import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from _harness import (CASE_FAILURES, fmt, merge_errors, end_case, note_failure, percentile,
                      raise_nofile, step, stop_clients)
from vote_path import ROOT, Screen, parse_args as phone_args, proc_cpu_s, proc_rss_mb, \
    spawn_clients

HERE = Path(__file__).resolve().parent
FLOOR_LEVELS = [0, 1, 2, 3]


class FloorScreen:
    """The floor's facilitator: a connection in the "facilitator" room that notes tallies."""

    def __init__(self, url, timeout):
        self.url, self.timeout, self.sio, self.tally_times = url, timeout, None, []

    async def open(self):
        import socketio
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        self.sio.on("tally", lambda data: self.tally_times.append(time.perf_counter()))
        await asyncio.wait_for(self.sio.connect(self.url, transports=["websocket"],
                                                auth={"role": "facilitator"}), self.timeout)
        return 1

    async def close(self):
        await self.sio.disconnect()


class Server:
    """One server under test: its process, URL, screen and how to count stored votes."""

    def __init__(self, kind, workdir, args):
        self.kind, self.args, self.made = kind, args, None
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=workdir))
        if kind == "product":
            from tests.servers import start_server
            self.running = start_server(self.data_dir)
            self.url, self.process = self.running.url, self.running.process
        else:
            from tests.servers import free_port
            port = free_port()
            self.url = f"http://127.0.0.1:{port}"
            self.log = open(self.data_dir / "floor.log", "wb")
            self.process = subprocess.Popen(
                [sys.executable, str(HERE / "_vote_server.py"), "--mode", "gevent",
                 "--port", str(port)], stdout=self.log, stderr=subprocess.STDOUT)
            _wait_for(self.url + "/health", self.process)

    async def screen(self):
        """Open the facilitator's screen; return (screen, round id, levels, join code)."""
        if self.kind == "floor":
            screen = FloorScreen(self.url, self.args.op_timeout)
            return screen, await screen.open(), FLOOR_LEVELS, "floor"
        from tests.helpers import make_session
        self.made = make_session(self.data_dir, self.url, title="bench floor and product")
        screen = Screen(self.url, self.made["id"], self.made["facilitator_key"],
                        self.args.op_timeout)
        round_id = await screen.open()
        return screen, round_id, screen.levels, self.made["join_code"]

    def votes_stored(self, round_id):
        if self.kind == "floor":
            return requests.get(self.url + "/health", timeout=10).json()["votes"]
        from sqlalchemy import func, select
        from tests.helpers import Config, Store
        from workshop.store.models import Vote
        config = Config.from_env({"WORKSHOP_DATA_DIR": str(self.data_dir)})
        store = Store.open(config.database_url)
        try:
            with store.session() as db:
                return db.scalar(select(func.count()).select_from(Vote)
                                 .where(Vote.round_id == round_id))
        finally:
            store.dispose()

    def stop(self):
        if self.kind == "product":
            self.running.stop()
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.log.close()


def _wait_for(url, process, limit=30.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"floor server exited with {process.returncode}")
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"floor server did not answer within {limit}s")


async def run_burst(args, server, n, row, log):
    """Connect + join n phones, one vote burst, the tally after it; figures into `row`."""
    pid = server.process.pid
    screen, round_id, levels, code = await server.screen()
    procs = []
    try:
        procs = await spawn_clients(args, server.url, code, round_id, levels, n, log)
        await step(procs, None, 60)
        rss0, cpu0, started = proc_rss_mb(pid), proc_cpu_s(pid), time.perf_counter()
        answers = await step(procs, "connect", args.phase_timeout)
        row["join_s"] = time.perf_counter() - started
        row["joined"] = sum(a["ok"] for a in answers)
        merge_errors(answers, row["errors"])
        cpu1 = proc_cpu_s(pid)
        row["cpu_join_ms"] = _per(cpu1 - cpu0, row["joined"], 1000)
        await asyncio.sleep(1.0)
        row["rss_kb_phone"] = _per(proc_rss_mb(pid) - rss0, row["joined"], 1024)
        cpu1, started = proc_cpu_s(pid), time.perf_counter()
        answers = await step(procs, "vote", args.phase_timeout)
        row["burst_s"] = time.perf_counter() - started
        cpu_votes = proc_cpu_s(pid) - cpu1
        latencies = sorted(x for a in answers for x in a["latencies"])
        row["acked"] = len(latencies)
        row["cpu_vote_ms"] = _per(cpu_votes, row["acked"], 1000)
        for name, share in (("p50", .5), ("p95", .95), ("p99", .99), ("max", 1.0)):
            value = percentile(latencies, share)
            row[name] = value * 1000 if value is not None else None
        merge_errors(answers, row["errors"])
        last_ack = max((a["last_ack"] for a in answers if a["last_ack"]), default=None)
        row["tally_ms"] = await _last_tally_after(screen, last_ack)
        row["stored"] = server.votes_stored(round_id)
        await step(procs, "quit", 60)
    finally:
        for proc in procs:
            await stop_clients(proc)
        await screen.close()


async def _last_tally_after(screen, moment, quiet=1.5):
    """Milliseconds from `moment` to the last tally received once tallies have stopped (they
    are sent only after a change, so the last one holds every vote). Negative when it reached
    the facilitator before the last acknowledgement reached its phone."""
    if moment is None:
        return None
    await asyncio.sleep(quiet)  # the coalesced tally goes out at most every 0.25 s
    return (max(screen.tally_times) - moment) * 1000 if screen.tally_times else None


def _per(total, count, scale):
    return total * scale / count if total is not None and count else None


async def run_case(args, kind, n, workdir):
    row = {"kind": kind, "n": n, "errors": {}}
    server = None
    try:
        server = Server(kind, workdir, args)
        with open(server.data_dir / "clients.log", "wb") as log:
            await asyncio.wait_for(run_burst(args, server, n, row, log), args.case_timeout)
    except CASE_FAILURES as exc:
        note_failure(row, exc, args.case_timeout)
    finally:
        end_case(row, server)
    return row


COLUMNS = (
    ("N", "n", 0), ("server", "kind", 0), ("joined", "joined", 0),
    ("connect+join s", "join_s", 1), ("CPU ms/join", "cpu_join_ms", 2),
    ("burst s", "burst_s", 1), ("acked", "acked", 0), ("p50 ms", "p50", 1),
    ("p95 ms", "p95", 1), ("p99 ms", "p99", 1), ("max ms", "max", 1),
    ("last tally - last ack ms", "tally_ms", 0), ("CPU ms/vote", "cpu_vote_ms", 2),
    ("RSS KB/phone", "rss_kb_phone", 0), ("votes stored", "stored", 0),
)
RATIOS = ("join_s", "cpu_join_ms", "burst_s", "p50", "p95", "p99", "max", "cpu_vote_ms",
          "rss_kb_phone")  # not the tally's delay: it may be negative


def ratio_row(rows, n):
    """Product / floor of the medians over the repeats of one N."""
    row = {"n": n, "kind": "product/floor", "errors": {}}
    for key in RATIOS:
        product = [r[key] for r in rows if r["n"] == n and r["kind"] == "product"
                   and r.get(key) is not None]
        floor = [r[key] for r in rows if r["n"] == n and r["kind"] == "floor"
                 and r.get(key) is not None]
        if product and floor and statistics.median(floor) > 0:
            row[key] = f"x{statistics.median(product) / statistics.median(floor):.1f}"
    return row


def table(rows, sizes):
    head = [title for title, _, _ in COLUMNS] + ["errors"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows + [ratio_row(rows, n) for n in sizes]:
        cells = [fmt(row.get(key), digits) for _, key, digits in COLUMNS]
        errors = "; ".join(f"{k} x{v}" for k, v in row["errors"].items()) or "0"
        lines.append("| " + " | ".join(cells + [errors if row["kind"] != "product/floor"
                                                 else ""]) + " |")
    return "\n".join(lines)


async def run_idle(args, n, seconds, workdir):
    """n product phones joined and silent for `seconds`: disconnects and server RSS."""
    row = {"n": n, "idle_s": seconds, "errors": {}}
    server = Server("product", workdir, args)
    procs, screen = [], None
    try:
        with open(server.data_dir / "clients.log", "wb") as log:
            screen, round_id, levels, code = await server.screen()
            procs = await spawn_clients(args, server.url, code, round_id, levels, n, log)
            await step(procs, None, 60)
            answers = await step(procs, "connect", args.phase_timeout)
            row["joined"] = sum(a["ok"] for a in answers)
            merge_errors(answers, row["errors"])
            await asyncio.sleep(seconds)
            row["rss_mb"] = proc_rss_mb(server.process.pid)
            answers = await step(procs, "status", 60)
            row["disconnects"] = sum(a["disconnects"] for a in answers)
            await step(procs, "quit", 60)
    finally:
        for proc in procs:
            await stop_clients(proc)
        if screen is not None:
            await screen.close()
        server.stop()
    return row


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each server per N")
    parser.add_argument("--idle", type=int, help="phones for the idle run (instead of bursts)")
    parser.add_argument("--idle-seconds", type=float, default=300.0)
    parser.add_argument("--pace", type=float, default=0.25,
                        help="least seconds between two votes of one phone")
    own, rest = parser.parse_known_args(argv)
    args = phone_args(rest)  # --sizes --votes --client-procs --concurrency, timeouts, --out
    args.repeat, args.idle, args.idle_seconds = own.repeat, own.idle, own.idle_seconds
    args.pace = own.pace
    return args


def main(argv=None):
    args = parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    raise_nofile()
    workdir = tempfile.mkdtemp(prefix="bench-floor-product-")
    if args.idle:
        row = asyncio.run(run_idle(args, args.idle, args.idle_seconds, workdir))
        print(json.dumps(row), flush=True)
        print(f"\nidle {row['n']} phones {row['idle_s']:.0f} s: joined {row.get('joined')}, "
              f"disconnects {row.get('disconnects')}, server RSS {fmt(row.get('rss_mb'), 0)} MB, "
              f"errors {row['errors'] or 0}")
        return 0
    print(f"votes per phone {args.votes}, at most one per {args.pace} s; "
          f"client processes {args.client_procs}; repeats {args.repeat}", flush=True)
    rows = []
    for n in args.sizes:
        for _ in range(args.repeat):
            for kind in ("floor", "product"):
                row = asyncio.run(run_case(args, kind, n, workdir))
                rows.append(row)
                print(json.dumps(row), flush=True)
    result = table(rows, args.sizes)
    print("\n" + result)
    if args.out:
        Path(args.out).write_text(result + "\n", encoding="utf-8")
    if not args.keep:
        import shutil
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
