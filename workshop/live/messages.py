"""The live protocol's answers to errors, in the socket's language: the acknowledgement of a
refused event (`error_ack`, the one way a `WorkshopError` reaches a socket) and why a connection
is refused (`refusal`). The texts of the codes live in workshop/error_messages.py."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l  # the refusals below

from ..error_messages import MESSAGES, code_of
from ..errors import WorkshopError

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


def error_ack(error: WorkshopError, lang: str) -> dict:
    """`{"ok": false, "error": {"code", "message", "field"?}}` for any workshop error."""
    code = code_of(error)
    body = {"code": code, "message": message(code, lang, error.field)}
    if error.field:
        body["field"] = error.field
    return {"ok": False, "error": body}
