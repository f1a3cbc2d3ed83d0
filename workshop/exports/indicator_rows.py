"""Results items' indicators in the exports: one table row per indicator (XLSX sheet, CSV) and
one block per results item (Word plan, PDF report), each with its three fiscal years, whether
it met its target, its trend and the level the framework's results rule suggests
(domain/indicators.py; the same view the live pages show)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from ..domain.dates import bangkok_day
from ..domain.fiscal import fiscal_year_be
from ..domain.framework import Framework
from ..domain.indicators import results_view, years_of
from .labels import labels

TREND_ARROWS = {"improving": "↗", "worsening": "↘", "mixed": "↔", "unknown": "–"}


def results_year_of(export_data: dict[str, Any]) -> int:
    """The fiscal year (BE) whose results the room read: the one the workshop was held in."""
    held_on = export_data["session"]["held_on"]
    return fiscal_year_be(date.fromisoformat(held_on) if held_on else bangkok_day(datetime.now(timezone.utc)))


def item_results(export_data: dict[str, Any], framework: Framework) -> list[tuple[str, dict]]:
    """(criterion code, results view) for every results item that has indicators."""
    year = results_year_of(export_data)
    by_item: dict[str, list[dict]] = {}
    for row in export_data.get("indicators", []):
        by_item.setdefault(row["criterion_code"], []).append(row)
    order = [c.code for c in framework.criteria()]
    return [(code, results_view(framework, code, by_item[code], year))
            for code in order if code in by_item and framework.results_rule(code) is not None]


def number(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def trend_text(item: dict, words: dict[str, str]) -> str:
    return f"{TREND_ARROWS[item['trend']]} {words['trend_' + item['trend']]}"


def indicator_headers(export_data: dict[str, Any]) -> list[str]:
    words = labels(export_data["session"]["language"])
    years = years_of(results_year_of(export_data))
    return ([words[k] for k in ("criterion", "criterion_title", "indicator", "unit", "direction",
                                "target_value")]
            + [f"{words['fiscal_year']} {year}" for year in years]
            + [words[k] for k in ("met", "trend", "suggested_level")])


def indicator_rows(export_data: dict[str, Any], framework: Framework) -> list[list[Any]]:
    lang = export_data["session"]["language"]
    words = labels(lang)
    rows = []
    for code, view in item_results(export_data, framework):
        title = framework.criterion(code).title.get(lang)
        for item in view["items"]:
            rows.append([code, title, item["name"], item["unit"], words["direction_" + item["direction"]],
                         item["target"], *item["values"], words["yes" if item["met"] else "no"],
                         trend_text(item, words), view["suggested_level"]])
    return rows


def indicator_lines(view: dict, words: dict[str, str]) -> list[str]:
    """One line per indicator for a document block: values by year, target, verdict, trend."""
    lines = []
    for item in view["items"]:
        values = " → ".join(f"{year} {number(value)}" for year, value in zip(view["years"], item["values"]))
        unit = f" ({item['unit']})" if item["unit"] else ""
        verdict = words["met_yes"] if item["met"] else words["met_no"]
        lines.append(f"{item['name']}{unit}: {values}; {words['target_value']} {number(item['target'])};"
                     f" {verdict}; {trend_text(item, words)}")
    return lines


def sparkline_svg(item: dict, width: int = 150, height: int = 44) -> bytes:
    """The three years as a small SVG line, the target dashed (numbers only: nothing to escape)."""
    known = [v for v in item["values"] if v is not None]
    low, high = min(known + [item["target"]]), max(known + [item["target"]])
    span, pad = (high - low) or 1.0, 5.0
    step = (width - 2 * pad) / max(len(item["values"]) - 1, 1)
    y = lambda v: height - pad - (v - low) / span * (height - 2 * pad)  # noqa: E731
    points = [(pad + i * step, y(v)) for i, v in enumerate(item["values"]) if v is not None]
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    dots = "".join(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="#1f5fbf"/>' for px, py in points)
    target = y(item["target"])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><line x1="{pad}" x2="{width - pad}" y1="{target:.1f}" '
            f'y2="{target:.1f}" stroke="#b45309" stroke-width="1.5" stroke-dasharray="4 3"/>'
            f'<polyline points="{line}" fill="none" stroke="#1f5fbf" stroke-width="2.5"/>{dots}</svg>'
            ).encode()
