"""The organizer dashboard: login, sessions, and the links that start a workshop.

`guard` holds the login, CSRF and throttle rules; `routes` the pages; `forms` reads the new
session form; `downloads` sends the exports; `manage` duplicates and deletes sessions;
`compare` sets two sessions side by side; `imports` restores an archive; `indicators` holds
the results items' indicators. What the dashboard
lists is counted in services/dashboard.py.
"""
from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.before_request
def _upload_limit():
    from .imports import allow_large_upload

    allow_large_upload()  # before the CSRF check reads the form


@bp.before_request
def _check_csrf():
    from .guard import check_csrf

    check_csrf()


@bp.context_processor
def _organizer_helpers() -> dict:
    from .guard import csrf_token, current_organizer

    return {"csrf_token": csrf_token, "organizer": current_organizer()}


@bp.errorhandler(400)
def _bad_request(error):
    expired = getattr(error, "description", "") == "csrf"
    return render_template("organizer/error.html", expired=expired), 400


@bp.errorhandler(413)
def _too_large(error):
    return render_template("organizer/error.html", too_large=True), 413


@bp.errorhandler(404)
def _not_found(error):
    return render_template("organizer/error.html", missing=True), 404


# register the views
from . import compare, downloads, groups, imports, indicators, manage, merged_plan, routes  # noqa: E402,F401
