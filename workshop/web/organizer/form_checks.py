"""What every organizer form shares: the WTForms filters and validators the form classes use,
and reading a checked form back out for the pages (the first problem per field).

The numbers the checks use (text lengths) come from `domain/limits.py`; the messages are
gettext's (lazy: a form class is built before any request says the organizer's language).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Length, ValidationError

from ...domain.text import refusal


def strip(value):
    """A typed value without the spaces around it (a missing value stays None)."""
    return value.strip() if isinstance(value, str) else value


def stored_text(form, field) -> None:
    """One line of text, refused when it holds a control character."""
    if refusal(field.data or ""):
        raise ValidationError(_l("This text holds characters that cannot be stored."))


def stored_lines(form, field) -> None:
    """A box of several lines (line breaks and tabs kept), refused for other control characters."""
    if refusal(field.data or "", multiline=True):
        raise ValidationError(_l("This text holds characters that cannot be stored."))


def at_most(limit: int) -> Length:
    """At most `limit` characters (a number from `domain/limits.py`)."""
    return Length(max=limit, message=_l("At most %(n)d characters.", n=limit))


def field_errors(form: FlaskForm) -> dict[str, str]:
    """The first problem of each field that has one, by field name (as the templates show them)."""
    return {name: str(errors[0]) for name, errors in form.errors.items() if errors}


def values_of(form: FlaskForm) -> dict[str, str]:
    """Each field as typed (after its filters), for the page that shows the form again."""
    return {field.name: "" if field.data is None else field.data for field in form
            if field.name != "csrf_token"}


def first_error(form: FlaskForm) -> str | None:
    """The first problem of the first field that has one, in the order the class declares them."""
    for field in form:
        if field.errors:
            return str(field.errors[0])
    return None


class ConfirmForm(FlaskForm):
    """A button that only confirms (renew a link, duplicate, log out, remove): its CSRF token."""
