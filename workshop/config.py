"""Configuration from the environment, with safe defaults.

Every setting the server knows is a field of `Config`, read by `Config.from_env()` for the
server, the WSGI entry point and the CLI commands; this module is the only reader of the
environment. `workshop/__main__.py` asks `async_mode_from_env()` before anything else is
imported, because gevent must patch the standard library first. The secret key is `WORKSHOP_SECRET_KEY`, else a
file in the data folder (`secret_key`, created on first use); the app also hands it to Flask
as `SECRET_KEY`. Tests build a `Config` directly or pass overrides.
"""
from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "sessions"
SECRET_KEY_FILE = "secret_key"
ASYNC_MODES = ("gevent", "threading")
# The longest an export may render before its process is killed: a PDF of a whole PMQA
# session takes seconds; a minute leaves a slow laptop room to spare.
EXPORT_TIMEOUT_SECONDS = 60.0


def async_mode_from_env(environ: dict | None = None) -> str:
    """The Socket.IO async mode asked for (`python -m workshop run` needs it before gevent
    patches the standard library; this module imports nothing that patching would miss)."""
    env = os.environ if environ is None else environ
    return env.get("WORKSHOP_ASYNC_MODE", "gevent")


@dataclass(frozen=True)
class Config:
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    public_url: str = ""
    secret_key: str = ""
    redis_url: str = ""
    async_mode: str = "gevent"
    default_language: str = "th"
    export_timeout: float = EXPORT_TIMEOUT_SECONDS
    testing: bool = False

    @classmethod
    def from_env(cls, environ: dict | None = None, **overrides) -> "Config":
        env = os.environ if environ is None else environ
        values = dict(
            data_dir=Path(env.get("WORKSHOP_DATA_DIR") or DEFAULT_DATA_DIR),
            database_url=env.get("WORKSHOP_DATABASE_URL", ""),
            public_url=env.get("WORKSHOP_PUBLIC_URL", "").rstrip("/"),
            secret_key=env.get("WORKSHOP_SECRET_KEY", ""),
            redis_url=env.get("WORKSHOP_REDIS_URL", ""),
            async_mode=async_mode_from_env(env),
            default_language=env.get("WORKSHOP_LANGUAGE", "th"),
            export_timeout=_seconds(env, "WORKSHOP_EXPORT_TIMEOUT", EXPORT_TIMEOUT_SECONDS),
        )
        values.update(overrides)
        return cls(**values).resolved()

    def resolved(self) -> "Config":
        """Fill in what derives from the data folder: database URL and secret key."""
        if self.async_mode not in ASYNC_MODES:
            raise ValueError(f"WORKSHOP_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}")
        data_dir = Path(self.data_dir).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        database_url = self.database_url or f"sqlite:///{data_dir / 'workshop.sqlite3'}"
        secret_key = self.secret_key or load_or_create_secret_key(data_dir)
        return replace(self, data_dir=data_dir, database_url=database_url, secret_key=secret_key)

    @property
    def rate_limit_storage(self) -> str:
        """Where the `limits` library counts (live events, joins, organizer logins): Redis,
        shared by every worker, when one is configured; this process's memory otherwise."""
        return self.redis_url or "memory://"

    @property
    def frameworks_dir(self) -> Path:
        """Where organizations drop their own framework files."""
        return Path(self.data_dir) / "frameworks"


def _seconds(env, name: str, default: float) -> float:
    """A positive number of seconds from the environment, or a clear error naming the variable."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, not {raw!r}")
    return value


def load_or_create_secret_key(data_dir: Path) -> str:
    """Return the secret key stored in the data folder, creating it (owner-only) on first use."""
    return read_or_create_private_token(Path(data_dir) / SECRET_KEY_FILE, 48)


def read_or_create_private_token(path: Path, nbytes: int) -> str:
    """Read a random token kept in a file readable by its owner only, creating it when absent."""
    try:
        token = path.read_text(encoding="ascii").strip()
        if token:
            return token
    except FileNotFoundError:
        pass
    token = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(token)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return token
