"""The "new session" form as a Flask-WTF class: its defaults, its checks, and the
`SessionSettings` it yields. The workshop of working groups adds its groups (`WorkshopForm`).

Every problem is reported at once, in the organizer's language, next to the value typed, so
the organizer fixes them all in one go. Nothing is created while a problem remains.
"""
from __future__ import annotations

import math
import re
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from ...catalog import FrameworkEntry
from ...domain import limits
from ...domain.consensus import DEFAULT_MAX_IQR, DEFAULT_MIN_ADJACENT_SHARE, Thresholds
from ...domain.dates import DateInvalid, bangkok_day, parse_day, utcnow
from ...domain.framework import Framework
from ...domain.session_settings import MAX_ROLES, RESULTS_MODES, ROLE_LIMIT
from ...services.groups import GroupSpec
from ...services.sessions import SessionSettings
from .form_checks import at_most, stored_lines, stored_text, strip

DEFAULT_ROLES = {"th": ("ผู้บริหาร", "หัวหน้างาน", "เจ้าหน้าที่"),
                 "en": ("Executive", "Manager", "Staff")}
FIRST_OFFERED = "pmqa-4.0"


def split_codes(text: str) -> list[str]:
    """Criterion codes typed with commas, spaces or new lines between them."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def split_roles(text: str) -> list[str]:
    """One role per line (commas also separate); blank lines dropped."""
    return [role.strip() for role in re.split(r"[\n,]+", text or "") if role.strip()]


def offer_order(frameworks: list[FrameworkEntry]) -> list[FrameworkEntry]:
    """The frameworks as the form offers them: PMQA 4.0 first (what Thai agencies assess
    against), then the others in the catalog's order."""
    return sorted(frameworks, key=lambda entry: entry.id != FIRST_OFFERED)


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _levels(form, field) -> None:
    if field.data and (_number(field.data) is None or _number(field.data) < 0):
        raise ValidationError(_l("A number of levels, 0 or more."))


def _percentage(form, field) -> None:
    if field.data and (_number(field.data) is None or not 0 <= _number(field.data) <= 100):
        raise ValidationError(_l("A percentage from 0 to 100."))


def _roles(form, field) -> None:
    roles = split_roles(field.data)
    if len(roles) > MAX_ROLES or any(len(role) > ROLE_LIMIT for role in roles):
        raise ValidationError(_l("At most %(count)d roles, each of at most %(n)d characters.",
                                 count=MAX_ROLES, n=ROLE_LIMIT))
    if len(set(roles)) != len(roles):
        raise ValidationError(_l("A role appears twice."))


class SessionForm(FlaskForm):
    """The new session; `frameworks` are the usable ones, in `offer_order`."""
    title = StringField(filters=[strip], validators=[
        stored_text, DataRequired(_l("A session needs a title.")), at_most(limits.SESSION_TITLE)])
    organization = StringField(filters=[strip], validators=[
        stored_text, at_most(limits.SESSION_TITLE)])
    held_on = StringField(filters=[strip], validators=[stored_text])
    framework = SelectField(filters=[strip], invalid_choice_message=_l(
        "Choose one of the frameworks offered."))
    agenda = TextAreaField(filters=[strip], validators=[stored_lines])
    language = RadioField(choices=["th", "en"], filters=[strip],
                          invalid_choice_message=_l("Choose Thai or English."))
    privacy = RadioField(choices=["anonymous", "named"], filters=[strip],
                         invalid_choice_message=_l("Choose anonymous or named."))
    roles = TextAreaField(filters=[strip], validators=[stored_lines, _roles])
    results_mode = RadioField(choices=list(RESULTS_MODES), filters=[strip],
                              invalid_choice_message=_l("Choose when the room sees the results."))
    max_iqr = StringField(filters=[strip], validators=[stored_text, _levels])
    min_adjacent_percent = StringField(filters=[strip], validators=[stored_text, _percentage])

    def __init__(self, frameworks: list[FrameworkEntry], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._frameworks = {entry.id: entry.framework for entry in frameworks if entry.valid}
        self.framework.choices = list(self._frameworks)
        self.day: date | None = None

    @classmethod
    def blank(cls, frameworks: list[FrameworkEntry], lang: str) -> "SessionForm":
        """The form as a GET shows it: today's date, the first framework offered, default roles."""
        return cls(frameworks, formdata=None, data={
            "held_on": bangkok_day(utcnow()).isoformat(),
            "framework": frameworks[0].id if frameworks else "", "language": lang,
            "privacy": "anonymous", "results_mode": "hidden",
            "roles": "\n".join(DEFAULT_ROLES.get(lang, DEFAULT_ROLES["en"]))})

    @property
    def chosen_framework(self) -> Framework | None:
        return self._frameworks.get(self.framework.data)

    def validate_held_on(self, field) -> None:
        """The day typed, a Buddhist-era year converted (2569-05-09 is 9 May 2026)."""
        if not field.data:
            return
        try:
            self.day = parse_day(field.data)
        except DateInvalid as invalid:
            raise ValidationError(
                _("Not a date: use the date picker (YYYY-MM-DD).")
                if invalid.reason == "not_a_date" else
                _("The year is neither a Buddhist-era year (2400–2743) nor a "
                  "common-era one (1900–2200): check the date.")) from None

    def validate_agenda(self, field) -> None:
        framework = self.chosen_framework
        if framework is None:
            return
        agenda = split_codes(field.data)
        known = {criterion.code for criterion in framework.criteria()}
        unknown = [code for code in agenda if code not in known]
        if unknown:
            raise ValidationError(_("Not criteria of this framework: %(codes)s",
                                    codes=", ".join(unknown)))
        twice = sorted({code for code in agenda if agenda.count(code) > 1})
        if twice:
            raise ValidationError(_("A criterion appears twice: %(codes)s", codes=", ".join(twice)))

    def settings(self) -> SessionSettings:
        """What a validated form asks for."""
        return SessionSettings(
            title=self.title.data, organization=self.organization.data or "", held_on=self.day,
            language=self.language.data, agenda=tuple(split_codes(self.agenda.data)),
            anonymous=self.privacy.data == "anonymous", roles=tuple(split_roles(self.roles.data)),
            results_mode=self.results_mode.data, thresholds=self._thresholds())

    def _thresholds(self) -> Thresholds:
        max_iqr, share = DEFAULT_MAX_IQR, DEFAULT_MIN_ADJACENT_SHARE
        if self.max_iqr.data:
            max_iqr = _number(self.max_iqr.data)
        if self.min_adjacent_percent.data:
            share = _number(self.min_adjacent_percent.data) / 100
        return Thresholds(max_iqr=max_iqr, min_adjacent_share=share)


def parse_groups(text: str) -> list[GroupSpec]:
    """One group a line, "name: codes"; a line without a colon is refused (ValidationError)."""
    found = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        name, colon, codes = line.partition(":")
        if not colon:
            raise ValidationError(_("Each line needs a group name, a colon, then its categories "
                                    "or items: “%(line)s”", line=line.strip()[:80]))
        found.append(GroupSpec(name.strip(), tuple(split_codes(codes))))
    return found


class WorkshopForm(SessionForm):
    """A workshop of working groups: the session form, its groups in place of the agenda."""
    groups = TextAreaField(filters=[strip], validators=[stored_lines])

    def validate_groups(self, field) -> None:
        self.group_specs = parse_groups(field.data)
