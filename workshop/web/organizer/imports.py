"""Import a session archive from the dashboard: upload, validate whole, write whole or nothing.

The archive import (services/archive_import.py) checks the entire file before it writes a row, so a
damaged, unknown or foreign file is refused with its message and nothing is half-imported.
When the archive's session id exists here already, the upload is kept aside for a while
(in the data folder, owner-only, under a random name) so the organizer can import it as a
new session with one click, without choosing the file again.
"""
from __future__ import annotations

import os
import re
import secrets
import stat
import time
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import Regexp

from ...services.archive_import import SessionExists, import_archive
from ...exports.archive_format import MAX_ARCHIVE_BYTES, ArchiveRefused
from . import bp, guard
from .form_checks import field_errors, first_error

UPLOAD_LIMIT = MAX_ARCHIVE_BYTES  # the archive's own bound; the app's default is 2 MB
PENDING_FOLDER = "pending-imports"
PENDING_SECONDS = 3600
PENDING_NAME = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _pending_dir() -> Path:
    folder = Path(current_app.config["WORKSHOP"].data_dir) / PENDING_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _forget_old_pending(folder: Path) -> None:
    cutoff = time.time() - PENDING_SECONDS
    for path in folder.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _keep_pending(data: bytes) -> str:
    folder = _pending_dir()
    _forget_old_pending(folder)
    token = secrets.token_urlsafe(24)
    fd = os.open(folder / f"{token}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                 stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return token


def _pending_path(token: str) -> Path | None:
    if not isinstance(token, str) or not PENDING_NAME.match(token):
        return None
    path = _pending_dir() / f"{token}.json"
    return path if path.is_file() else None


def _imported(imported) -> object:
    if imported.renamed:
        flash(_("The archive was imported as a new session (new id and join code %(code)s).",
                code=imported.join_code), "info")
    else:
        flash(_("The archive was imported with its own id."), "info")
        if imported.new_join_code:
            flash(_("Its join code is used by another session here: it got the new code"
                    " %(code)s.", code=imported.join_code), "info")
    return redirect(url_for("organizer.session_page", session_id=imported.session_id))


class ArchiveForm(FlaskForm):
    """The archive file (.json, at most the archive's own bound) and whether to import it as a
    new session."""
    archive = FileField(validators=[
        FileRequired(_l("Choose an archive file (.json) exported from a workshop server.")),
        FileAllowed(["json"], _l("Choose an archive file (.json) exported from a workshop server.")),
        FileSize(UPLOAD_LIMIT, min_size=1, message=_l(
            "The file is empty or larger than %(n)d MB.", n=UPLOAD_LIMIT // (1024 * 1024)))])
    new_id = BooleanField()


class PendingForm(FlaskForm):
    """The answer about an upload kept aside: import it as a new session, or not at all."""
    pending = HiddenField(validators=[Regexp(PENDING_NAME)])
    action = SelectField(choices=["new_id", "cancel"], invalid_choice_message=_l(
        "Choose whether to import it as a new session."))


def _refused(message: str | None, status: int = 400, pending: str | None = None, errors=None):
    return render_template("organizer/import.html", error=message, pending=pending,
                           errors=errors or {}, limit_mb=UPLOAD_LIMIT // (1024 * 1024)), status


@bp.get("/import")
@guard.login_required
def import_page():
    return render_template("organizer/import.html", error=None, pending=None, errors={},
                           limit_mb=UPLOAD_LIMIT // (1024 * 1024))


@bp.post("/import")
@guard.login_required
def import_upload():
    form = ArchiveForm()
    if not form.validate_on_submit():
        return _refused(None, errors=field_errors(form))  # shown next to the file's field
    data = form.archive.data.read()
    try:
        imported = import_archive(guard.store(), data, new_id=form.new_id.data)
    except SessionExists:
        return _refused(_("A session with this archive's id exists on this server already;"
                          " nothing was imported. You can import it as a new session, with a"
                          " new id and join code."), 409, pending=_keep_pending(data))
    except ArchiveRefused as refused:
        return _refused(_("This file cannot be imported, and nothing was imported: %(why)s",
                          why=str(refused)))
    return _imported(imported)


@bp.post("/import/pending")
@guard.login_required
def import_pending():
    form = PendingForm()
    valid = form.validate_on_submit()
    path = None if form.pending.errors else _pending_path(form.pending.data)
    if path is None:
        return _refused(_("That upload is no longer kept: choose the file again."), 410)
    if not valid:  # kept as it was: the organizer may answer again
        return _refused(first_error(form), pending=form.pending.data, errors=field_errors(form))
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    if form.action.data != "new_id":
        flash(_("Nothing was imported."), "info")
        return redirect(url_for("organizer.dashboard"))
    try:
        imported = import_archive(guard.store(), data, new_id=True)
    except ArchiveRefused as refused:
        return _refused(_("This file cannot be imported, and nothing was imported: %(why)s",
                          why=str(refused)))
    return _imported(imported)


def allow_large_upload() -> None:
    """Raise the request size limit for the archive upload only (called before CSRF parsing)."""
    if request.endpoint == "organizer.import_upload":
        request.max_content_length = UPLOAD_LIMIT + 64 * 1024  # room for the form's other parts
