"""Live workshop facilitation.

`create_app(config=None)` builds the Flask app (see `workshop/app.py`). This module imports
nothing heavy: `python -m workshop run` imports it before gevent patches the standard library,
so Flask, Socket.IO and the database drivers must load only afterwards.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from .config import Config


def create_app(config: Config | None = None) -> Flask:
    from .app import create_app as build

    return build(config)
