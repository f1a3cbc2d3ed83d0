"""The organizer dashboard: login, sessions, and the links that start a workshop.

`guard` holds the login and CSRF rules (Flask-Login, Flask-WTF), `login_limit` the login
throttle (`limits`); `routes` the pages; `account_forms` the login and setup forms; `forms`
the new session and workshop forms; `form_checks` what every form class shares; `downloads`
sends the exports; `manage` duplicates and deletes sessions; `compare` sets two sessions side
by side; `imports` restores an archive; `indicators` holds the results items' indicators.
What the dashboard lists is counted in services/dashboard.py.

A new POST here: its view is `@guard.login_required` (Flask-Login); its form carries
`<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">` (Flask-WTF's template
global; a script sends the header `X-CSRF-Token` instead), which `_check_csrf` below demands of
every POST, PUT, PATCH and DELETE of the blueprint. Every POST is read through a `FlaskForm`
class, never from `request.form` (a bare confirmation: `form_checks.ConfirmForm`): it checks
lengths (domain/limits.py), choices and uploads, and its errors are shown beside the fields;
what a service checks (a criterion, a number, a group) is handed to that service as typed, so
each rule stays in one place.
"""
from __future__ import annotations

from flask import Blueprint, Flask, render_template
from flask_wtf.csrf import CSRFError

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


def init_app(app: Flask) -> None:
    """The login session, the CSRF tokens and the login throttle, bound to the app."""
    from . import guard, login_limit

    guard.init_app(app)
    login_limit.init_app(app)


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
    from .guard import current_organizer

    return {"organizer": current_organizer()}  # `csrf_token()` is Flask-WTF's template global


@bp.errorhandler(400)
def _bad_request(error):
    expired = isinstance(error, CSRFError)
    return render_template("organizer/error.html", expired=expired), 400


@bp.errorhandler(413)
def _too_large(error):
    return render_template("organizer/error.html", too_large=True), 413


@bp.errorhandler(404)
def _not_found(error):
    return render_template("organizer/error.html", missing=True), 404


# register the views
from . import compare, downloads, groups, imports, indicators, manage, merged_plan, routes  # noqa: E402,F401
