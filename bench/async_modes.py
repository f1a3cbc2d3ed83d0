"""Compare Flask-SocketIO server async modes on the workshop's vote path.

For each async mode and each crowd size N this starts bench/_vote_server.py as
a subprocess on a free 127.0.0.1 port, opens N WebSocket clients from one or
more bench/_vote_clients.py processes, has every client cast a few votes (each
waiting for its acknowledgement), and reports: clients connected and the time
to connect them all, acknowledged votes per second, ack latency p50/p95/p99,
server RSS and thread count after connecting, server CPU seconds, tally
updates seen by a facilitator screen, and errors. Every phase has a timeout
and the server and clients are always killed at the end.

    .venv/bin/python bench/async_modes.py --sizes 100,500,2000

Modes: threading (Werkzeug threads + simple-websocket), gevent (monkey-patched
gevent pywsgi + simple-websocket) and gevent-websocket (gevent pywsgi +
gevent-websocket, loaded from --gevent-websocket-path when it is not installed).
Only ever targets 127.0.0.1.
"""
import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import metadata

import psutil

from _harness import (PhaseFailed, acknowledged, fmt, merge_errors, raise_nofile, signal_group,
                      step, stop_clients)

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "_vote_server.py")
CLIENTS = os.path.join(HERE, "_vote_clients.py")
DEFAULT_GWS = os.path.join(os.path.dirname(HERE), ".venv", "opt", "gevent-websocket")
MODES = ("threading", "gevent", "gevent-websocket")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(mode, port, log, gws_path, db_path=None):
    env = dict(os.environ)
    if mode == "gevent-websocket" and gws_path:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (gws_path, env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, SERVER, "--mode", mode, "--port", str(port)]
    if db_path:
        cmd += ["--sqlite", db_path]
    return subprocess.Popen(
        cmd,
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=env, start_new_session=True)


