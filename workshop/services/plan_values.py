"""The plan editor's values: which fields an item has, and each typed value checked and made
into what is stored (or `PlanInvalid` with a stable reason the web layer translates).

Text is trimmed and refused with control characters or past its limit; quarters are read as
offices write them and stored as "Q1/2570" (domain/fiscal.py); a budget is whole baht
(domain/numbers.py); a status is one of PLAN_STATUSES; targets per fiscal year are levels of the
session's framework for the plan's three years.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..domain import limits
from ..domain.fiscal import FiscalQuarter
from ..domain.numbers import parse_baht
from ..domain.plan import PLAN_STATUSES
from ..domain.text import refusal
from ..errors import Refused
from ..store.models import PlanItem

LINE_FIELDS = limits.PLAN_LINES
TEXT_FIELDS = limits.PLAN_BOXES
QUARTER_FIELDS = ("start_quarter", "end_quarter")
FIELDS = (*LINE_FIELDS, *TEXT_FIELDS, *QUARTER_FIELDS, "budget_amount", "year_targets", "status",
          "out_of_scope")

class PlanInvalid(Refused):
    """A value the plan cannot take. `reason` is a stable key the web layer translates."""

    def __init__(self, field: str, reason: str, **params: Any):
        super().__init__(f"{field}: {reason} {params or ''}".strip(), field=field)
        self.reason, self.params = reason, params


def text_value(name: str, value: Any, limit: int, *, multiline: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PlanInvalid(name, "not_text")
    if refusal(value, multiline=multiline):
        raise PlanInvalid(name, "control_characters")
    cleaned = value.strip() if multiline else " ".join(value.split())
    if len(cleaned) > limit:
        raise PlanInvalid(name, "too_long", limit=limit)
    return cleaned or None


def clean_value(name: str, value: Any) -> Any:
    """The value to store for a field, or PlanInvalid."""
    if name in LINE_FIELDS:
        return text_value(name, value, LINE_FIELDS[name], multiline=False)
    if name in TEXT_FIELDS:
        return text_value(name, value, TEXT_FIELDS[name], multiline=True)
    if name in QUARTER_FIELDS:
        typed = text_value(name, value, limits.PLAN_QUARTER, multiline=False)
        if typed is None:
            return None
        try:
            return FiscalQuarter.parse(typed).code()
        except ValueError:
            raise PlanInvalid(name, "not_a_quarter") from None
    if name == "budget_amount":
        return amount_value(value)
    if name == "status":
        if value not in PLAN_STATUSES:
            raise PlanInvalid(name, "unknown_status")
        return value
    if name == "out_of_scope":
        if not isinstance(value, bool):
            raise PlanInvalid(name, "not_boolean")
        return value
    raise PlanInvalid("field", "unknown_field")


def amount_value(value: Any) -> int | None:
    """Whole baht from a number or typed text ("1,500,000", "๑,๕๐๐,๐๐๐ บาท"); None clears it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PlanInvalid("budget_amount", "not_an_amount")
    try:
        return parse_baht(str(value))
    except ValueError:
        raise PlanInvalid("budget_amount", "not_an_amount") from None


def check_quarters(item: PlanItem, name: str, value: str | None) -> None:
    start = value if name == "start_quarter" else item.start_quarter
    end = value if name == "end_quarter" else item.end_quarter
    if start and end and FiscalQuarter.parse(end) < FiscalQuarter.parse(start):
        raise PlanInvalid(name, "end_before_start")


def version_value(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise PlanInvalid("version", "not_a_number")
    return value


def year_targets_value(value: Any, years: Iterable[int], levels: Iterable[int]) -> dict[str, int] | None:
    """{fiscal year: level} for the plan's years and the framework's levels; a year given None
    (or left out) follows the one-level-a-year path again (domain/plan.upgrade_path)."""
    if not isinstance(value, dict):
        raise PlanInvalid("year_targets", "not_year_targets")
    known_years, known_levels = {str(y) for y in years}, set(levels)
    cleaned = {}
    for year, level in value.items():
        if year not in known_years:
            raise PlanInvalid("year_targets", "unknown_year")
        if level is None:
            continue
        if isinstance(level, bool) or level not in known_levels:
            raise PlanInvalid("year_targets", "unknown_level")
        cleaned[year] = level
    return dict(sorted(cleaned.items())) or None
