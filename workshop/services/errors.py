"""The one error the live services raise: `LiveError(code, message, field)`, the workshop's
error (workshop/errors.py) with a code of the live protocol and the HTTP status that goes with it.

`code` is one of the protocol's error codes (docs/protocol.md, "Acknowledgements"); `message`
is a plain English explanation for logs and tests; `field` names the payload field at fault
(for `invalid`). The Socket.IO layer turns the code into a message in the socket's language.
A service that raises has changed nothing: the caller's unit of work is rolled back.
"""
from __future__ import annotations

from ..errors import WorkshopError

CODES = (
    "invalid", "forbidden", "not_joined", "not_found", "observer", "round_open",
    "round_not_open", "round_not_closed", "round_not_revealed", "explain_closed", "not_an_outlier",
    "ideas_closed", "note_required", "nothing_to_undo", "server_error",
    "database_busy", "storage_unavailable", "rate_limited",
)


# The HTTP status of a code (the rest are refusals of the request as it stands: 409).
STATUS = {"invalid": 400, "note_required": 400, "forbidden": 403, "not_joined": 403, "observer": 403,
          "not_found": 404, "rate_limited": 429, "server_error": 500,
          "database_busy": 503, "storage_unavailable": 503}


class LiveError(WorkshopError):
    def __init__(self, code: str, message: str = "", field: str | None = None):
        if code not in CODES:
            raise ValueError(f"unknown live error code {code!r}")
        super().__init__(f"{code}: {message}" if message else code, code, field=field)
        self.message = message or code
        self.status = STATUS.get(code, 409)


def invalid(field: str, message: str) -> LiveError:
    return LiveError("invalid", f"{field}: {message}", field=field)
