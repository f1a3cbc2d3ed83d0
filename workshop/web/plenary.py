"""The plenary view: a projector page (secret link, like a group's projector) that walks the
room through the merged results of every working group, one slide at a time.

The page holds every slide and shows the one at the workshop's position; its script polls
`state.json` (position, and a digest of the slides, which reloads the page when a decision
or a settlement changed them) and sends the arrow keys as `step` (the link's key is the
credential, as for the projector; no organizer login is needed on the projector computer).
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from ..services import groups as group_service
from ..services import plenary
from ..services.units import store_of

bp = Blueprint("plenary", __name__, url_prefix="/plenary")


def _store():
    return store_of()


def _workshop(db, workshop_id: str, key: str):
    workshop = group_service.get(db, workshop_id)
    secret = current_app.config["WORKSHOP"].secret_key
    if workshop is None or not group_service.plenary_key_matches(secret, workshop, key):
        return None
    return workshop


def _not_found():
    from flask_babel import gettext as _

    return render_template("live/not_found.html", message=_(
        "This link does not open a workshop. Ask the organizer for the current link.")), 404


def _state(workshop, shown: list[dict]) -> dict:
    return {"position": plenary.position(workshop, len(shown)), "total": len(shown),
            "digest": plenary.digest(shown)}


@bp.get("/<workshop_id>/<key>")
def page(workshop_id: str, key: str):
    with _store().session() as db:
        workshop = _workshop(db, workshop_id, key)
        if workshop is None:
            return _not_found()
        shown = plenary.slides(db, workshop)
        return render_template("plenary.html", workshop=workshop, slides=shown, key=key,
                               state=_state(workshop, shown))


@bp.get("/<workshop_id>/<key>/state.json")
def state(workshop_id: str, key: str):
    with _store().session() as db:
        workshop = _workshop(db, workshop_id, key)
        if workshop is None:
            return jsonify({"error": "not_found"}), 404
        response = jsonify(_state(workshop, plenary.slides(db, workshop)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<workshop_id>/<key>/step")
def step(workshop_id: str, key: str):
    payload = request.get_json(silent=True)
    direction = payload.get("step") if isinstance(payload, dict) else None
    with _store().session() as db:
        workshop = _workshop(db, workshop_id, key)
        if workshop is None:
            return jsonify({"error": "not_found"}), 404
        shown = plenary.slides(db, workshop)
        try:
            plenary.step(workshop, direction, len(shown))
        except ValueError:
            return jsonify({"error": "bad_step", "message": "step: next, previous or first"}), 400
        return jsonify(_state(workshop, shown))
