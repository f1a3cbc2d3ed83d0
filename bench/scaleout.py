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

from _harness import (PhaseFailed, acknowledged, error_name, fmt, merge_errors, raise_nofile, step,
                      stop_clients)

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


def cpu_seconds(groups: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds (user + system) of each group of process trees, read in one pass."""
    totals = {}
    for name, pids in groups.items():
        totals[name] = 0.0
        for pid in pids:
            try:
                tree = [psutil.Process(pid)]
                tree += tree[0].children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            for one in tree:
                try:
                    times = one.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                totals[name] += times.user + times.system
    return totals


def postgres_pids(folder: Path) -> list[int]:
    pidfile = folder / "pg" / "postmaster.pid"
    return [int(pidfile.read_text().split()[0])] if pidfile.exists() else []


async def measure(args, cluster, n, row, database_url, log):
    from sqlalchemy import create_engine, func, select

    from tests.helpers import make_session
    from workshop.store.models import Vote
    made = make_session(cluster.folder / "data", cluster.url, database_url=database_url,
                        title=f"bench scale-out W={len(cluster.workers)} N={n}")
    screen = Screen(cluster.url, made["id"], made["facilitator_key"], args.op_timeout)
    procs = []
    workers = [w.process.pid for w in cluster.workers]
    groups = {"workers": workers, "others": [p.pid for p in cluster.processes if p.pid not in workers]
              + postgres_pids(cluster.folder)}
    try:
        round_id = await screen.open()
        procs = await spawn_clients(args, cluster.url, made["join_code"], round_id,
                                    screen.levels, n, log)
        await step(procs, None, 60)
        started = time.perf_counter()
        answers = await step(procs, "connect", args.phase_timeout)
        row["join_s"] = time.perf_counter() - started
        row["joined"] = sum(a["ok"] for a in answers)
        merge_errors(answers, row["errors"])
        await asyncio.sleep(1.0)
        before = cpu_seconds(groups)
        started = time.perf_counter()
        answers = await step(procs, "vote", args.phase_timeout)
        seconds = time.perf_counter() - started
        after = cpu_seconds(groups)
        latencies = acknowledged(row, answers, seconds)
        if latencies:
            spent = {name: after[name] - before[name] for name in groups}
            row["worker_ms_per_vote"] = spent["workers"] * 1000 / len(latencies)
            row["all_ms_per_vote"] = (spent["workers"] + spent["others"]) * 1000 / len(latencies)
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
        cluster.start_nginx(free_port())
        with open(folder / "clients.log", "wb") as log:
            asyncio.run(asyncio.wait_for(measure(args, cluster, n, row, database_url, log),
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
    parser.add_argument("--pace", type=float, default=0.0,
                        help="least seconds between two votes of one phone (0: back to back)")
    parser.add_argument("--op-timeout", type=float, default=30.0)
    parser.add_argument("--phase-timeout", type=float, default=240.0)
    parser.add_argument("--case-timeout", type=float, default=600.0)
    parser.add_argument("--out", help="also write the Markdown table here")
    args = parser.parse_args(argv)
    args.workers, args.sizes = ([int(x) for x in v.split(",") if x] for v in (args.workers, args.sizes))
    return args


def main(argv=None):
    args = parse_args(argv)
    memory = psutil.virtual_memory().total / 2**30
    header = (f"machine: {os.cpu_count()} cores, {memory:.0f} GiB RAM, RLIMIT_NOFILE "
              f"{raise_nofile()}; load average at start {os.getloadavg()[0]:.1f}\n"
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