def wait_ready(server, port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise PhaseFailed(f"server exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/health", timeout=2) as resp:
                return json.load(resp)
        except OSError:
            time.sleep(0.2)
    raise PhaseFailed("server not ready in time")


def stop_server(server, grace=5.0):
    """Stop the server and anything it started (it runs in its own session)."""
    signal_group(server.pid, signal.SIGTERM)
    try:
        server.wait(grace)
    except subprocess.TimeoutExpired:
        signal_group(server.pid, signal.SIGKILL)
        server.wait(grace)


def server_sample(server):
    proc = psutil.Process(server.pid)
    cpu = proc.cpu_times()
    return {"rss": proc.memory_info().rss, "cpu": cpu.user + cpu.system,
            "threads": proc.num_threads()}


async def spawn_clients(args, port, n, log):
    procs, first = [], 0
    shares = [n // args.client_procs + (1 if i < n % args.client_procs else 0)
              for i in range(args.client_procs)]
    for index, count in enumerate(s for s in shares if s):
        cmd = [sys.executable, CLIENTS, "--url", f"http://127.0.0.1:{port}",
               "--count", str(count), "--first", str(first),
               "--votes", str(args.votes), "--timeout", str(args.op_timeout),
               "--concurrency", str(args.concurrency)]
        if index == 0:
            cmd.append("--facilitator")
        procs.append(await asyncio.create_subprocess_exec(
            *cmd, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=log, start_new_session=True, limit=2**24))
        first += count
    return procs


def summarize_connect(row, answers, seconds, before, after):
    row["connected"] = sum(a["ok"] for a in answers)
    row["connect_s"] = seconds
    row["rss_before_mb"] = before["rss"] / 2**20
    row["rss_mb"] = after["rss"] / 2**20
    if row["connected"]:
        row["kb_per_conn"] = (after["rss"] - before["rss"]) / 1024 / row["connected"]
    row["threads"] = after["threads"]
    row["cpu_connect_s"] = after["cpu"] - before["cpu"]
    merge_errors(answers, row["errors"])


def summarize_votes(row, answers, seconds, before, after):
    acknowledged(row, answers, seconds)
    row["vote_s"] = seconds
    row["cpu_vote_s"] = after["cpu"] - before["cpu"]
    row["tallies"] = sum(a.get("tallies", 0) for a in answers)
    merge_errors(answers, row["errors"])


async def drive(args, server, port, n, row, log):
    """Run the connect and vote phases against a ready server."""
    procs = await spawn_clients(args, port, n, log)
    try:
        await step(procs, None, 60)
        before = server_sample(server)
        started = time.perf_counter()
        answers = await step(procs, "connect", args.phase_timeout)
        seconds = time.perf_counter() - started
        await asyncio.sleep(1.0)  # let the server settle before sampling RSS
        summarize_connect(row, answers, seconds, before, server_sample(server))
        before = server_sample(server)
        started = time.perf_counter()
        answers = await step(procs, "vote", args.phase_timeout)
        seconds = time.perf_counter() - started
        summarize_votes(row, answers, seconds, before, server_sample(server))
        row["client_cpu_s"] = sum(_cpu_of(p.pid) for p in procs)
        await step(procs, "quit", 60)
    finally:
        for proc in procs:
            await stop_clients(proc)


def _cpu_of(pid):
    try:
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    except psutil.Error:
        return 0.0


async def run_case(args, mode, n, logdir):
    row = {"mode": mode, "n": n, "errors": {}}
    port = free_port()
    log = open(os.path.join(logdir, f"{mode}-{n}.log"), "wb")
    db_path = os.path.join(logdir, f"{mode}-{n}.sqlite") if args.sqlite else None
    server = start_server(mode, port, log, args.gevent_websocket_path, db_path)
    try:
        wait_ready(server, port, 30)
        await drive(args, server, port, n, row, log)
    except (PhaseFailed, psutil.Error, OSError, ValueError) as exc:
        row["errors"][f"FAILED: {exc}"] = 1
    finally:
        if server.poll() is not None and server.returncode not in (0, None):
            row["errors"][f"server exit {server.returncode}"] = 1
        stop_server(server)
        log.close()
    return row


COLUMNS = (
    ("mode", "mode", 0), ("N", "n", 0), ("connected", "connected", 0),
    ("connect s", "connect_s", 1), ("votes acked", "acked", 0),
    ("votes/s", "votes_per_s", 0), ("p50 ms", "p50_ms", 1),
    ("p95 ms", "p95_ms", 1), ("p99 ms", "p99_ms", 1),
    ("RSS MB idle", "rss_before_mb", 1), ("RSS MB connected", "rss_mb", 1),
    ("KB/conn", "kb_per_conn", 0), ("threads", "threads", 0),
    ("CPU s connect", "cpu_connect_s", 1), ("CPU s votes", "cpu_vote_s", 1),
    ("client CPU s", "client_cpu_s", 1), ("tallies", "tallies", 0),
)


def table(rows):
    head = [title for title, _, _ in COLUMNS] + ["errors"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [fmt(row.get(key), digits) for _, key, digits in COLUMNS]
        errors = "; ".join(f"{k} x{v}" for k, v in row["errors"].items()) or "0"
        lines.append("| " + " | ".join(cells + [errors]) + " |")
    return "\n".join(lines)


def versions():
    names = ("Flask", "Flask-SocketIO", "python-socketio", "python-engineio",
             "simple-websocket", "gevent", "greenlet", "aiohttp")
    found = []
    for name in names:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return found


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default=",".join(MODES),
                        help="comma-separated, from: " + ", ".join(MODES))
    parser.add_argument("--sizes", default="100,500,1000,2000",
                        help="comma-separated numbers of clients")
    parser.add_argument("--votes", type=int, default=10, help="votes per client")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=50,
                        help="connection attempts in flight per client process")
    parser.add_argument("--op-timeout", type=float, default=30.0,
                        help="seconds for one connect or one acknowledgement")
    parser.add_argument("--phase-timeout", type=float, default=240.0,
                        help="seconds for a whole connect or vote phase")
    parser.add_argument("--gevent-websocket-path", default=DEFAULT_GWS,
                        help="folder holding the geventwebsocket package")
    parser.add_argument("--sqlite", action="store_true",
                        help="server commits every vote to SQLite before acking")
    parser.add_argument("--out", help="also write the Markdown table here")
    args = parser.parse_args(argv)
    args.modes = [m for m in args.modes.split(",") if m]
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    unknown = set(args.modes) - set(MODES)
    if unknown:
        parser.error("unknown mode(s): " + ", ".join(sorted(unknown)))
    return args


def main(argv=None):
    args = parse_args(argv)
    nofile = raise_nofile()
    header = (f"machine: {os.cpu_count()} cores, "
              f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
              f"{platform.system()} {platform.release()}, Python "
              f"{platform.python_version()}, RLIMIT_NOFILE {nofile}\n"
              f"packages: {' '.join(versions())}\n"
              f"votes per client: {args.votes}, client processes: "
              f"{args.client_procs}, connect concurrency per process: "
              f"{args.concurrency}, votes committed to SQLite: "
              f"{'yes' if args.sqlite else 'no'}")
    print(header, flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-async-") as logdir:
        for mode in args.modes:
            for n in args.sizes:
                row = asyncio.run(run_case(args, mode, n, logdir))
                rows.append(row)
                print(json.dumps(row), flush=True)
                _print_log_tail(logdir, mode, n, row)
    result = header + "\n\n" + table(rows)
    print("\n" + result)
    if args.out:
        with open(args.out, "w") as out:
            out.write(result + "\n")
    return 0


def _print_log_tail(logdir, mode, n, row):
    """When a case failed, show the end of its server/client log."""
    if not any(k.startswith(("FAILED", "server exit")) for k in row["errors"]):
        return
    with open(os.path.join(logdir, f"{mode}-{n}.log"), "rb") as log:
        tail = log.read()[-2000:].decode(errors="replace")
    print(f"--- log tail {mode} N={n} ---\n{tail}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
