"""The one way a `WorkshopError` that leaves a route becomes an HTTP response.

JSON `{"ok": false, "error": {"code", "message", "field"?}}` to a client that asks for JSON,
the message as plain text otherwise; the status is the error's (`workshop/errors.py`), and a
503 (busy or unwritable storage) says when to try again. Routes that show a form again with
its errors catch their refusals themselves; everything else reaches this handler.
"""
from __future__ import annotations

from flask import Flask, request

from ..error_messages import code_of, text_of
from ..errors import WorkshopError

RETRY_AFTER_SECONDS = "5"


def error_response(error: WorkshopError):
    body = {"code": code_of(error), "message": text_of(error)}
    if error.field:
        body["field"] = error.field
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if error.status == 503 else {}
    if request.accept_mimetypes.best == "application/json":
        return {"ok": False, "error": body}, error.status, headers
    return body["message"], error.status, {**headers, "Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    app.register_error_handler(WorkshopError, error_response)
