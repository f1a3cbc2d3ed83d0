"""What the benchmarks share: raising the file limit, driving client processes through a line
protocol on their stdin/stdout, stopping process groups, and the figures of a table."""
from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import sys


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def error_name(exc):
    text = str(exc).strip().splitlines()[0][:80] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class PhaseFailed(Exception):
    """A phase did not finish in time or a process died under it."""


# What ends one crowd size's case without ending the benchmark.
CASE_FAILURES = (asyncio.TimeoutError, PhaseFailed, OSError, ValueError, RuntimeError, KeyError)


def note_failure(row, exc, timeout):
    """Record a case that ended in one of CASE_FAILURES among the row's errors."""
    if isinstance(exc, asyncio.TimeoutError):
        row["errors"][f"FAILED: case timed out after {timeout}s"] = 1
    else:
        row["errors"][f"FAILED: {error_name(exc)}"] = 1


def end_case(row, server):
    """Stop the case's server (one with `.process` and `.stop()`, or None if it never started),
    recording it among the row's errors if it had exited during the case."""
    if server is None:
        return
    if server.process.poll() is not None:
        row["errors"][f"server exit {server.process.returncode}"] = 1
    server.stop()


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def signal_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass


async def stop_clients(proc, grace=5.0):
    """Stop one client process started with asyncio (in its own session)."""
    if proc.returncode is None:
        signal_group(proc.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except asyncio.TimeoutError:
        signal_group(proc.pid, signal.SIGKILL)
        await asyncio.wait_for(proc.wait(), grace)


def percentile(sorted_values, share):
    if not sorted_values:
        return None
    rank = max(1, int(round(share * len(sorted_values) + 0.5)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def step(procs, command, timeout):
    """Send one command to every client process and collect their answers."""
    async def one(proc):
        if command:
            proc.stdin.write((command + "\n").encode())
            await proc.stdin.drain()
        line = await proc.stdout.readline()
        if not line:
            raise PhaseFailed(f"client process exited during {command or 'start'}")
        return json.loads(line)
    try:
        return await asyncio.wait_for(
            asyncio.gather(*(one(p) for p in procs)), timeout)
    except asyncio.TimeoutError:
        raise PhaseFailed(f"phase {command or 'start'} timed out after {timeout}s")


def merge_errors(answers, into):
    for answer in answers:
        for name, count in answer.get("errors", {}).items():
            into[name] = into.get(name, 0) + count


def fmt(value, digits=0):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def acknowledged(row, answers, seconds):
    """Votes acknowledged, votes/s and ack p50/p95/p99 (ms) of a vote phase, into `row`;
    returns the sorted latencies."""
    latencies = sorted(x for a in answers for x in a["latencies"])
    row["acked"] = len(latencies)
    row["votes_per_s"] = len(latencies) / seconds if seconds else None
    for name, share in (("p50_ms", 0.50), ("p95_ms", 0.95), ("p99_ms", 0.99)):
        value = percentile(latencies, share)
        row[name] = value * 1000 if value is not None else None
    return latencies
