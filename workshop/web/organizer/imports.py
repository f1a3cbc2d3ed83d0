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

from ...services.archive_import import SessionExists, import_archive
from ...exports.archive_format import MAX_ARCHIVE_BYTES, ArchiveRefused
from . import bp, guard

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


def _refused(message: str, status: int = 400, pending: str | None = None):
    return render_template("organizer/import.html", error=message, pending=pending,
                           limit_mb=UPLOAD_LIMIT // (1024 * 1024)), status


@bp.get("/import")
@guard.login_required
def import_page():
    return render_template("organizer/import.html", error=None, pending=None,
                           limit_mb=UPLOAD_LIMIT // (1024 * 1024))


@bp.post("/import")
@guard.login_required
def import_upload():
    upload = request.files.get("archive")
    data = upload.read(UPLOAD_LIMIT + 1) if upload else b""
    if not data:
        return _refused(_("Choose an archive file (.json) exported from a workshop server."))
    new_id = request.form.get("new_id") == "1"
    try:
        imported = import_archive(guard.store(), data, new_id=new_id)
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
    path = _pending_path(request.form.get("pending", ""))
    if path is None:
        return _refused(_("That upload is no longer kept: choose the file again."), 410)
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    if request.form.get("action") != "new_id":
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
