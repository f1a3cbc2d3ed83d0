"""The home page: where a participant types a join code and an organizer finds the dashboard."""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template("home.html")


@bp.get("/healthz")
def health():
    return {"ok": True}
