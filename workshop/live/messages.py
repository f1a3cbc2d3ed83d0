"""The error messages of the live protocol, one per error code, in the socket's language."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..services.errors import LiveError

MESSAGES = {
    "invalid": _l("This is not valid: %(field)s."),
    "forbidden": _l("This screen may not do that."),
    "not_joined": _l("Join the session first."),
    "not_found": _l("Not found in this session: %(field)s."),
    "observer": _l("Observers watch; they do not vote."),
    "round_open": _l("A round is open: close it first."),
    "round_not_open": _l("Voting on this criterion is closed."),
    "round_not_closed": _l("Close the round first."),
    "round_not_revealed": _l("Reveal the round first."),
    "explain_closed": _l("Reasons are not being collected for this round."),
    "not_an_outlier": _l("Your vote lies inside the room's central band: no reason is needed."),
    "ideas_closed": _l("Ideas are closed for this criterion."),
    "note_required": _l("Agreeing on another level than the proposed one needs a note."),
    "nothing_to_undo": _l("There is no decision to undo."),
    "server_error": _l("Something went wrong on the server; nothing was changed. Try again."),
    "database_busy": _l("The database is busy with another program; nothing was changed. "
                        "Wait a moment and try again."),
    "storage_unavailable": _l("The server cannot save: its data folder is full or read-only. "
                              "Nothing was changed; tell the organizer."),
    "rate_limited": _l("Too many attempts from this device; wait a minute and try again."),
}


# Why a connection is refused (docs/protocol.md, "Connecting"): what the page shows instead of
# the workshop, so it says what to do.
REFUSALS = {
    "invalid": _l("This link is incomplete. Open it again from the QR code or the organizer's page."),
    "not_found": _l("There is no workshop with this code or link; it may have ended or been deleted."),
    "forbidden": _l("This link is no longer valid. Ask the organizer for the current link."),
    "server_error": _l("The server could not open the workshop. Reload the page in a moment."),
    "rate_limited": _l("Too many wrong codes from this device or network. Wait a minute, then scan "
                       "the QR code again."),
}


def default_language() -> str:
    """The language of a socket that has not said its own (WORKSHOP_LANGUAGE, via the settings)."""
    return current_app.config["WORKSHOP"].default_language


def refusal(code: str, lang: str) -> str:
    """Why a connection is refused, in `lang` (a code without its own text reads as `invalid`)."""
    with force_locale(lang):
        return str(REFUSALS.get(code, REFUSALS["invalid"]))


@lru_cache(maxsize=1024)  # a flood of refusals must cost next to nothing
def message(code: str, lang: str, field: str | None = None) -> str:
    """The message of an error code in `lang` ("th" or "en"), naming the field at fault."""
    with force_locale(lang):
        return str(MESSAGES[code]) % {"field": field or "payload"}


def error_ack(error: LiveError, lang: str) -> dict:
    body = {"code": error.code, "message": message(error.code, lang, error.field)}
    if error.field:
        body["field"] = error.field
    return {"ok": False, "error": body}
