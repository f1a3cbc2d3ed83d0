"""What each error code says to a person, in the language of the page or socket (gettext).

One text per code of the live protocol (docs/protocol.md, "Acknowledgements"); the Socket.IO
acknowledgement (live/messages.py) and the HTTP error response (web/errors.py) both take it
from here. An error whose code has no text of its own says its kind's (workshop/errors.py).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .errors import WorkshopError

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


def code_of(error: WorkshopError) -> str:
    """The code a client is told: the error's own when it has a text, else its kind's."""
    return error.code if error.code in MESSAGES else error.kind_code


def text_of(error: WorkshopError) -> str:
    """The error's message in the current language, naming the field at fault."""
    return str(MESSAGES[code_of(error)]) % {"field": error.field or "payload"}
