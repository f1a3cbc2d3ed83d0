"""The real server as a user runs it: `python -m workshop run` in a subprocess on a free loopback port."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
STARTUP_LIMIT_SECONDS = 90  # a bound for a broken server, not a speed check: a loaded CI machine is slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningServer:
    url: str
    data_dir: Path
    process: subprocess.Popen
    log_path: Path

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_server(data_dir: Path, env: dict | None = None, port: int | None = None,
                 log_dir: Path | None = None) -> RunningServer:
    """Start the server and wait until its health check answers (or fail with its output).

    Its output goes to a log in `log_dir` (by default the data folder)."""
    port = port or free_port()
    log_path = (log_dir or data_dir) / f"server-{port}.log"
    environment = {**os.environ, "WORKSHOP_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1", **(env or {})}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "workshop", "run", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
        )
    server = RunningServer(f"http://127.0.0.1:{port}", data_dir, process, log_path)
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.output()}")
        try:
            if requests.get(server.url + "/healthz", timeout=1).ok:
                return server
        except requests.ConnectionError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"server did not answer within {STARTUP_LIMIT_SECONDS}s:\n{server.output()}")


@pytest.fixture
def live_server(tmp_path):
    """A real server process on SQLite in a temporary data folder."""
    data_dir = tmp_path / "server-data"
    data_dir.mkdir()
    server = start_server(data_dir)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_live_server(tmp_path_factory):
    """One real server process for the tests of a module that each make their own session on it
    and change nothing else (a test that floods, stops or fills the server uses `live_server`)."""
    data_dir = tmp_path_factory.mktemp("server-data")
    server = start_server(data_dir)
    yield server
    server.stop()
