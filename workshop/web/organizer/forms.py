"""The "new session" form: its defaults, and reading a submitted form into `SessionSettings`.

Every problem is reported at once, in the organizer's language, next to the value typed, so
the organizer fixes them all in one go. Nothing is created while a problem remains.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from ...catalog import FrameworkEntry
from ...domain.consensus import DEFAULT_MAX_IQR, DEFAULT_MIN_ADJACENT_SHARE, Thresholds
from ...domain.dates import DateInvalid, bangkok_day, parse_day, utcnow
from ...domain.framework import Framework
from ...domain.text import refusal
from ...domain.session_settings import MAX_ROLES, RESULTS_MODES, ROLE_LIMIT
from ...services.sessions import TITLE_LIMIT, SessionSettings

DEFAULT_ROLES = {"th": ("ผู้บริหาร", "หัวหน้างาน", "เจ้าหน้าที่"),
                 "en": ("Executive", "Manager", "Staff")}
FIRST_OFFERED = "pmqa-4.0"
FIELDS = ("title", "organization", "held_on", "framework", "agenda", "language", "privacy",
          "roles", "results_mode", "max_iqr", "min_adjacent_percent")


def split_codes(text: str) -> list[str]:
    """Criterion codes typed with commas, spaces or new lines between them."""
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


def split_roles(text: str) -> list[str]:
    """One role per line (commas also separate); blank lines dropped."""
    return [role.strip() for role in re.split(r"[\n,]+", text or "") if role.strip()]


def initial_values(lang: str, default_framework: str | None) -> dict[str, str]:
    return {
        "title": "", "organization": "", "held_on": bangkok_day(utcnow()).isoformat(),
        "framework": default_framework or "", "agenda": "", "language": lang,
        "privacy": "anonymous", "roles": "\n".join(DEFAULT_ROLES.get(lang, DEFAULT_ROLES["en"])),
        "results_mode": "hidden", "max_iqr": "", "min_adjacent_percent": "",
    }


@dataclass
class ParsedForm:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    framework: Framework | None = None
    settings: SessionSettings | None = None


def parse_form(form, frameworks: list[FrameworkEntry]) -> ParsedForm:
    values = {name: (form.get(name) or "").strip() for name in FIELDS}
    parsed = ParsedForm(values)
    errors = parsed.errors
    _refuse_control_characters(values, errors)
    if not values["title"]:
        errors["title"] = _("A session needs a title.")
    for name in ("title", "organization"):
        if len(values[name]) > TITLE_LIMIT:
            errors[name] = _("At most %(n)d characters.", n=TITLE_LIMIT)
    held_on = _date(values["held_on"], errors)
    usable = {entry.id: entry.framework for entry in frameworks if entry.valid}
    parsed.framework = usable.get(values["framework"])
    if parsed.framework is None:
        errors["framework"] = _("Choose one of the frameworks offered.")
    agenda = tuple(split_codes(values["agenda"]))
    if parsed.framework is not None:
        _check_agenda(agenda, parsed.framework, errors)
    if values["language"] not in ("th", "en"):
        errors["language"] = _("Choose Thai or English.")
    if values["privacy"] not in ("anonymous", "named"):
        errors["privacy"] = _("Choose anonymous or named.")
    roles = tuple(split_roles(values["roles"]))
    if len(roles) > MAX_ROLES or any(len(role) > ROLE_LIMIT for role in roles):
        errors["roles"] = _("At most %(count)d roles, each of at most %(n)d characters.",
                            count=MAX_ROLES, n=ROLE_LIMIT)
    elif len(set(roles)) != len(roles):
        errors["roles"] = _("A role appears twice.")
    if values["results_mode"] not in RESULTS_MODES:
        errors["results_mode"] = _("Choose when the room sees the results.")
    thresholds = _thresholds(values, errors)
    if not errors:
        parsed.settings = SessionSettings(
            title=values["title"], organization=values["organization"], held_on=held_on,
            language=values["language"], agenda=agenda, anonymous=values["privacy"] == "anonymous",
            roles=roles, results_mode=values["results_mode"], thresholds=thresholds)
    return parsed


def _refuse_control_characters(values: dict[str, str], errors: dict) -> None:
    """Every field is one line except the boxes that list codes or roles, one per line."""
    for name, text in values.items():
        if refusal(text, multiline=name in ("agenda", "roles")):
            errors[name] = _("This text holds characters that cannot be stored.")


def _date(text: str, errors: dict) -> date | None:
    """The day typed, a Buddhist-era year converted (2569-05-09 is 9 May 2026), else an error."""
    if not text:
        return None
    try:
        return parse_day(text)
    except DateInvalid as invalid:
        errors["held_on"] = (_("Not a date: use the date picker (YYYY-MM-DD).")
                             if invalid.reason == "not_a_date" else
                             _("The year is neither a Buddhist-era year (2400–2743) nor a "
                               "common-era one (1900–2200): check the date."))
        return None


def offer_order(frameworks: list[FrameworkEntry]) -> list[FrameworkEntry]:
    """The frameworks as the form offers them: PMQA 4.0 first (what Thai agencies assess
    against), then the others in the catalog's order."""
    return sorted(frameworks, key=lambda entry: entry.id != FIRST_OFFERED)


def _check_agenda(agenda: tuple[str, ...], framework: Framework, errors: dict) -> None:
    known = {criterion.code for criterion in framework.criteria()}
    unknown = [code for code in agenda if code not in known]
    if unknown:
        errors["agenda"] = _("Not criteria of this framework: %(codes)s",
                             codes=", ".join(unknown))
    elif len(set(agenda)) != len(agenda):
        twice = sorted({code for code in agenda if agenda.count(code) > 1})
        errors["agenda"] = _("A criterion appears twice: %(codes)s", codes=", ".join(twice))


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _thresholds(values: dict, errors: dict) -> Thresholds:
    max_iqr, share = DEFAULT_MAX_IQR, DEFAULT_MIN_ADJACENT_SHARE
    if values["max_iqr"]:
        number = _number(values["max_iqr"])
        if number is None or number < 0:
            errors["max_iqr"] = _("A number of levels, 0 or more.")
        else:
            max_iqr = number
    if values["min_adjacent_percent"]:
        number = _number(values["min_adjacent_percent"])
        if number is None or not 0 <= number <= 100:
            errors["min_adjacent_percent"] = _("A percentage from 0 to 100.")
        else:
            share = number / 100
    return Thresholds(max_iqr=max_iqr, min_adjacent_share=share)
