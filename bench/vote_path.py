"""Measure the real app's vote path: `python -m workshop run` (gevent, SQLite) under N phones.

For each crowd size N this starts the real server (tests/servers.py `start_server`) on a
fresh temporary data folder, creates a PMQA 4.0 session in it (tests/helpers.py
`make_session`), connects a facilitator screen that opens a round on criterion "1.1" and
counts the `tally` events it receives, then N simulated phones connect as participants
(python-socketio AsyncClient on aiohttp, WebSocket only, split over --client-procs
processes, a bounded number of connection attempts in flight per process), each sends
`join` and then casts --votes votes, changing its level every time and waiting for each
acknowledgement. Reported per N: phones joined and the time to connect+join them all,
votes acknowledged, votes/s, ack latency p50/p95/p99, server RSS after the join phase
(VmRSS from /proc/<pid>/status), server CPU seconds per phase, tallies per second seen by
the facilitator during the vote phase (the protocol caps them at 4/s per session), and
errors. Every phase has a timeout; the server and the client processes are always stopped.
Only ever targets 127.0.0.1.

    .venv/bin/python bench/vote_path.py --sizes 100,500,1000,2000

The same file is the client process (`--client`), driven over stdin/stdout like
bench/_vote_clients.py: commands `connect` (connect + join), `vote`, `quit`.
"""
import argparse
import asyncio
import collections
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from _harness import (CASE_FAILURES, PhaseFailed, error_name, fmt, merge_errors, end_case,
                      note_failure, percentile, raise_nofile, say, step, stop_clients)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


# --------------------------------------------------------------------------- client side

class Phones:
    """Many participant phones in one process."""

    def __init__(self, args):
        self.args = args
        self.levels = [int(x) for x in args.levels.split(",")]
        self.http = None
        self.clients = []
        self.errors = collections.Counter()
        self.disconnects = 0
        self.last_ack = None

    def _count_disconnect(self, *_):
        self.disconnects += 1

    async def _open_and_join(self, gate):
        import socketio
        async with gate:
            sio = socketio.AsyncClient(reconnection=False, handle_sigint=False,
                                       http_session=self.http)
            auth = {"role": "participant", "code": self.args.code, "lang": "en"}
            try:
                await asyncio.wait_for(
                    sio.connect(self.args.url, transports=["websocket"], auth=auth,
                                headers=_route_cookie(), wait_timeout=self.args.timeout),
                    self.args.timeout)
            except Exception as exc:
                self.errors["connect " + error_name(exc)] += 1
                await _quiet_disconnect(sio)
                return None
            try:
                ack = await sio.call("join", {"client_key": secrets.token_urlsafe(18)},
                                     timeout=self.args.timeout)
            except Exception as exc:
                self.errors["join " + error_name(exc)] += 1
                await _quiet_disconnect(sio)
                return None
            if not (isinstance(ack, dict) and ack.get("ok") is True and ack.get("token")):
                self.errors["join not ok: " + _ack_error(ack)] += 1
                await _quiet_disconnect(sio)
                return None
            sio.on("disconnect", self._count_disconnect)  # from now on, a lost phone
            return sio

    async def connect(self):
        import aiohttp
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        gate = asyncio.Semaphore(self.args.concurrency)
        started = time.perf_counter()
        opened = await asyncio.gather(*(self._open_and_join(gate)
                                        for _ in range(self.args.count)))
        self.clients = [sio for sio in opened if sio is not None]
        return {"phase": "joined", "ok": len(self.clients),
                "seconds": time.perf_counter() - started, "errors": dict(self.errors)}

    async def _cast(self, index, sio, latencies):
        started = time.perf_counter()
        for number in range(self.args.votes):
            level = self.levels[(self.args.first + index + number) % len(self.levels)]
            payload = {"round_id": self.args.round_id, "level": level}
            if number:  # stay under the per-connection rate limit (workshop/live/limits.py)
                await asyncio.sleep(max(0.0, self.args.pace - (time.perf_counter() - started)))
            started = time.perf_counter()
            try:
                ack = await sio.call("vote", payload, timeout=self.args.timeout)
            except Exception as exc:
                self.errors["vote " + error_name(exc)] += 1
                continue
            if isinstance(ack, dict) and ack.get("ok") is True:
                self.last_ack = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
                latencies.append(self.last_ack - started)
            else:
                self.errors["vote not ok: " + _ack_error(ack)] += 1

    async def vote(self):
        latencies = []
        self.errors.clear()
        started = time.perf_counter()
        await asyncio.gather(*(self._cast(i, sio, latencies)
                               for i, sio in enumerate(self.clients)))
        return {"phase": "voted", "acked": len(latencies),
                "seconds": time.perf_counter() - started,
                "latencies": [round(x, 6) for x in latencies], "last_ack": self.last_ack,
                "errors": dict(self.errors)}

    async def status(self):
        return {"phase": "status", "disconnects": self.disconnects}

    async def close(self):
        try:
            await asyncio.wait_for(
                asyncio.gather(*(sio.disconnect() for sio in self.clients),
                               return_exceptions=True), self.args.timeout)
        except asyncio.TimeoutError:
            pass
        if self.http is not None:
            await self.http.close()
        return {"phase": "closed"}


