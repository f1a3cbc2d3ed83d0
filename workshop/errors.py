"""The one family of errors the workshop raises on purpose, and what each kind means to a client.

Every deliberate refusal or fault is a `WorkshopError` with
- `code`: a stable word a client or test can rely on (the live protocol's codes are listed in
  services/errors.py and docs/protocol.md; a refusal may name a finer reason of its own);
- `message`: plain English for logs, the command line and tests (`str(error)` as well);
- `status`: the HTTP status it answers with; `exit_code`: the command line's exit status.

The kinds: `Refused` (input that cannot be taken; nothing was changed; also a `ValueError`),
`NotFound` (also a `LookupError`), `Unavailable` (the server cannot do it now, e.g. its
storage). Each error turns into what a client gets in exactly one place:
- a Socket.IO acknowledgement: `workshop/live/messages.py`, `error_ack`;
- an HTTP response (JSON or text): `workshop/web/errors.py`, registered for every route;
- a command-line message and exit code: `workshop/cli_errors.py`, `failure`.
This module imports nothing, so the domain, the store and the exports can raise these too.
"""
from __future__ import annotations


class WorkshopError(Exception):
    code = "server_error"
    status = 500
    exit_code = 1

    def __init__(self, message: str = "", code: str | None = None, *, field: str | None = None):
        super().__init__(message or code or self.code)
        self.message = message or code or self.code
        if code is not None:
            self.code = code
        self.field = field

    kind_code = "server_error"  # what a client that does not know `code` is told (a kind's code)


class Refused(WorkshopError, ValueError):
    """Input that cannot be taken; nothing was changed."""
    code = kind_code = "invalid"
    status = 400


class NotFound(WorkshopError, LookupError):
    code = kind_code = "not_found"
    status = 404


class Unavailable(WorkshopError):
    """The server cannot do it now (busy or unwritable storage); trying again later may work."""
    status = 503

