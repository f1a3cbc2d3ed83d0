"""The plan editor over HTTP: one page and its JSON endpoints, for the organizer and the facilitator.

The same views answer under two prefixes:
- `/organizer/sessions/<sid>/plan...`: the organizer's login (cookie) authorizes, so every
  change also carries the CSRF token (header `X-CSRF-Token`, see organizer/guard.py);
- `/facilitate/<sid>/<key>/plan...`: the facilitator's secret link authorizes (no cookie, so no
  CSRF token is needed: a page that does not know the key cannot forge the request).

    GET    <prefix>                        the editor page
    GET    <prefix>/data                   the plan view (JSON; stores items for new decisions)
    PATCH  <prefix>/items/<id>             {field, value, version, base}: one field
    POST   <prefix>/items/<id>/actions     {op: add|edit|merge|drop, index|indexes, text, version, base}
    POST   <prefix>/items/<id>/move        {direction: up|down}

Answers: `{"ok": true, "item": ...}`; 409 `{"ok": false, "conflict": true, "item": current}`;
400 `{"ok": false, "error": {code, field, reason, message}}`; 401 / 404 likewise.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, generate_csrf

from ..domain.bounded_json import load_bounded
from ..domain.plan import quarter_label
from ..i18n import current_language
from ..services import plan as plan_service
from ..services import sessions
from ..services.units import store_of
from .organizer import guard

bp = Blueprint("plan", __name__)
ORGANIZER = "/organizer/sessions/<session_id>/plan"
FACILITATOR = "/facilitate/<session_id>/<key>/plan"


def _store():
    return store_of()


def _error(status: int, code: str, message: str, field: str | None = None, reason: str | None = None):
    body = {"ok": False, "error": {"code": code, "field": field, "reason": reason, "message": message}}
    return jsonify(body), status


def _reason_text(invalid: plan_service.PlanInvalid) -> str:
    limit = invalid.params.get("limit", 0)
    messages = {
        "too_long": _("At most %(n)d characters.", n=limit),
        "not_text": _("Type text here."),
        "control_characters": _("This text holds characters that cannot be stored."),
        "not_a_quarter": _("Write a fiscal quarter like Q1/2570."),
        "end_before_start": _("The end quarter comes before the start quarter."),
        "unknown_status": _("Choose a status from the list."),
        "not_boolean": _("Choose yes or no."),
        "empty": _("An action needs some text."),
        "too_many": _("At most %(n)d actions per item.", n=limit),
        "merge_needs_two": _("Choose at least two actions to merge."),
        "not_an_amount": _("Write an amount of whole baht, like 1,500,000."),
        "not_year_targets": _("Choose a level from the list for each fiscal year."),
        "unknown_year": _("Choose a level from the list for each fiscal year."),
        "unknown_level": _("Choose a level from the list for each fiscal year."),
    }
    return messages.get(invalid.reason, _("This change cannot be made."))


def _authorized(session_id: str, key: str | None, page: bool):
    """None when the caller may edit this session's plan, else the response to send."""
    if key is None:
        if guard.current_organizer() is None:
            if page:
                return redirect(url_for("organizer.login", next=request.full_path.rstrip("?")))
            return _error(401, "login_required", _("Log in again to keep editing."))
        guard.check_csrf()  # aborts 400 (CSRFError) on a change without this session's token
    secret = current_app.config["WORKSHOP"].secret_key
    with _store().session() as db:
        found = sessions.get(db, session_id)
        allowed = found is not None and (key is None or sessions.key_matches(secret, found, "facilitator", key))
    if allowed:
        return None
    if page:
        message = _("This link does not open a workshop. Ask the organizer for the current link.")
        return render_template("live/not_found.html", message=message), 404
    return _error(404, "not_found", _("This plan cannot be found."))


def _labelled(item: dict) -> dict:
    """The item with its quarters as the page's language names them (the exports' formatter)."""
    lang = current_language()
    return {**item, "quarter_labels": {name: quarter_label(item.get(name), lang, months=True)
                                       for name in plan_service.QUARTER_FIELDS}}


