"""Indicators of results items (PMQA category 7), one service for the dashboard form, the CSV
or XLSX import and the facilitator's live event: check the values, store them, and show an
item's indicators with their trend and the level the framework's results rule suggests.

A value is checked here once for every door: a name (1-200 characters, no control
characters), a unit (up to 40), a direction (`higher` or `lower` is better), a finite target,
and values only for the three fiscal years shown (the session's fiscal year and the two
before, Buddhist era). Bad input raises `invalid` naming the field and changes nothing.
"""
from __future__ import annotations

import math
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import limits
from ..domain.dates import bangkok_day
from ..domain.fiscal import fiscal_year_be
from ..domain.framework import Framework
from ..domain.indicators import DIRECTIONS, results_view, years_of  # noqa: F401 (re-exported)
from ..domain.text import refusal
from ..store.models import IndicatorRow, WorkshopSession, utcnow
from .errors import LiveError, invalid
from .lookups import framework_of, owned_row

NAME_LIMIT, UNIT_LIMIT, PER_ITEM_LIMIT = limits.INDICATOR_NAME, limits.INDICATOR_UNIT, 20
VALUE_LIMIT = 1e12


def current_year(session: WorkshopSession) -> int:
    """The fiscal year (BE) whose results the room reads: the one the workshop is held in."""
    return fiscal_year_be(session.held_on or bangkok_day(utcnow()))


def _text(field: str, value: Any, limit: int, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid(field, "must be text")
    why = refusal(value)
    if why:
        raise invalid(field, why)
    value = " ".join(value.split())
    if required and not value:
        raise invalid(field, "is required")
    if len(value) > limit:
        raise invalid(field, f"at most {limit} characters")
    return value


def _number(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or abs(value) > VALUE_LIMIT:
        raise invalid(field, "must be a number")
    return float(value)


def clean(fields: Mapping[str, Any], year: int) -> dict[str, Any]:
    """The indicator's fields to store, or `invalid` naming the first field at fault."""
    direction = fields.get("direction", "higher")
    if direction not in DIRECTIONS:
        raise invalid("direction", "higher or lower")
    values = fields.get("values") or {}
    if not isinstance(values, Mapping):
        raise invalid("values", "a value per fiscal year")
    allowed = {str(y) for y in years_of(year)}
    cleaned: dict[str, float] = {}
    for key, value in values.items():
        if str(key) not in allowed:
            raise invalid("values", f"fiscal year {key} is not one of {', '.join(sorted(allowed))}")
        if value is not None:
            cleaned[str(key)] = _number("values", value)
    return {"name": _text("name", fields.get("name"), NAME_LIMIT, required=True),
            "unit": _text("unit", fields.get("unit"), UNIT_LIMIT, required=False),
            "direction": direction, "target": _number("target", fields.get("target")),
            "values": dict(sorted(cleaned.items()))}


def check_results_item(framework: Framework, criterion: str) -> None:
    """`not_found` for an unknown criterion, `invalid` for one that is not a results item."""
    try:
        framework.criterion(criterion)
    except KeyError:
        raise LiveError("not_found", f"no criterion {criterion!r}", field="criterion") from None
    if framework.results_rule(criterion) is None:
        raise invalid("criterion", f"{criterion} is not a results item: it has no indicators")


def add(db: Session, session: WorkshopSession, framework: Framework, criterion: str,
        fields: Mapping[str, Any], client_key: str | None = None) -> IndicatorRow:
    """A new indicator at the end of the item's list; a resend (same client_key) is the same one."""
    if client_key is not None:
        found = db.scalar(select(IndicatorRow).where(IndicatorRow.session_id == session.id,
                                                     IndicatorRow.client_key == client_key))
        if found is not None:
            return found
    check_results_item(framework, criterion)
    values = clean(fields, current_year(session))
    count = db.scalar(select(func.count()).select_from(IndicatorRow).where(
        IndicatorRow.session_id == session.id, IndicatorRow.criterion_code == criterion)) or 0
    if count >= PER_ITEM_LIMIT:
        raise invalid("criterion", f"at most {PER_ITEM_LIMIT} indicators per item")
    row = IndicatorRow(session_id=session.id, criterion_code=criterion, position=count,
                       client_key=client_key, **values)
    db.add(row)
    db.flush()
    return row


def row_of(db: Session, session_id: str, indicator_id: int) -> IndicatorRow:
    return owned_row(db, IndicatorRow, session_id, indicator_id, "id", "indicator")


def update(db: Session, session: WorkshopSession, indicator_id: int,
           fields: Mapping[str, Any]) -> IndicatorRow:
    """Replace an indicator's fields (sending the same fields again changes nothing)."""
    row = row_of(db, session.id, indicator_id)
    for name, value in clean(fields, current_year(session)).items():
        setattr(row, name, value)
    db.flush()
    return row


def remove(db: Session, session_id: str, indicator_id: int) -> str | None:
    """Delete an indicator; returns its criterion, None when it was gone already."""
    row = db.get(IndicatorRow, indicator_id)
    if row is None or row.session_id != session_id:
        return None
    db.delete(row)
    db.flush()
    return row.criterion_code


def suggested_level_of(db: Session, session: WorkshopSession, criterion: str) -> int | None:
    """The level a results item's indicators suggest now; None for another item or none."""
    view = results_view(framework_of(db, session.id), criterion, rows_of(db, session.id, criterion),
                        current_year(session))
    return None if view is None else view["suggested_level"]


def rows_of(db: Session, session_id: str, criterion: str | None = None) -> list[IndicatorRow]:
    statement = select(IndicatorRow).where(IndicatorRow.session_id == session_id)
    if criterion is not None:
        statement = statement.where(IndicatorRow.criterion_code == criterion)
    return list(db.scalars(statement.order_by(IndicatorRow.criterion_code, IndicatorRow.position,
                                              IndicatorRow.id)))
