"""The organizer account's forms, as Flask-WTF classes: the login and the first-visit setup.

Each form checks its CSRF token (as the blueprint does for every POST) and its fields; the
view shows the first problem found, in the organizer's language, and changes nothing.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import EqualTo, Length

from ...services.accounts import MIN_PASSWORD_LENGTH
from .form_checks import stored_text

DEFAULT_USERNAME = "organizer"
USERNAME_LIMIT = 80


def _username(value: str | None) -> str:
    return (value or "").strip() or DEFAULT_USERNAME


class LoginForm(FlaskForm):
    username = StringField(default=DEFAULT_USERNAME)
    password = PasswordField()
    next = HiddenField()


class SetupForm(FlaskForm):
    """The first password; its fields are checked in this order, the first problem shown."""
    token = HiddenField()
    password = PasswordField(validators=[
        EqualTo("confirm", message=_l("The two passwords differ.")),
        Length(min=MIN_PASSWORD_LENGTH,
               message=_l("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField()
    username = StringField(default=DEFAULT_USERNAME, filters=[_username], validators=[
        Length(max=USERNAME_LIMIT, message=_l("The username is too long.")), stored_text])

