"""The organizer's pages for a workshop of working groups: create it, watch every group live,
settle conflicts, move the plenary view, and download the merged exports.

Thin handlers over services/groups.py, merge.py and plenary.py. The progress JSON is polled by
static/js/groups.js every few seconds; every POST carries the blueprint's CSRF token.
"""
from __future__ import annotations

import re

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from ...domain import limits
from ...exports.groups_archive import groups_archive
from ...services.export_data import read_export_data
from ...services import groups as group_service
from ...services import merge, plenary
from ...services import sessions as session_service
from ...links import request_base_url
from . import bp, forms, guard
from .form_checks import ConfirmForm, at_most, first_error, stored_lines, strip
from .downloads import attachment, available_exports, export_named
from .routes import session_form_page, usable_frameworks


@bp.get("/workshops/new")
@guard.login_required
def new_workshop():
    from ...i18n import current_language

    frameworks = forms.offer_order(usable_frameworks())
    return session_form_page(forms.WorkshopForm.blank(frameworks, current_language()),
                             frameworks, groups_mode=True)


@bp.post("/workshops")
@guard.login_required
def create_workshop():
    frameworks = forms.offer_order(usable_frameworks())
    form = forms.WorkshopForm(frameworks)
    if not form.validate_on_submit():
        return session_form_page(form, frameworks, 400, groups_mode=True)
    try:
        with guard.store().session() as db:
            workshop_id = group_service.create_workshop(
                db, form.chosen_framework, form.settings(), form.group_specs).id
    except session_service.SessionInvalid as invalid:
        return session_form_page(form, frameworks, 400, "; ".join(invalid.problems),
                                 groups_mode=True)
    flash(_("Workshop created. Hand each group its links below."), "info")
    return redirect(url_for("organizer.workshop_page", workshop_id=workshop_id))


def _workshop(db, workshop_id: str):
    return group_service.get(db, workshop_id) or abort(404)


@bp.get("/workshops/<workshop_id>")
@guard.login_required
def workshop_page(workshop_id: str):
    config = current_app.config["WORKSHOP"]
    base = request_base_url()
    with guard.store().session() as db:
        workshop = _workshop(db, workshop_id)
        links = {g.id: session_service.links(g, base, config.secret_key) for g in workshop.groups}
        found = merge.outcomes(db, workshop)
        return render_template(
            "organizer/workshop.html", workshop=workshop, links=links,
            rows=group_service.progress(db, workshop, _presence()),
            conflicts=[o for o in found if o.conflict], decided=len(found),
            plenary_link=group_service.plenary_link(workshop, base, config.secret_key),
            exports=available_exports())


def _presence():
    state = current_app.extensions.get("workshop.live")
    return state.presence.present if state is not None else (lambda session_id: None)


@bp.get("/workshops/<workshop_id>/progress.json")
@guard.login_required
def workshop_progress(workshop_id: str):
    with guard.store().session() as db:
        workshop = _workshop(db, workshop_id)
        found = merge.outcomes(db, workshop)
        response = jsonify({"groups": group_service.progress(db, workshop, _presence()),
                            "decided": len(found),
                            "conflicts": [o.code for o in found if o.conflict],
                            "unsettled": [o.code for o in found if not o.settled]})
    response.headers["Cache-Control"] = "no-store"
    return response


class SettleForm(FlaskForm):
    """The group whose decision stands on a conflicting item, and why; the service checks
    that the item is a conflict and the group one of those that decided it."""
    criterion = StringField(filters=[strip])
    session_id = StringField(filters=[strip])
    note = TextAreaField(filters=[strip], validators=[
        stored_lines,
        DataRequired(_l("Say why you chose this group's decision: a note is needed.")),
        at_most(limits.SETTLEMENT_NOTE)])


@bp.post("/workshops/<workshop_id>/settle")
@guard.login_required
def settle(workshop_id: str):
    back = redirect(url_for("organizer.workshop_page", workshop_id=workshop_id,
                            _anchor="conflicts"))
    form = SettleForm()
    with guard.store().session() as db:
        workshop = _workshop(db, workshop_id)
        if not form.validate_on_submit():
            flash(first_error(form), "error")
            return back, 303
        code = form.criterion.data
        try:
            merge.settle(db, workshop, code, form.session_id.data, form.note.data,
                         guard.current_organizer())
        except merge.SettleRefused as refused:
            messages = {"note": _("Say why you chose this group's decision: a note is needed."),
                        "not_an_option": _("Choose one of the groups that decided this item."),
                        "not_a_conflict": _("This item is not decided by two groups.")}
            flash(messages[refused.code], "error")
            return back, 303
    flash(_("Item %(code)s settled.", code=code), "info")
    return back


class PlenaryStepForm(FlaskForm):
    """The organizer's buttons that move the plenary view."""
    step = SelectField(choices=["first", *plenary.STEPS])


@bp.post("/workshops/<workshop_id>/plenary")
@guard.login_required
def plenary_step(workshop_id: str):
    form = PlenaryStepForm()
    if not form.validate_on_submit():
        abort(400)
    with guard.store().session() as db:
        workshop = _workshop(db, workshop_id)
        plenary.step(workshop, form.step.data, len(plenary.slides(db, workshop)))
    return redirect(url_for("organizer.workshop_page", workshop_id=workshop_id,
                            _anchor="plenary"))


@bp.route("/workshops/<workshop_id>/renew-plenary", methods=["GET", "POST"])
@guard.login_required
def renew_plenary(workshop_id: str):
    """Ask first, then give the plenary view a new link; the old one stops opening."""
    with guard.store().session() as db:
        workshop = _workshop(db, workshop_id)
        if ConfirmForm().validate_on_submit():
            group_service.renew_plenary_link(workshop)
            flash(_("New plenary link made; the old one no longer opens."), "info")
            return redirect(url_for("organizer.workshop_page", workshop_id=workshop_id,
                                    _anchor="plenary"))
        return render_template("organizer/renew_plenary.html", workshop=workshop)


@bp.get("/workshops/<workshop_id>/download/<kind>")
@guard.login_required
def workshop_download(workshop_id: str, kind: str):
    export, function = export_named(kind)
    with guard.store().session() as db:
        workshop = _workshop(db, workshop_id)
        try:
            merged = merge.merged_export_data(db, workshop)
        except merge.ConflictsUnsettled as unsettled:
            return render_template("organizer/error.html", unsettled=unsettled.codes,
                                   workshop_id=workshop_id), 409
        if kind == "json":
            data = groups_archive(merged, [read_export_data(db, g.id) for g in workshop.groups])
        else:
            data = function(merged, export.argument) if export.argument else function(merged)
    return attachment(data, export, merged["session"]["title"],
                      re.sub(r"[^A-Za-z0-9_-]", "_", workshop_id))