def _view(session_id: str) -> dict:
    with _store().session() as db:
        plan_service.materialize(db, session_id)
    with _store().session() as db:
        found = plan_service.plan_view(db, session_id)
    found["items"] = [_labelled(item) for item in found["items"]]
    return found


def _base_path(session_id: str, key: str | None) -> str:
    if key is None:
        return url_for("plan.organizer_page", session_id=session_id)
    return url_for("plan.facilitator_page", session_id=session_id, key=key)


def page(session_id: str, key: str | None = None):
    refused = _authorized(session_id, key, page=True)
    if refused is not None:
        return refused
    view = _view(session_id)
    back = (url_for("organizer.session_page", session_id=session_id) if key is None
            else url_for("pages.facilitator", session_id=session_id, key=key))
    return render_template("plan/editor.html", plan=view, base_path=_base_path(session_id, key),
                           csrf=generate_csrf() if key is None else "", back=back,
                           role="organizer" if key is None else "facilitator")


def data(session_id: str, key: str | None = None):
    refused = _authorized(session_id, key, page=False)
    return refused or jsonify({"ok": True, "plan": _view(session_id)})


def _body() -> dict | None:
    """The change asked for: a JSON object read within bounds (deep nesting, huge numbers and
    NaN are not a change anyone types), else None."""
    if not request.is_json:
        return None
    try:
        body = load_bounded(request.get_data(as_text=True))
    except ValueError:  # not JSON, or JSON beyond bounds (JsonTooLarge)
        return None
    return body if isinstance(body, dict) else None


def _edit(session_id: str, key: str | None, item_id: int, change):
    refused = _authorized(session_id, key, page=False)
    if refused is not None:
        return refused
    body = _body()
    if body is None:
        return _error(400, "invalid", _("This change cannot be made."), reason="not_json")
    try:
        with _store().session() as db:
            result = change(db, body)
    except plan_service.PlanInvalid as invalid:
        return _error(400, "invalid", _reason_text(invalid), invalid.field, invalid.reason)
    except plan_service.PlanItemNotFound:
        return _error(404, "not_found", _("This plan item no longer exists. Reload the page."))
    if isinstance(result, list):
        return jsonify({"ok": True, "order": result})
    answer = result.to_dict()
    answer["item"] = _labelled(answer["item"])
    return jsonify(answer), 200 if result.ok else 409


def _given(body: dict, name: str):
    return body[name] if name in body else plan_service._MISSING


def field(session_id: str, item_id: int, key: str | None = None):
    return _edit(session_id, key, item_id, lambda db, body: plan_service.update_field(
        db, session_id, item_id, body.get("field"), body.get("value"), version=body.get("version"),
        base=_given(body, "base")))


def actions(session_id: str, item_id: int, key: str | None = None):
    return _edit(session_id, key, item_id, lambda db, body: plan_service.change_actions(
        db, session_id, item_id, body.get("op"), version=body.get("version"), base=_given(body, "base"),
        index=body.get("index"), indexes=body.get("indexes"), text=body.get("text")))


def move(session_id: str, item_id: int, key: str | None = None):
    return _edit(session_id, key, item_id, lambda db, body: plan_service.move_item(
        db, session_id, item_id, body.get("direction")))


for _role, _prefix in (("organizer", ORGANIZER), ("facilitator", FACILITATOR)):
    bp.add_url_rule(_prefix, f"{_role}_page", page, methods=["GET"])
    bp.add_url_rule(f"{_prefix}/data", f"{_role}_data", data, methods=["GET"])
    bp.add_url_rule(f"{_prefix}/items/<int:item_id>", f"{_role}_field", field, methods=["PATCH"])
    bp.add_url_rule(f"{_prefix}/items/<int:item_id>/actions", f"{_role}_actions", actions, methods=["POST"])
    bp.add_url_rule(f"{_prefix}/items/<int:item_id>/move", f"{_role}_move", move, methods=["POST"])


@bp.errorhandler(400)
def _bad_request(error):
    if isinstance(error, CSRFError):
        return _error(400, "csrf", _("Your page has expired. Reload it and try again."))
    return _error(400, "invalid", _("This change cannot be made."))