def _route_cookie():
    """The routing cookie a page sets (workshop/web/routing.py): behind nginx with several
    workers (bench/scaleout.py), each phone lands on the worker its cookie hashes to."""
    return {"Cookie": f"workshop_route={secrets.token_urlsafe(9)}"}


def _ack_error(ack):
    if isinstance(ack, dict) and isinstance(ack.get("error"), dict):
        return str(ack["error"].get("code"))
    return repr(ack)[:40]


async def _quiet_disconnect(sio):
    try:
        await asyncio.wait_for(sio.disconnect(), 5)
    except Exception:
        pass


async def _serve_commands(phones):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    say({"phase": "ready"})
    actions = {"connect": phones.connect, "vote": phones.vote, "status": phones.status}
    while True:
        line = (await reader.readline()).decode().strip()
        if line in actions:
            say(await actions[line]())
        else:
            say(await phones.close())
            return


def client_main(args):
    raise_nofile()
    asyncio.run(_serve_commands(Phones(args)))


# --------------------------------------------------------------------------- driver side

def proc_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def proc_cpu_s(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # after the ")": state is field 3, utime 14 and stime 15 (1-based in proc(5))
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Screen:
    """The facilitator's control page: opens the round and counts `tally` events."""

    def __init__(self, url, session, key, timeout):
        self.url, self.session, self.key, self.timeout = url, session, key, timeout
        self.sio = None
        self.tally_times = []
        self.last_tally = None
        self.levels = None

    async def open(self):
        import socketio
        self.sio = socketio.AsyncClient(reconnection=False, handle_sigint=False)
        snapshot = asyncio.get_running_loop().create_future()

        async def on_snapshot(data):
            if not snapshot.done():
                snapshot.set_result(data)

        async def on_tally(data):
            self.tally_times.append(time.perf_counter())
            self.last_tally = data

        self.sio.on("snapshot", on_snapshot)
        self.sio.on("tally", on_tally)
        await asyncio.wait_for(self.sio.connect(
            self.url, transports=["websocket"], wait_timeout=self.timeout,
            auth={"role": "facilitator", "session": self.session, "key": self.key,
                  "lang": "en"}), self.timeout)
        data = await asyncio.wait_for(snapshot, self.timeout)
        self.levels = [level["value"] for level in data["framework"]["levels"]]
        ack = await self.sio.call("open_round", {"criterion": "1.1"}, timeout=self.timeout)
        if not (isinstance(ack, dict) and ack.get("ok")):
            raise PhaseFailed(f"open_round refused: {ack!r}")
        return ack["round"]["id"]

    def tallies_between(self, start, end):
        return [t for t in self.tally_times if start <= t <= end]

    async def close(self):
        if self.sio is not None:
            await _quiet_disconnect(self.sio)


async def spawn_clients(args, url, code, round_id, levels, n, log):
    procs, first = [], 0
    shares = [n // args.client_procs + (1 if i < n % args.client_procs else 0)
              for i in range(args.client_procs)]
    for count in (s for s in shares if s):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--client", "--url", url,
               "--code", code, "--round-id", str(round_id), "--count", str(count),
               "--first", str(first), "--votes", str(args.votes),
               "--levels", ",".join(map(str, levels)), "--timeout", str(args.op_timeout),
               "--concurrency", str(args.concurrency), "--pace", str(args.pace)]
        procs.append(await asyncio.create_subprocess_exec(
            *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=log, start_new_session=True, limit=2**24))
        first += count
    return procs


