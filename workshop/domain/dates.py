"""Dates as Thai offices type and read them: the Buddhist era (BE) and Bangkok time.

One rule for every date a person types (the new-session form, the CLI, an import):
`parse_day(text)` reads "2026-05-09" or "2569-05-09" (Thai digits too) and returns the CE date.
Day/month/year with slashes is refused: "05/11/2026" is 5 November to a Thai reader and
11 May to an American one. A year from FIRST_BE_YEAR to LAST_BE_YEAR is Buddhist era and has 543 taken off; a
year from FIRST_CE_YEAR to LAST_CE_YEAR is common era; any other year is refused with a
`DateInvalid` that says why, so a BE year is never stored as if it were CE (2569-05-09 would
otherwise become CE 2569 and print as BE 3112).

Times shown to people are in Asia/Bangkok (UTC+7 all year): `bangkok(moment)` and
`bangkok_day(moment)`.
Pure Python: no Flask, no database, no I/O.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from ..errors import Refused

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543
FIRST_CE_YEAR, LAST_CE_YEAR = 1900, 2200
FIRST_BE_YEAR, LAST_BE_YEAR = 2400, LAST_CE_YEAR + BUDDHIST_ERA_OFFSET  # 2400..2743 (CE 1857..2200)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class DateInvalid(Refused):
    """A typed date that is no date; `reason` is a stable key: not_a_date, year_out_of_range."""

    def __init__(self, text: str, reason: str):
        super().__init__(f"{text!r}: {reason}")
        self.text, self.reason = text, reason


def ce_year(year: int, text: str = "") -> int:
    """A typed year in the common era: BE years lose 543; a year in neither range is refused."""
    if FIRST_BE_YEAR <= year <= LAST_BE_YEAR:
        return year - BUDDHIST_ERA_OFFSET
    if FIRST_CE_YEAR <= year <= LAST_CE_YEAR:
        return year
    raise DateInvalid(text or str(year), "year_out_of_range")


def parse_day(text: str) -> date:
    """The CE date of a typed day (see the module docstring); DateInvalid when it is none."""
    cleaned = (text or "").strip().translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789"))
    match = _ISO.match(cleaned)
    if not match:
        raise DateInvalid(text, "not_a_date")
    year, month, day = (int(g) for g in match.groups())
    year = ce_year(year, text)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateInvalid(text, "not_a_date") from None


def utcnow() -> datetime:
    """Now, as an aware UTC time (what every stored time is)."""
    return datetime.now(timezone.utc)


def bangkok(moment: datetime) -> datetime:
    """`moment` in Bangkok time (a naive moment is taken as UTC, as the store keeps it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BANGKOK)


def bangkok_day(moment: datetime) -> date:
    """The day it is in Bangkok at `moment`."""
    return bangkok(moment).date()
