"""Start the scale-out set on one machine: Redis, PostgreSQL, N one-worker gunicorn processes
and nginx in front, all on loopback ports (used by deploy/run-local and the scale-out test).

Every process is started in its own process group and recorded on the `Cluster`, which stops
them all at once (signalled in reverse order) and then waits for them. Nothing here needs root;
run as root, PostgreSQL runs as `postgres`.
"""
from __future__ import annotations

import os
import pwd
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER_CONNECTIONS = 10000  # sockets one gevent worker accepts
OPEN_FILES = 65536  # RLIMIT_NOFILE asked for each worker (capped by the hard limit)
START_LIMIT_SECONDS = 60
STOP_LIMIT_SECONDS = 10  # then what is left is killed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def need(program: str, package: str) -> str:
    found = shutil.which(program) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"))[-1:]), None)
    if not found:
        raise SystemExit(f"{program} not found: install it (Debian: apt-get install {package})")
    return found


def raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))


def _signal(process: subprocess.Popen, number: int) -> bool:
    """Send `number` to the process's group if it still runs; say whether it was sent."""
    if process.poll() is not None:
        return False
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        return False
    return True


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + START_LIMIT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = log.read_text(errors="replace")[-4000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}\n{text}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {START_LIMIT_SECONDS}s")


@dataclass
class Worker:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def kill(self) -> None:
        """Kill the worker at once (SIGKILL to its group), as a crash would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Cluster:
    folder: Path
    env: dict
    url: str = ""  # nginx's, once started
    workers: list[Worker] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    stops: list = field(default_factory=list)

    def spawn(self, args: list[str], log: Path, **options) -> subprocess.Popen:
        with open(log, "ab") as out:
            process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True, **options)
        self.processes.append(process)
        return process

    def start_redis(self, port: int) -> str:
        binary = need("redis-server", "redis-server")
        process = self.spawn([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(self.folder)],
                             self.folder / "redis.log")
        wait_for_port(port, process, "redis-server", self.folder / "redis.log")
        return f"redis://127.0.0.1:{port}/0"

    def start_postgres(self, port: int) -> str:
        """A throw-away cluster in folder/pg (as `postgres` when run as root)."""
        initdb, pg_ctl = need("initdb", "postgresql"), need("pg_ctl", "postgresql")
        data, options = self.folder / "pg", {}
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            options = dict(user=account.pw_uid, group=account.pw_gid, extra_groups=[])
        run = dict(check=True, capture_output=True, cwd=self.folder, **options)
        subprocess.run([initdb, "-D", str(data), "-U", "workshop", "--auth=trust",
                        "--encoding=UTF8", "--locale=C"], **run)
        subprocess.run([pg_ctl, "start", "-w", "-D", str(data), "-l", str(self.folder / "pg.log"),
                        "-o", f"-p {port} -c listen_addresses=127.0.0.1 "
                              f"-c unix_socket_directories={self.folder} -c max_connections=200"],
                       **run)
        self.stops.append(lambda: subprocess.run([pg_ctl, "stop", "-m", "fast", "-D", str(data)],
                                                 capture_output=True, cwd=self.folder, **options))
        return f"postgresql+psycopg://workshop@127.0.0.1:{port}/postgres"

    def migrate(self) -> None:
        """Bring the schema to head once, before any worker starts."""
        subprocess.run([sys.executable, "-c", "from workshop.store.db import Store; "
                        "import os; Store.open(os.environ['WORKSHOP_DATABASE_URL']).dispose()"],
                       cwd=ROOT, env=self.env, check=True)

    def start_worker(self, port: int) -> Worker:
        log = self.folder / f"worker-{port}.log"
        process = self.spawn(
            [sys.executable, "-m", "gunicorn", "--worker-class", "gevent", "--workers", "1",
             "--worker-connections", str(WORKER_CONNECTIONS), "--bind", f"127.0.0.1:{port}",
             "--graceful-timeout", "5", "--no-control-socket", "workshop.wsgi:app"],
            log, cwd=ROOT, env=self.env, preexec_fn=raise_open_files)
        wait_for_port(port, process, f"worker on port {port}", log)
        worker = Worker(port, process, log)
        self.workers.append(worker)
        return worker

    def restart_worker(self, worker: Worker) -> Worker:
        self.workers.remove(worker)
        return self.start_worker(worker.port)

    def start_nginx(self, port: int) -> None:
        from workshop.nginx import standalone

        binary = need("nginx", "nginx")
        folder = self.folder / "nginx"
        folder.mkdir(exist_ok=True)
        user = pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() == 0 else None
        conf = folder / "nginx.conf"
        conf.write_text(standalone([w.address for w in self.workers], f"127.0.0.1:{port}",
                                   str(folder), user), encoding="utf-8")
        process = self.spawn([binary, "-p", str(folder), "-e", str(folder / "error.log"),
                              "-c", str(conf)], folder / "nginx.out", preexec_fn=raise_open_files)
        wait_for_port(port, process, "nginx", folder / "error.log")
        self.url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        """Ask every process to stop at once, then wait for them: each gunicorn takes about a
        second to wind down, so one after another the waits add up."""
        stopping = [process for process in reversed(self.processes) if _signal(process, signal.SIGTERM)]
        deadline = time.monotonic() + STOP_LIMIT_SECONDS
        for process in stopping:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)
        for stop in reversed(self.stops):
            stop()
