"""The organizer's page of a workshop's merged plan: the organization plan across every group,
in rank order, each row edited in the plan of the group whose decision stands on it
(services/merged_plan.py). A plain form per row, so it needs no script; every POST carries the
blueprint's CSRF token.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField

from ...i18n import current_language
from ...services import merge, merged_plan
from ...services import plan as plan_service
from ..plan import _reason_text as reason_text
from . import bp, guard
from .form_checks import strip
from .groups import _workshop


@bp.get("/workshops/<workshop_id>/plan")
@guard.login_required
def merged_plan_page(workshop_id: str):
    with guard.store().session() as db:
        merged_plan.materialize_all(db, _workshop(db, workshop_id))
    with guard.store().session() as db:
        workshop = _workshop(db, workshop_id)
        try:
            shown = merged_plan.rows(db, workshop, current_language())
        except merge.ConflictsUnsettled as unsettled:
            return render_template("organizer/error.html", unsettled=unsettled.codes,
                                   workshop_id=workshop_id), 409
        return render_template("organizer/merged_plan.html", workshop=workshop, rows=shown,
                               fields=merged_plan.EDITED)


def _labels(names: list[str]) -> list[str]:
    """The plan editor's own words for its fields (templates/plan/strings.html)."""
    words = current_app.jinja_env.get_template("plan/strings.html").make_module({}).editor
    return [words.get(name, name) for name in names]


class MergedRowForm(FlaskForm):
    """One row of the merged plan: which group's item, at which version, its fields as typed
    and as the page showed them (`base_<field>`). The plan service checks each value (the one
    rule the plan editor uses too); a field the page did not send is left as it is."""
    criterion = StringField(filters=[strip])
    session_id = StringField()
    item_id = IntegerField()
    version = IntegerField()

    def typed(self, prefix: str = "") -> dict[str, str]:
        """The row's fields as sent (a browser sends a text box's line breaks as CRLF)."""
        return {name: (self[prefix + name].data or "").replace("\r\n", "\n")
                for name in merged_plan.EDITED if self[prefix + name].raw_data}


for _name in merged_plan.EDITED:
    setattr(MergedRowForm, _name, StringField())
    setattr(MergedRowForm, f"base_{_name}", StringField())


@bp.post("/workshops/<workshop_id>/plan")
@guard.login_required
def merged_plan_save(workshop_id: str):
    form = MergedRowForm()
    code = (form.criterion.data or "")[:40]
    back = redirect(url_for("organizer.merged_plan_page", workshop_id=workshop_id,
                            _anchor=f"item-{code}"), 303)
    try:
        if not form.validate_on_submit():  # an item or version that is not a number
            raise plan_service.PlanItemNotFound("no such item")
        with guard.store().session() as db:
            done = merged_plan.edit_row(
                db, _workshop(db, workshop_id), form.session_id.data, form.item_id.data,
                form.version.data, form.typed(), form.typed("base_"))
    except plan_service.PlanItemNotFound:
        flash(_("This plan item no longer exists. Reload the page."), "error")
        return back
    except plan_service.PlanInvalid as invalid:
        flash(_("Item %(code)s was not saved: %(message)s", code=code,
                message=reason_text(invalid)), "error")
        return back
    if done.conflicts:
        flash(_("Item %(code)s: someone else changed %(fields)s meanwhile; their version is shown."
                " Your other changes were saved.", code=code, fields=", ".join(_labels(done.conflicts))),
              "error")
    elif done.saved:
        flash(_("Item %(code)s saved in its group's plan.", code=code), "info")
    return back
