"""Duplicating a session as next year's template, and deleting a session, or a whole workshop
of working groups, after a confirmation.

Deleting asks first: the page says what goes with it, and the organizer types the session's
join code (a workshop's title), so a click on the wrong row deletes nothing. The POST also carries the CSRF token
(checked for the whole blueprint, and again by the form class).
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField

from ...services import groups as group_service
from ...services import sessions as session_service
from . import bp, guard
from .form_checks import ConfirmForm


@bp.post("/sessions/<session_id>/duplicate")
@guard.login_required
def duplicate_session(session_id: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with guard.store().session() as db:
        source = session_service.get(db, session_id) or abort(404)
        copy = session_service.duplicate_session(db, source, _("(copy)"))
        new_id = copy.id
    flash(_("A new session was made from it, with the same framework, agenda, settings and roles,"
            " and no participants or results. Set its date and title, then hand out its links."),
          "info")
    return redirect(url_for("organizer.session_page", session_id=new_id))


class DeleteSessionForm(FlaskForm):
    """The confirmation: the session's join code as typed (None when it cannot be a code)."""
    join_code = StringField(filters=[session_service.normalize_join_code])


class DeleteWorkshopForm(FlaskForm):
    """The confirmation of a workshop's delete: its title as typed."""
    title = StringField()


@bp.route("/sessions/<session_id>/delete", methods=["GET", "POST"])
@guard.login_required
def delete_session(session_id: str):
    with guard.store().session() as db:
        workshop = session_service.get(db, session_id) or abort(404)
        error, form = None, DeleteSessionForm()
        if form.validate_on_submit():
            if form.join_code.data == workshop.join_code:
                title = workshop.title
                session_service.delete_session(db, workshop.id)
                flash(_("“%(title)s” was deleted, with its participants, votes, decisions, ideas"
                        " and plan. Its links no longer open.", title=title), "info")
                return redirect(url_for("organizer.dashboard"))
            error = _("That is not this session's join code: nothing was deleted.")
        counts = session_service.what_a_delete_removes(db, workshop.id)
        return render_template("organizer/delete.html", workshop=workshop, counts=counts,
                               error=error), 400 if error else 200


def typed_title_matches(typed: object, title: str) -> bool:
    """The confirmation of a workshop's delete: its title typed again (spaces not counted)."""
    return isinstance(typed, str) and "".join(typed.split()) == "".join(title.split())


@bp.route("/workshops/<workshop_id>/delete", methods=["GET", "POST"])
@guard.login_required
def delete_workshop(workshop_id: str):
    with guard.store().session() as db:
        workshop = group_service.get(db, workshop_id) or abort(404)
        error, form = None, DeleteWorkshopForm()
        if form.validate_on_submit():
            if typed_title_matches(form.title.data, workshop.title):
                title = workshop.title
                group_service.delete_workshop(db, workshop.id)
                flash(_("“%(title)s” was deleted with all its working groups: their participants,"
                        " votes, decisions, ideas and plans, and the settlements. Their links no"
                        " longer open.", title=title), "info")
                return redirect(url_for("organizer.dashboard"))
            error = _("That is not this workshop's title: nothing was deleted.")
        counts = session_service.what_a_delete_removes(db, *[group.id for group in workshop.groups])
        return render_template("organizer/delete_workshop.html", workshop=workshop,
                               counts=counts, error=error), 400 if error else 200
