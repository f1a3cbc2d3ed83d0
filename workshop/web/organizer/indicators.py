"""The indicators of a session's results items, before the day: a form per indicator, a
delete button, and the import of a CSV or XLSX file filled in from the template. Thin: every
check lives in services/indicators.py and services/indicator_import.py."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...domain.indicators import results_view
from ...services import indicators as indicator_service
from ...services import sessions as session_service
from ...services.errors import LiveError
from ...services.lookups import framework_of
from ...services.indicator_import import FILE_LIMIT, ImportRefused, import_indicators, template_csv
from . import bp, guard
from .form_checks import ConfirmForm


def _page(db, workshop, error: str | None = None, status: int = 200):
    framework = framework_of(db, workshop.id)
    year = indicator_service.current_year(workshop)
    items = [(c, results_view(framework, c.code, indicator_service.rows_of(db, workshop.id, c.code), year))
             for c in framework.criteria() if framework.results_rule(c.code) is not None]
    return render_template("organizer/indicators.html", workshop=workshop, items=items, error=error,
                           years=list(indicator_service.years_of(year)),
                           limit_kb=FILE_LIMIT // 1024), status


def _workshop(db, session_id: str):
    return session_service.get(db, session_id) or abort(404)


@bp.get("/sessions/<session_id>/indicators")
@guard.login_required
def indicators_page(session_id: str):
    with guard.store().session() as db:
        return _page(db, _workshop(db, session_id))


@bp.post("/sessions/<session_id>/indicators")
@guard.login_required
def add_indicator(session_id: str):
    form = request.form
    store = guard.store()
    with store.session() as db:
        workshop = _workshop(db, session_id)
        years = indicator_service.years_of(indicator_service.current_year(workshop))
        fields = {"name": form.get("name", ""), "unit": form.get("unit", ""),
                  "direction": form.get("direction", "higher"), "target": _number(form.get("target")),
                  "values": {str(y): _number(form.get(f"y{y}")) for y in years if form.get(f"y{y}", "").strip()}}
        try:
            indicator_service.add(db, workshop, framework_of(db, workshop.id), form.get("criterion", ""), fields)
        except LiveError as error:
            db.rollback()
            return _page(db, workshop, _("This indicator was not saved: %(why)s", why=error.message), 400)
    flash(_("Indicator saved."), "info")
    return redirect(url_for("organizer.indicators_page", session_id=session_id))


@bp.post("/sessions/<session_id>/indicators/<int:indicator_id>/delete")
@guard.login_required
def delete_indicator(session_id: str, indicator_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with guard.store().session() as db:
        _workshop(db, session_id)
        indicator_service.remove(db, session_id, indicator_id)
    flash(_("Indicator removed."), "info")
    return redirect(url_for("organizer.indicators_page", session_id=session_id))


@bp.post("/sessions/<session_id>/indicators/import")
@guard.login_required
def import_indicator_file(session_id: str):
    upload = request.files.get("file")
    data = upload.read(FILE_LIMIT + 1) if upload else b""
    with guard.store().session() as db:
        workshop = _workshop(db, session_id)
        if not data:
            return _page(db, workshop, _("Choose a CSV or XLSX file made from the template."), 400)
        try:
            count = import_indicators(db, workshop, framework_of(db, workshop.id), data,
                                      upload.filename or "")
        except ImportRefused as refused:
            db.rollback()
            return _page(db, workshop, _("This file cannot be imported, and nothing was changed: %(why)s",
                                         why=str(refused)), 400)
    flash(_("%(n)d indicator(s) imported.", n=count), "info")
    return redirect(url_for("organizer.indicators_page", session_id=session_id))


@bp.get("/sessions/<session_id>/indicators/template.csv")
@guard.login_required
def indicator_template(session_id: str):
    with guard.store().session() as db:
        workshop = _workshop(db, session_id)
        data = template_csv(indicator_service.current_year(workshop))
    return Response(data, mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="indicators-template.csv"'})


def _number(text: str | None):
    """A typed number (a comma for thousands allowed); anything else is passed on to be refused."""
    if text is None or not text.strip():
        return None
    try:
        return float(text.strip().replace(",", ""))
    except ValueError:
        return text