def max_per_window(times, window=1.0):
    """Most tally events inside any `window`-second span."""
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] > window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


async def drive(args, server, n, row, data_dir, log):
    from tests.helpers import make_session
    pid = server.process.pid
    made = make_session(data_dir, server.url, title=f"bench vote path N={n}")
    screen = Screen(server.url, made["id"], made["facilitator_key"], args.op_timeout)
    procs = []
    try:
        round_id = await screen.open()
        procs = await spawn_clients(args, server.url, made["join_code"], round_id,
                                    screen.levels, n, log)
        await step(procs, None, 60)
        row["rss_idle_mb"] = proc_rss_mb(pid)
        cpu0 = proc_cpu_s(pid)
        started = time.perf_counter()
        answers = await step(procs, "connect", args.phase_timeout)
        row["join_s"] = time.perf_counter() - started
        row["joined"] = sum(a["ok"] for a in answers)
        merge_errors(answers, row["errors"])
        await asyncio.sleep(1.0)  # let the server settle before sampling RSS
        row["rss_mb"] = proc_rss_mb(pid)
        cpu1 = proc_cpu_s(pid)
        row["cpu_join_s"] = cpu1 - cpu0
        started = time.perf_counter()
        answers = await step(procs, "vote", args.phase_timeout)
        ended = time.perf_counter()
        seconds = ended - started
        row["cpu_vote_s"] = proc_cpu_s(pid) - cpu1
        latencies = sorted(x for a in answers for x in a["latencies"])
        row["acked"] = len(latencies)
        row["vote_s"] = seconds
        row["votes_per_s"] = len(latencies) / seconds if seconds else None
        for name, share in (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99)):
            value = percentile(latencies, share)
            row[name] = value * 1000 if value is not None else None
        merge_errors(answers, row["errors"])
        in_phase = screen.tallies_between(started, ended)
        row["tallies"] = len(in_phase)
        row["tallies_per_s"] = len(in_phase) / seconds if seconds else None
        row["tallies_max_1s"] = max_per_window(in_phase)
        await asyncio.sleep(1.0)  # the last coalesced tally after the burst
        if isinstance(screen.last_tally, dict):
            row["final_voted"] = screen.last_tally.get("voted")
            row["final_present"] = screen.last_tally.get("present")
        await step(procs, "quit", 60)
    finally:
        for proc in procs:
            await stop_clients(proc)
        await screen.close()


async def run_case(args, n, workdir):
    from tests.servers import start_server
    row = {"n": n, "errors": {}}
    data_dir = Path(workdir) / f"data-{n}"
    data_dir.mkdir()
    server = None
    with open(data_dir / "clients.log", "wb") as log:
        try:
            server = start_server(data_dir)
            row["server_log"] = str(server.log_path)
            await asyncio.wait_for(drive(args, server, n, row, data_dir, log),
                                   args.case_timeout)
        except CASE_FAILURES as exc:
            note_failure(row, exc, args.case_timeout)
        finally:
            end_case(row, server)
            if server is not None:
                row["server_log_lines"] = _log_summary(server.log_path)
    return row


