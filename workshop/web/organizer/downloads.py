"""The dashboard's export downloads: one route, a small table of format -> export function.

Each download is the same bytes the `export` command writes, sent as an attachment. Its file
name is the session's title (Thai kept, through RFC 5987 `filename*`) with an ASCII fallback
made of the session id, so every browser saves something sensible and nothing in a title can
break the header or reach another folder. DOCX and PDF are offered when their export modules
are installed in this tree (looked up at request time, so a missing or broken one hides only
its own button). Rendering runs in the export process (exports/worker.py), never on the server's
event loop: a PDF no longer stalls the phones. An export that runs past its time limit
(`WORKSHOP_EXPORT_TIMEOUT`) is stopped and the organizer gets a page that says so (503).
"""
from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

from flask import Response, abort, current_app, render_template
from flask_babel import lazy_gettext as _l

from ...exports import worker
from ...services.export_data import SessionNotFound, read_export_data
from . import bp, guard

TITLE_CHARS = 80
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


@dataclass(frozen=True)
class Export:
    key: str  # in the URL
    label: Any  # lazy translated text
    module: str  # inside workshop.exports
    function: str
    argument: Any  # a second argument: the CSV's plan or votes, the Word plan's Thai digits
    mimetype: str
    extension: str
    suffix: str  # added to the file name, e.g. "-votes"


EXPORTS = (
    Export("json", _l("Archive (JSON)"), "archive", "export_archive", None,
           "application/json", "json", ""),
    Export("csv-plan", _l("Plan (CSV)"), "csv_export", "export_csv", "plan",
           "text/csv; charset=utf-8", "csv", "-plan"),
    Export("csv-votes", _l("Votes (CSV)"), "csv_export", "export_csv", "votes",
           "text/csv; charset=utf-8", "csv", "-votes"),
    Export("csv-checklist", _l("Checklist lines (CSV)"), "csv_export", "export_csv", "checklist",
           "text/csv; charset=utf-8", "csv", "-checklist"),
    Export("xlsx", _l("Workbook (Excel)"), "xlsx", "export_xlsx", None,
           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", ""),
    Export("docx", _l("Plan (Word)"), "docx_export", "export_docx", None,
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", ""),
    Export("docx-thai-digits", _l("Plan (Word, Thai digits)"), "docx_export", "export_docx", True,
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx",
           "-thai-digits"),
    Export("pdf", _l("Report (PDF)"), "pdf_export", "export_pdf", None,
           "application/pdf", "pdf", ""),
)


def _function(export: Export) -> Callable[..., bytes] | None:
    try:
        module = importlib.import_module(f"workshop.exports.{export.module}")
    except ImportError:
        return None
    function = getattr(module, export.function, None)
    return function if callable(function) else None


def export_named(kind: str) -> tuple[Export, Callable[..., bytes]]:
    """The export with that URL key and its function; 404 when this server offers none."""
    export = next((e for e in EXPORTS if e.key == kind), None)
    function = _function(export) if export else None
    if function is None:
        abort(404)
    return export, function


def available_exports() -> list[Export]:
    """The formats this server can produce, in the order the dashboard offers them."""
    return [export for export in EXPORTS if _function(export) is not None]


def safe_title(title: str) -> str:
    """A file-name stem from a title: no path separators, control or reserved characters."""
    text = unicodedata.normalize("NFC", title or "")
    text = UNSAFE.sub(" ", text)
    text = " ".join(text.split())[:TITLE_CHARS].strip(" .")
    return text


def content_disposition(stem: str, fallback_stem: str, extension: str) -> str:
    """`attachment` with an ASCII `filename` and the full UTF-8 `filename*` (RFC 5987/6266)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", fallback_stem) or "session"
    full = f"{stem or fallback}.{extension}"
    return (f'attachment; filename="{fallback}.{extension}"; '
            f"filename*=UTF-8''{quote(full, safe='')}")


@bp.get("/sessions/<session_id>/download/<kind>")
@guard.login_required
def download(session_id: str, kind: str):
    export, function = export_named(kind)
    try:
        with guard.store().session() as db:
            export_data = read_export_data(db, session_id)
    except SessionNotFound:
        abort(404)
    try:
        data = worker.render(export.module, export.function, export.argument, export_data,
                             current_app.config["WORKSHOP"].export_timeout)
    except worker.ExportTimedOut:
        return render_template("organizer/error.html", export_timed_out=True,
                               seconds=current_app.config["WORKSHOP"].export_timeout), 503
    return attachment(data, export, export_data["session"]["title"], session_id)


def attachment(data: bytes, export: Export, title: str, fallback_stem: str) -> Response:
    """The export's bytes as a download named after `title` (the id-based stem as fallback)."""
    response = Response(data, content_type=export.mimetype)
    response.headers["Content-Disposition"] = content_disposition(
        f"{safe_title(title)}{export.suffix}" if safe_title(title) else "",
        f"{fallback_stem}{export.suffix}", export.extension)
    response.headers["Cache-Control"] = "private, no-store"
    return response
