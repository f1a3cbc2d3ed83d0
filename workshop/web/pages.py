"""The live workshop's pages: the phone's join page, the facilitator's control page, the projector.

Each page is a skeleton that `static/js/` fills from the Socket.IO snapshot. What the script
needs to connect (session id, link key, join code, language) travels in `data-` attributes,
and its words in a JSON block (`templates/live/strings.html`): no inline script anywhere.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..services import sessions
from ..services.units import store_of
from . import qr
from ..links import request_base_url

bp = Blueprint("pages", __name__)
QR_MAX_AGE_SECONDS = 3600


def _store():
    return store_of()


def _public(session) -> dict:
    """What a page may show of a session before any socket connects (plain values)."""
    settings = session.settings or {}
    return {"id": session.id, "title": session.title, "organization": session.organization,
            "held_on": session.held_on, "language": session.language,
            "anonymous": settings.get("anonymous", True), "roles": list(settings.get("roles") or []),
            "join_code": session.join_code}


def _not_found(message: str):
    return render_template("live/not_found.html", message=message), 404


def _session_with_key(session_id: str, role: str, key: str) -> dict | None:
    secret = current_app.config["WORKSHOP"].secret_key
    with _store().session() as db:
        found = sessions.get(db, session_id)
        if found is None or not sessions.key_matches(secret, found, role, key):
            return None
        return _public(found)


@bp.get("/j/<code>")
def participant(code: str):
    with _store().session() as db:
        found = sessions.find_by_join_code(db, code)
        session = _public(found) if found is not None else None
    if session is None:
        return _not_found(_("No workshop has this code. Check the code on the screen and try again."))
    if code != session["join_code"]:
        return redirect(url_for("pages.participant", code=session["join_code"]))
    return render_template("participant.html", session=session)


@bp.get("/join")
def join():
    code = sessions.normalize_join_code(request.args.get("code", ""))
    if code is not None:
        with _store().session() as db:
            if sessions.find_by_join_code(db, code) is not None:
                return redirect(url_for("pages.participant", code=code))
    flash(_("No workshop has this code. Check the code on the screen and try again."), "error")
    return redirect(url_for("home.index"))


@bp.get("/facilitate/<session_id>/<key>")
def facilitator(session_id: str, key: str):
    session = _session_with_key(session_id, "facilitator", key)
    if session is None:
        return _not_found(_("This link does not open a workshop. Ask the organizer for the current link."))
    return render_template("facilitator.html", session=session, key=key)


@bp.get("/projector/<session_id>/<key>")
def projector(session_id: str, key: str):
    session = _session_with_key(session_id, "projector", key)
    if session is None:
        return _not_found(_("This link does not open a workshop. Ask the organizer for the current link."))
    join_url = qr.join_url(request_base_url(), session["join_code"])
    return render_template("projector.html", session=session, key=key, join_url=join_url)


@bp.get("/qr/<code>.svg")
def qr_code(code: str):
    with _store().session() as db:
        found = sessions.find_by_join_code(db, code)
        join_code = found.join_code if found is not None else None
    if join_code is None:
        abort(404)
    response = Response(qr.qr_svg(qr.join_url(request_base_url(), join_code)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = f"public, max-age={QR_MAX_AGE_SECONDS}"
    response.add_etag()
    return response.make_conditional(request)
