"""The organizer's pages: first-visit setup, login and logout, the dashboard, a new session, its links.

Downloads, duplicate and delete, compare and import have their own modules beside this one.

Thin handlers: read the request, call an account or session service, render the result.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ... import catalog
from ...services import accounts
from ...services import sessions as session_service
from ...services.lookups import framework_of
from . import bp, form_checks, forms, guard
from .account_forms import LoginForm, SetupForm
from .form_checks import first_error
from .login_limit import client_address, login_limit
from .downloads import available_exports
from ...links import request_base_url
from ...services.dashboard import session_rows

# --- first visit, login, logout --------------------------------------------------------------


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    config = current_app.config["WORKSHOP"]
    form = SetupForm(token=request.args.get("token", ""))
    with guard.store().session() as db:
        has_account = accounts.has_account(db)
    if has_account:
        flash(_("The organizer password is already set: log in."), "info")
        return redirect(url_for("organizer.login"))
    if not accounts.setup_token_matches(config.data_dir, form.token.data or ""):
        return render_template("organizer/setup_refused.html"), 403
    error = None
    if form.is_submitted():
        if form.validate():
            with guard.store().session() as db:
                accounts.set_password(db, form.username.data, form.password.data)
            accounts.forget_setup_token(config.data_dir)
            guard.log_in(form.username.data)
            flash(_("Password set. Welcome!"), "info")
            return redirect(url_for("organizer.dashboard"))
        error = first_error(form)
    return render_template("organizer/setup.html", token=form.token.data,
                           username=form.username.data, error=error), 400 if error else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next"))
    with guard.store().session() as db:
        has_account = accounts.has_account(db)
    next_url = guard.safe_next(form.next.data)
    error, status = None, 200
    if form.validate_on_submit():
        address = client_address()
        wait = login_limit().wait_seconds(address)
        if wait:
            error, status = _("Too many failed attempts. Try again in %(n)d seconds.", n=wait), 429
        else:
            with guard.store().session() as db:
                ok = accounts.check_login(db, form.username.data, form.password.data or "")
            if ok:
                login_limit().succeeded(address)
                guard.log_in(form.username.data.strip())
                return redirect(next_url)
            login_limit().failed(address)
            error, status = _("Wrong username or password."), 401
    return render_template("organizer/login.html", error=error, username=form.username.data,
                           next_url=next_url, has_account=has_account), status


@bp.post("/logout")
def logout():
    if not form_checks.ConfirmForm().validate_on_submit():
        abort(400)
    guard.log_out()
    flash(_("You are logged out."), "info")
    return redirect(url_for("organizer.login"))


# --- dashboard and sessions ------------------------------------------------------------------


def usable_frameworks() -> list[catalog.FrameworkEntry]:
    config = current_app.config["WORKSHOP"]
    return [entry for entry in catalog.list_frameworks(config.frameworks_dir) if entry.valid]


@bp.get("")
@guard.login_required
def dashboard():
    from ...services.groups import all_workshops

    with guard.store().session() as db:
        rows = session_rows(db)
        workshops = [(w.id, w.title, len(w.groups)) for w in all_workshops(db)]
    titles = {entry.id: entry.framework.title for entry in usable_frameworks()}
    return render_template("organizer/dashboard.html", rows=rows, framework_titles=titles,
                           exports=available_exports(), workshops=workshops)


def session_form_page(form: forms.SessionForm, frameworks, status: int = 200,
                      problem: str | None = None, groups_mode: bool = False):
    """The new session (or workshop) form, with what was typed and each field's problem."""
    errors = form_checks.field_errors(form)
    if problem:
        errors["form" if not groups_mode else "groups"] = problem
    return render_template("organizer/new_session.html", values=form_checks.values_of(form),
                           errors=errors, frameworks=frameworks, groups_mode=groups_mode), status


@bp.get("/sessions/new")
@guard.login_required
def new_session():
    from ...i18n import current_language

    frameworks = forms.offer_order(usable_frameworks())
    return session_form_page(forms.SessionForm.blank(frameworks, current_language()), frameworks)


@bp.post("/sessions")
@guard.login_required
def create_session():
    frameworks = forms.offer_order(usable_frameworks())
    form = forms.SessionForm(frameworks)
    if not form.validate_on_submit():
        return session_form_page(form, frameworks, 400)
    try:
        with guard.store().session() as db:
            created = session_service.create_session(db, form.chosen_framework, form.settings())
            session_id = created.id
    except session_service.SessionInvalid as invalid:
        return session_form_page(form, frameworks, 400, "; ".join(invalid.problems))
    flash(_("Session created. Hand out the links below."), "info")
    return redirect(url_for("organizer.session_page", session_id=session_id))


@bp.get("/sessions/<session_id>")
@guard.login_required
def session_page(session_id: str):
    config = current_app.config["WORKSHOP"]
    with guard.store().session() as db:
        workshop = session_service.get(db, session_id) or abort(404)
        framework = framework_of(db, workshop.id)
        links = session_service.links(workshop, request_base_url(), config.secret_key)
        agenda = [(code, framework.criterion(code).title) for code in workshop.agenda]
        return render_template("organizer/session.html", workshop=workshop, links=links,
                               framework=framework, agenda=agenda, exports=available_exports(),
                               thresholds=session_service.thresholds(workshop))


@bp.route("/sessions/<session_id>/renew", methods=["GET", "POST"])
@guard.login_required
def renew_links(session_id: str):
    with guard.store().session() as db:
        workshop = session_service.get(db, session_id) or abort(404)
        if form_checks.ConfirmForm().validate_on_submit():
            session_service.renew_links(workshop)
            flash(_("New facilitator and projector links made; the old ones no longer open."), "info")
            return redirect(url_for("organizer.session_page", session_id=workshop.id))
        return render_template("organizer/renew.html", workshop=workshop)
