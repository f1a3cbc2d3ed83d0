"""Builders the tests share: a workshop session made the way the organizer dashboard makes one."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from workshop import catalog
from workshop.config import Config
from workshop.services import sessions
from workshop.services.sessions import SessionSettings
from workshop.store.db import Store
from workshop.store.models import WorkshopSession


def move_timer_back(data_dir: Path, session_id: str, seconds: int) -> None:
    """Move a running timer's start `seconds` earlier in the data folder's database (beside a
    running server), so a test sees what a screen counts without waiting for the clock."""
    config = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir)})
    store = Store.open(config.database_url)
    try:
        with store.session(write=True) as db:
            session = db.get(WorkshopSession, session_id)
            session.timer_started_at -= timedelta(seconds=seconds)
    finally:
        store.dispose()


def make_session(data_dir: Path, base_url: str = "http://127.0.0.1", framework_id: str = "pmqa-4.0",
                 database_url: str = "", **settings) -> dict:
    """Create a session in the data folder's database (or `database_url`); return its id and
    every link and key.

    Works beside a running server on the same data folder (SQLite) as well as in-process.
    """
    config = Config.from_env({"WORKSHOP_DATA_DIR": str(data_dir), "WORKSHOP_DATABASE_URL": database_url})
    store = Store.open(config.database_url)
    try:
        with store.session() as db:
            created = sessions.create_session(
                db, catalog.get_framework(framework_id), SessionSettings(**{"title": "ทดสอบ", **settings})
            )
            links = sessions.links(created, base_url, config.secret_key)
            return {
                **links,
                "id": created.id,
                "facilitator_key": sessions.link_key(config.secret_key, created, "facilitator"),
                "projector_key": sessions.link_key(config.secret_key, created, "projector"),
                "agenda": list(created.agenda),
            }
    finally:
        store.dispose()
