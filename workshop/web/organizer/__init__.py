"""The organizer dashboard: login, sessions, and the links that start a workshop."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/organizer")
