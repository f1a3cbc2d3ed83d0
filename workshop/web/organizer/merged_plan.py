"""The organizer's page of a workshop's merged plan: the organization plan across every group,
in rank order, each row edited in the plan of the group whose decision stands on it
(services/merged_plan.py). A plain form per row, so it needs no script; every POST carries the
blueprint's CSRF token.
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...i18n import current_language
from ...services import merge, merged_plan
from ...services import plan as plan_service
from ..plan import _reason_text as reason_text
from . import bp, guard
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


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _labels(names: list[str]) -> list[str]:
    """The plan editor's own words for its fields (templates/plan/strings.html)."""
    words = current_app.jinja_env.get_template("plan/strings.html").make_module({}).editor
    return [words.get(name, name) for name in names]


def _typed(form, prefix: str) -> dict[str, str]:
    """The row's fields as typed (a browser sends a text box's line breaks as CRLF)."""
    return {name: form[prefix + name].replace("\r\n", "\n") for name in merged_plan.EDITED
            if prefix + name in form}


@bp.post("/workshops/<workshop_id>/plan")
@guard.login_required
def merged_plan_save(workshop_id: str):
    form = request.form
    code = form.get("criterion", "")[:40]
    back = redirect(url_for("organizer.merged_plan_page", workshop_id=workshop_id,
                            _anchor=f"item-{code}"), 303)
    try:
        with guard.store().session() as db:
            done = merged_plan.edit_row(
                db, _workshop(db, workshop_id), form.get("session_id"), _int(form.get("item_id")),
                _int(form.get("version")), _typed(form, ""), _typed(form, "base_"))
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
