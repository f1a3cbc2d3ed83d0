"""A real PostgreSQL server that the test suite starts itself, once per test session.

Fixtures:
- `postgresql_server` (session): starts a throw-away cluster with Debian's (or PATH's)
  initdb/pg_ctl in a temporary folder, listening on a free loopback TCP port and on a unix
  socket inside that folder; stops it and removes the folder at the end.
- `postgresql_url` (session): the SQLAlchemy URL of the server's maintenance database.
- `fresh_postgresql_url` (function): a new, empty database for one test, dropped after it.
- `backend_url` (function, parametrized): an empty SQLite file and an empty PostgreSQL
  database in turn; the PostgreSQL case carries the `postgres` marker.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
`postgres` user (or `nobody`), owning its temporary folder. Missing binaries make the
fixture FAIL with a message saying what to install: CI installs postgresql.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "workshop"
UNPRIVILEGED_USERS = ("postgres", "nobody")
# Stops the server and removes its folder if the test process dies without its teardown
# (killed by a timeout, a crash): $1 test process id, $2 pg_ctl, $3 data folder, $4 folder.
WATCHDOG = (
    'while [ -d "/proc/$1" ] || kill -0 "$1" 2>/dev/null; do sleep 1; done; '
    '"$2" stop -m immediate -D "$3" >/dev/null 2>&1; rm -rf "$4"'
)
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c max_connections=100 -c listen_addresses=127.0.0.1"
)


def find_postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH first, then the newest Debian version."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    folders = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    folders = [f for f in folders if (f / "pg_ctl").exists()]
    folders.sort(key=_major_version)
    return folders[-1] if folders else None


def _major_version(bin_dir: Path) -> int:
    name = bin_dir.parent.name
    return int(name) if name.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_account() -> pwd.struct_passwd | None:
    """Who runs the server: None for the current user, or an unprivileged account for root."""
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    pytest.fail("running as root but found no unprivileged user (postgres, nobody) for PostgreSQL")


@dataclass
class PostgresServer:
    bin_dir: Path
    folder: Path
    port: int
    account: pwd.struct_passwd | None
    _numbers = itertools.count(1)

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def log_path(self) -> Path:
        return self.folder / "server.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _as_server_user(self) -> dict:
        options = dict(cwd=self.folder, env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C",
            "HOME": str(self.folder),
        })
        if self.account is not None:
            options.update(user=self.account.pw_uid, group=self.account.pw_gid, extra_groups=[])
        return options

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin_dir / program), *args], capture_output=True, text=True, timeout=120,
            **self._as_server_user(),
        )

    def start_watchdog(self) -> subprocess.Popen:
        """A shell that cleans up after the test process, should that die abruptly."""
        arguments = [str(os.getpid()), str(self.bin_dir / "pg_ctl"), str(self.data_dir),
                     str(self.folder)]
        return subprocess.Popen(
            ["/bin/sh", "-c", WATCHDOG, "pg-watchdog", *arguments], start_new_session=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            **self._as_server_user(),
        )

    def check(self, result: subprocess.CompletedProcess, what: str) -> None:
        if result.returncode != 0:
            log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
            pytest.fail(f"PostgreSQL {what} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> None:
        self.check(self.run("initdb", "-D", str(self.data_dir), "-U", SUPERUSER,
                            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"),
                   "initdb")
        options = f"{SERVER_OPTIONS} -p {self.port} -c unix_socket_directories={self.folder}"
        self.check(self.run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data_dir),
                            "-l", str(self.log_path), "-o", options), "start")

    def stop(self) -> None:
        self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir))

    def create_database(self) -> str:
        name = f"test_{os.getpid()}_{next(self._numbers)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             dbname="postgres", autocommit=True) as connection:
            connection.execute(sql)


def _make_folder(account: pwd.struct_passwd | None) -> Path:
    # Not under pytest's tmp_path: its parents are root-only, and a unix socket path
    # must stay short.
    folder = Path(tempfile.mkdtemp(prefix="workshop-pg-"))
    if account is not None:
        os.chown(folder, account.pw_uid, account.pw_gid)
    return folder


@pytest.fixture(scope="session")
def postgresql_server():
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH nor in "
            "/usr/lib/postgresql/*/bin: install them (Debian: apt-get install postgresql)"
        )
    account = _server_account()
    server = PostgresServer(bin_dir, _make_folder(account), _free_port(), account)
    watchdog = server.start_watchdog()
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
        watchdog.kill()
        watchdog.wait()


@pytest.fixture(scope="session")
def postgresql_url(postgresql_server) -> str:
    return postgresql_server.url()


@pytest.fixture
def fresh_postgresql_url(postgresql_server):
    name = postgresql_server.create_database()
    yield postgresql_server.url(name)
    postgresql_server.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workshop.sqlite3'}"
    return request.getfixturevalue("fresh_postgresql_url")
