"""The vote path on the scale-out set (docs/deploy.md): 1, 2 and 4 gunicorn workers behind
nginx, on Redis and PostgreSQL, started by deploy/cluster.py as deploy/run-local does.

Per worker count W and crowd size N: a facilitator (through nginx) opens a round, N phones
(bench/vote_path.py's client processes, each phone with its own routing cookie, so they
spread over the workers) connect, join and cast --votes votes each, waiting for each
acknowledgement. Reported: connect+join time, votes acknowledged, votes/s, ack p50/p95/p99,
CPU seconds per vote of the workers (all W processes together) and of everything on the
server side (workers + nginx + Redis + PostgreSQL), the last tally the facilitator got, the
votes in the database afterwards, and errors. Only ever targets 127.0.0.1.

    .venv/bin/python bench/scaleout.py --workers 1,2,4 --sizes 1000
"""
import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil

from _harness import PhaseFailed, error_name, fmt, merge_errors, percentile, raise_nofile, step, stop_clients

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from deploy.cluster import Cluster, free_port  # noqa: E402
from vote_path import Screen, spawn_clients  # noqa: E402

COLUMNS = [("workers", "workers", 0), ("N", "n", 0), ("joined", "joined", 0),
           ("join s", "join_s", 1), ("acked", "acked", 0), ("votes/s", "votes_per_s", 0),
           ("p50 ms", "p50_ms", 0), ("p95 ms", "p95_ms", 0), ("p99 ms", "p99_ms", 0),
           ("worker CPU ms/vote", "worker_ms_per_vote", 2),
           ("all server CPU ms/vote", "all_ms_per_vote", 2), ("final tally", "final", 0),
           ("votes in db", "stored", 0)]


def cpu_seconds(pids) -> float:
    total = 0.0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            for one in [process, *process.children(recursive=True)]:
                times = one.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def postgres_pids(folder: Path) -> list[int]:
    pidfile = folder / "pg" / "postmaster.pid"
    return [int(pidfile.read_text().split()[0])] if pidfile.exists() else []


async def measure(args, cluster, n, row, database_url):
    from sqlalchemy import create_engine, func, select

    from tests.helpers import make_session
    from workshop.store.models import Vote
    made = make_session(cluster.folder / "data", cluster.url, database_url=database_url,
                        title=f"bench scale-out W={len(cluster.workers)} N={n}")
    screen = Screen(cluster.url, made["id"], made["facilitator_key"], args.op_timeout)
    procs = []
    workers = [w.process.pid for w in cluster.workers]
    everything = [p.pid for p in cluster.processes] + postgres_pids(cluster.folder)
    try:
        round_id = await screen.open()
        procs = await spawn_clients(args, cluster.url, made["join_code"], round_id,
                                    screen.levels, n, cluster.log)
        await step(procs, None, 60)
        started = time.perf_counter()
        answers = await step(procs, "connect", args.phase_timeout)
        row["join_s"] = time.perf_counter() - started
        row["joined"] = sum(a["ok"] for a in answers)
        merge_errors(answers, row["errors"])
        await asyncio.sleep(1.0)
        w0, a0 = cpu_seconds(workers), cpu_seconds(everything)
        started = time.perf_counter()
        answers = await step(procs, "vote", args.phase_timeout)
        seconds = time.perf_counter() - started
        w1, a1 = cpu_seconds(workers), cpu_seconds(everything)
        latencies = sorted(x for a in answers for x in a["latencies"])
        row["acked"] = len(latencies)
        row["votes_per_s"] = len(latencies) / seconds if seconds else None
        for name, share in (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99)):
            value = percentile(latencies, share)
            row[name] = value * 1000 if value is not None else None
        if latencies:
            row["worker_ms_per_vote"] = (w1 - w0) * 1000 / len(latencies)
            row["all_ms_per_vote"] = (a1 - a0) * 1000 / len(latencies)
        merge_errors(answers, row["errors"])
        await asyncio.sleep(1.5)  # the last coalesced tally after the burst
        if isinstance(screen.last_tally, dict):
            row["final"] = f"{screen.last_tally.get('voted')}/{screen.last_tally.get('present')}"
        engine = create_engine(database_url)
        with engine.connect() as connection:
            row["stored"] = connection.scalar(
                select(func.count()).select_from(Vote).where(Vote.round_id == round_id))
        engine.dispose()
        await step(procs, "quit", 60)
    finally:
        for proc in procs:
            await stop_clients(proc)
        await screen.close()


