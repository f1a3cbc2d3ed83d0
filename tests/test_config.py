"""Configuration comes from the environment, with safe defaults and a secret key kept on disk."""
import re
import stat
from pathlib import Path

import pytest

from workshop.config import Config, async_mode_from_env


def test_a_bare_environment_keeps_everything_in_the_data_folder(data_dir):
    config = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)})
    assert config.data_dir == data_dir.resolve()
    assert config.database_url == f"sqlite:///{data_dir.resolve() / 'workshop.sqlite3'}"
    assert config.frameworks_dir == data_dir.resolve() / "frameworks"
    assert config.public_url == "" and config.redis_url == ""
    assert config.async_mode == "gevent"


def test_the_environment_names_the_database_public_url_and_queue(data_dir):
    config = Config.from_env({
        "WORKSHOP_DATA_DIR": str(data_dir),
        "WORKSHOP_DATABASE_URL": "postgresql://db.example/workshop",
        "WORKSHOP_PUBLIC_URL": "https://workshop.example.go.th/",
        "WORKSHOP_REDIS_URL": "redis://127.0.0.1:6379/0",
        "WORKSHOP_SECRET_KEY": "from-the-environment",
    })
    assert config.database_url == "postgresql://db.example/workshop"
    assert config.public_url == "https://workshop.example.go.th"
    assert config.redis_url == "redis://127.0.0.1:6379/0"
    assert config.secret_key == "from-the-environment"
    assert not (data_dir / "secret_key").exists()


def test_a_generated_secret_key_is_private_to_its_owner_and_survives_a_restart(data_dir):
    first = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)})
    key_file = data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= 40
    second = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)})
    assert second.secret_key == first.secret_key


def test_two_data_folders_never_share_a_secret_key(tmp_path):
    one = Config.from_env({"WORKSHOP_DATA_DIR": str(tmp_path / "one")})
    two = Config.from_env({"WORKSHOP_DATA_DIR": str(tmp_path / "two")})
    assert one.secret_key != two.secret_key


def test_an_unknown_async_mode_is_refused_with_the_choices(data_dir):
    with pytest.raises(ValueError, match="gevent, threading"):
        Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_ASYNC_MODE": "eventlet"})


def test_the_export_time_limit_is_a_positive_number_of_seconds(data_dir):
    assert Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)}).export_timeout == 60
    assert Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir),
                            "WORKSHOP_EXPORT_TIMEOUT": "150"}).export_timeout == 150
    for wrong in ("a minute", "0", "-5", "nan", "inf"):
        with pytest.raises(ValueError, match="WORKSHOP_EXPORT_TIMEOUT"):
            Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_EXPORT_TIMEOUT": wrong})


WORKSHOP = Path(__file__).resolve().parent.parent / "workshop"


def _modules():
    return [(path, path.read_text(encoding="utf-8")) for path in sorted(WORKSHOP.rglob("*.py"))]


def test_the_settings_are_the_only_reader_of_the_environment():
    readers = [path.relative_to(WORKSHOP) for path, text in _modules()
               if re.search(r"os\.environ|os\.getenv|getenv\(", text) and path.name != "config.py"]
    assert readers == []


def test_the_secret_key_has_one_path_from_the_settings():
    readers = [path.relative_to(WORKSHOP) for path, text in _modules()
               if 'config["SECRET_KEY"]' in text]
    assert readers == []


def test_the_async_mode_that_decides_patching_is_the_one_the_settings_use(data_dir):
    assert async_mode_from_env({}) == "gevent"
    environ = {"WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_ASYNC_MODE": "threading"}
    assert async_mode_from_env(environ) == Config.from_env(environ).async_mode == "threading"
