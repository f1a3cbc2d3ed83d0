"""Shared fixtures: an app on a temporary data folder, its test client, and the CLI runner."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from workshop import create_app
from workshop.config import Config

pytest_plugins = ["tests.servers", "tests.browsers", "tests.pg_server", "tests.redis_server"]


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def config(data_dir):
    return Config.from_env({}, data_dir=data_dir, async_mode="threading", testing=True)


@pytest.fixture
def app(config):
    app = create_app(config)
    yield app
    app.extensions["workshop.store"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return app.extensions["workshop.store"]


@pytest.fixture
def runner(data_dir, monkeypatch):
    """Runs `python -m workshop` commands in-process against the temporary data folder."""
    monkeypatch.setenv("WORKSHOP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("WORKSHOP_ASYNC_MODE", "threading")
    return CliRunner()

