"""The indicators of a session's results items, before the day: a form per indicator, a
delete button, and the import of a CSV or XLSX file filled in from the template. Thin: every
check of the content lives in services/indicators.py and services/indicator_import.py; the
form classes check the lengths (domain/limits.py), the direction and the file's type and size."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import SelectField, StringField

from ...domain import limits

from ...domain.indicators import results_view
from ...services import indicators as indicator_service
from ...services import sessions as session_service
from ...services.errors import LiveError
from ...services.lookups import framework_of
from ...services.indicator_import import FILE_LIMIT, ImportRefused, import_indicators, template_csv
from . import bp, guard
from .form_checks import ConfirmForm, at_most, field_errors, first_error, strip


class IndicatorForm(FlaskForm):
    """One indicator typed on the dashboard; its value per year is a field `y<year>` that
    `for_years` adds. The service checks the item, the numbers and the characters."""
    criterion = StringField(filters=[strip])
    name = StringField(filters=[strip], validators=[at_most(limits.INDICATOR_NAME)])
    unit = StringField(filters=[strip], validators=[at_most(limits.INDICATOR_UNIT)])
    direction = SelectField(choices=["higher", "lower"], default="higher", invalid_choice_message=_l(
        "Choose whether a higher or a lower value is better."))
    target = StringField(filters=[strip])

    @classmethod
    def for_years(cls, years) -> "IndicatorForm":
        class IndicatorYearsForm(cls):
            pass

        for year in years:  # FormMeta takes a field set on the class as declared in it
            setattr(IndicatorYearsForm, f"y{year}", StringField(filters=[strip]))
        form = IndicatorYearsForm()
        form.years = list(years)
        return form

    def fields(self) -> dict:
        """What the service checks, numbers read as typed (anything else passed on to be refused)."""
        typed = {str(year): self[f"y{year}"].data for year in self.years}
        return {"name": self.name.data or "", "unit": self.unit.data or "",
                "direction": self.direction.data, "target": _number(self.target.data),
                "values": {year: _number(text) for year, text in typed.items() if text}}


class IndicatorFileForm(FlaskForm):
    """A file filled in from the template: CSV, or XLSX, of at most FILE_LIMIT bytes."""
    file = FileField(validators=[
        FileRequired(_l("Choose a CSV or XLSX file made from the template.")),
        FileAllowed(["csv", "xlsx"], _l("Choose a CSV or XLSX file made from the template.")),
        FileSize(FILE_LIMIT, min_size=1, message=_l("The file is empty or larger than %(n)d KB.",
                                                     n=FILE_LIMIT // 1024))])


def _page(db, workshop, error: str | None = None, status: int = 200, errors: dict | None = None):
    framework = framework_of(db, workshop.id)
    year = indicator_service.current_year(workshop)
    items = [(c, results_view(framework, c.code, indicator_service.rows_of(db, workshop.id, c.code), year))
             for c in framework.criteria() if framework.results_rule(c.code) is not None]
    return render_template("organizer/indicators.html", workshop=workshop, items=items, error=error,
                           errors=errors or {}, years=list(indicator_service.years_of(year)),
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
    with guard.store().session() as db:
        workshop = _workshop(db, session_id)
        form = IndicatorForm.for_years(
            indicator_service.years_of(indicator_service.current_year(workshop)))
        if not form.validate_on_submit():
            return _page(db, workshop, _("This indicator was not saved: %(why)s",
                                         why=first_error(form)), 400, field_errors(form))
        try:
            indicator_service.add(db, workshop, framework_of(db, workshop.id), form.criterion.data,
                                  form.fields())
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
    form = IndicatorFileForm()
    with guard.store().session() as db:
        workshop = _workshop(db, session_id)
        if not form.validate_on_submit():
            return _page(db, workshop, first_error(form), 400, field_errors(form))
        upload = form.file.data
        try:
            count = import_indicators(db, workshop, framework_of(db, workshop.id), upload.read(),
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
