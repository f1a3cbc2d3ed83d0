"""The one place the suite's fixtures come from: an app on a temporary data folder, its test
client, its store and the CLI runner here; the others in the plugin modules registered below
(servers, browsers, databases, a small disk, the store's rooms, the live layer's screens,
the organizer's login). A test module asks for a fixture by name and imports none."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workshop import create_app, live
from workshop.config import Config
from workshop.store.db import Store

pytest_plugins = ["tests.servers", "tests.browsers", "tests.pg_server", "tests.redis_server",
                  "tests.storage", "tests.store_fixtures", "tests.live_fixtures",
                  "tests.organizer_fixtures"]


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def config(data_dir):
    return Config.from_env({}, data_dir=data_dir, async_mode="threading", testing=True)


def sqlite_file(config: Config) -> Path | None:
    """The SQLite file of a data folder's own database (None for another database)."""
    url = config.database_url
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """A data folder's database migrated to the newest version, once per run. Running every
    migration costs each new database a string of disk syncs; an app's test starts from a copy
    of this file instead (tests/test_migrations.py runs the migrations themselves)."""
    config = Config.from_env({}, data_dir=tmp_path_factory.mktemp("migrated"))
    Store.open(config.database_url).dispose()
    return sqlite_file(config)


def start_from_migrated_database(config: Config, migrated: Path) -> None:
    """Give a data folder without a database a copy of the migrated one."""
    target = sqlite_file(config)
    if target is not None and target.parent == config.data_dir and not target.exists():
        shutil.copyfile(migrated, target)


@pytest.fixture
def app(config, migrated_database):
    """The app in-process (its live layer's broadcaster is stopped afterwards), on a copy of
    the migrated database when its data folder has none yet."""
    start_from_migrated_database(config, migrated_database)
    app = create_app(config)
    yield app
    live.shutdown(app)
    app.extensions["workshop.store"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return app.extensions["workshop.store"]


@pytest.fixture(scope="module")
def module_store(tmp_path_factory):
    """A store on a data folder of its own, shared by the tests of one module: for data that is
    built once and only read (a test that changes it uses `store`)."""
    data_dir = tmp_path_factory.mktemp("module-data")
    store = Store.open(Config.from_env({}, data_dir=data_dir).database_url)
    yield store
    store.dispose()


@pytest.fixture
def runner(data_dir, monkeypatch):
    """Runs `python -m workshop` commands in-process against the temporary data folder."""
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("WORKSHOP_ASYNC_MODE", "threading")
    return CliRunner()