def run_case(args, workers, n):
    row = {"workers": workers, "n": n, "errors": {}}
    # Directly under /tmp: PostgreSQL run as `postgres` (when this runs as root) must reach it.
    folder = Path(tempfile.mkdtemp(prefix=f"bench-scaleout-w{workers}-n{n}-"))
    cluster = Cluster(folder, {})
    try:
        redis_url = cluster.start_redis(free_port())
        database_url = cluster.start_postgres(free_port())
        (folder / "data").mkdir()
        cluster.env = {**os.environ, "WORKSHOP_DATA_DIR": str(folder / "data"),
                       "WORKSHOP_DATABASE_URL": database_url, "WORKSHOP_REDIS_URL": redis_url}
        cluster.migrate()
        from workshop.config import load_or_create_secret_key
        load_or_create_secret_key(folder / "data")  # one key for every worker
        for _ in range(workers):
            cluster.start_worker(free_port())
        port = free_port()
        cluster.start_nginx(port)
        cluster.url = f"http://127.0.0.1:{port}"
        with open(folder / "clients.log", "wb") as cluster.log:
            asyncio.run(asyncio.wait_for(measure(args, cluster, n, row, database_url),
                                         args.case_timeout))
    except asyncio.TimeoutError:
        row["errors"][f"FAILED: case timed out after {args.case_timeout}s"] = 1
    except (PhaseFailed, OSError, ValueError, RuntimeError, KeyError) as exc:
        row["errors"][f"FAILED: {error_name(exc)}"] = 1
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return row


def table(rows):
    head = [title for title, _, _ in COLUMNS] + ["errors"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [fmt(row.get(key), digits) if not isinstance(row.get(key), str) else row[key]
                 for _, key, digits in COLUMNS]
        errors = "; ".join(f"{k} x{v}" for k, v in row["errors"].items()) or "0"
        lines.append("| " + " | ".join(cells + [errors]) + " |")
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4", help="comma-separated worker counts")
    parser.add_argument("--sizes", default="1000", help="comma-separated numbers of phones")
    parser.add_argument("--votes", type=int, default=10, help="votes per phone")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--op-timeout", type=float, default=30.0)
    parser.add_argument("--phase-timeout", type=float, default=240.0)
    parser.add_argument("--case-timeout", type=float, default=600.0)
    parser.add_argument("--out", help="also write the Markdown table here")
    args = parser.parse_args(argv)
    args.workers = [int(w) for w in args.workers.split(",") if w]
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    return args


def main(argv=None):
    args = parse_args(argv)
    nofile = raise_nofile()
    header = (f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM, "
              f"RLIMIT_NOFILE {nofile}; load average at start {os.getloadavg()[0]:.1f}\n"
              f"set: deploy/cluster.py (gunicorn gevent workers, nginx, Redis, PostgreSQL); "
              f"votes per phone: {args.votes}, client processes: {args.client_procs}")
    print(header, flush=True)
    rows = []
    for workers in args.workers:
        for n in args.sizes:
            row = run_case(args, workers, n)
            row["load_after"] = os.getloadavg()[0]
            rows.append(row)
            print(json.dumps(row), flush=True)
    result = header + "\n\n" + table(rows)
    print("\n" + result)
    if args.out:
        Path(args.out).write_text(result + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