def _log_summary(path):
    """Count server log lines that look like trouble (locks, tracebacks, errors)."""
    counts = collections.Counter()
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    for line in text.splitlines():
        low = line.lower()
        for word in ("database is locked", "traceback", "error", "warning"):
            if word in low:
                counts[word] += 1
    return dict(counts)


COLUMNS = (
    ("N", "n", 0), ("joined", "joined", 0), ("connect+join s", "join_s", 1),
    ("votes acked", "acked", 0), ("vote s", "vote_s", 1), ("votes/s", "votes_per_s", 0),
    ("p50 ms", "p50_ms", 1), ("p95 ms", "p95_ms", 1), ("p99 ms", "p99_ms", 1),
    ("RSS MB idle", "rss_idle_mb", 1), ("RSS MB joined", "rss_mb", 1),
    ("CPU s join", "cpu_join_s", 1), ("CPU s votes", "cpu_vote_s", 1),
    ("tallies", "tallies", 0), ("tallies/s", "tallies_per_s", 2),
    ("max tallies in 1 s", "tallies_max_1s", 0),
    ("last tally voted/present", "final", 0),
)


def table(rows):
    head = [title for title, _, _ in COLUMNS] + ["errors"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        row = dict(row)
        if row.get("final_voted") is not None:
            row["final"] = f"{row['final_voted']}/{row.get('final_present')}"
        cells = [fmt(row.get(key), digits) for _, key, digits in COLUMNS]
        errors = "; ".join(f"{k} x{v}" for k, v in row["errors"].items()) or "0"
        lines.append("| " + " | ".join(cells + [errors]) + " |")
    return "\n".join(lines)


def versions():
    names = ("Flask", "Flask-SocketIO", "python-socketio", "python-engineio",
             "simple-websocket", "gevent", "greenlet", "SQLAlchemy", "aiohttp")
    found = []
    for name in names:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return found


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000,2000",
                        help="comma-separated numbers of phones")
    parser.add_argument("--votes", type=int, default=10, help="votes per phone")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=50,
                        help="connection attempts in flight per client process")
    parser.add_argument("--op-timeout", type=float, default=30.0,
                        help="seconds for one connect, join or acknowledgement")
    parser.add_argument("--phase-timeout", type=float, default=240.0,
                        help="seconds for a whole connect+join or vote phase")
    parser.add_argument("--case-timeout", type=float, default=600.0,
                        help="seconds for everything of one crowd size")
    parser.add_argument("--pace", type=float, default=0.0,
                        help="least seconds between two votes of one phone (the server allows "
                             "50 events/s and 300/min per connection); 0: back to back")
    parser.add_argument("--out", help="also write the Markdown table here")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary data folders and logs")
    # client process mode (internal)
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--round-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--levels", default="0,1,2,3", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=30.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.client:
        client_main(args)
        return 0
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    nofile = raise_nofile()  # inherited by the server and the client processes
    import psutil
    header = (f"machine: {os.cpu_count()} cores, "
              f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
              f"{platform.system()} {platform.release()}, Python "
              f"{platform.python_version()}, RLIMIT_NOFILE {nofile}\n"
              f"packages: {' '.join(versions())}\n"
              f"server: python -m workshop run (gevent), SQLite in a temporary data folder; "
              f"votes per phone: {args.votes}, client processes: {args.client_procs}, "
              f"connect concurrency per process: {args.concurrency}")
    print(header, flush=True)
    rows = []
    workdir = tempfile.mkdtemp(prefix="bench-vote-path-")
    try:
        for n in args.sizes:
            row = asyncio.run(run_case(args, n, workdir))
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        if not args.keep:
            import shutil
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}", file=sys.stderr)
    result = header + "\n\n" + table(rows)
    print("\n" + result)
    if args.out:
        with open(args.out, "w") as out:
            out.write(result + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
