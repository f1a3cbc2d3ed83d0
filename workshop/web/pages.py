"""The live workshop's pages: the phone's join page, the facilitator's control page, the projector."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pages", __name__)
