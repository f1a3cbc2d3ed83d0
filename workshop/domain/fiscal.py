"""Thai government fiscal years and quarters: the periods a plan is written in.

The fiscal year runs 1 October to 30 September and is named by the Buddhist-era (BE) year in
which it ends: fiscal year 2570 runs from 1 October 2569 BE (2026 CE) to 30 September 2570 BE.
Its quarters are named like the Bureau of the Budget names them:

    ไตรมาส 1  ต.ค.–ธ.ค.     ไตรมาส 2  ม.ค.–มี.ค.     ไตรมาส 3  เม.ย.–มิ.ย.     ไตรมาส 4  ก.ค.–ก.ย.

A quarter is stored as "Q1/2570" and typed in any of the ways people write it: "Q1/2570",
"1/2570", "ไตรมาส 1/2570" (also "ไตรมาสที่ 1/2570"), or with the CE year ("Q1/2027").
Pure Python: no Flask, no database, no I/O.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import BUDDHIST_ERA_OFFSET, FIRST_BE_YEAR  # a year at or past 2400 is Buddhist era

PLAN_YEARS = 3  # the upgrade plan (แผนยกระดับ ระยะ 3 ปี) looks three fiscal years ahead
_QUARTER = re.compile(r"^\s*(?:Q|ไตรมาส\s*(?:ที่)?)?\s*([1-4])\s*/\s*(\d{4})\s*$", re.IGNORECASE)
QUARTER_MONTHS = {  # the months of each quarter, abbreviated as Thai offices write them
    "th": ("ต.ค.–ธ.ค.", "ม.ค.–มี.ค.", "เม.ย.–มิ.ย.", "ก.ค.–ก.ย."),
    "en": ("Oct–Dec", "Jan–Mar", "Apr–Jun", "Jul–Sep"),
}


@dataclass(frozen=True, order=True)
class FiscalQuarter:
    """Quarter 1..4 of a Thai government fiscal year, the year named in the Buddhist era."""

    year_be: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"a fiscal quarter is 1 to 4, got {self.quarter!r}")
        if self.year_be < FIRST_BE_YEAR:
            raise ValueError(f"a fiscal year is named in the Buddhist era, got {self.year_be!r}")

    @classmethod
    def parse(cls, text: str) -> FiscalQuarter:
        """Read "Q1/2570", "1/2570" or "ไตรมาส 1/2570" (Buddhist era), or "Q1/2027" (CE)."""
        match = _QUARTER.match(text or "")
        if not match:
            raise ValueError(f"a fiscal quarter is written like Q1/2570, 1/2570 or "
                             f"ไตรมาส 1/2570, got {text!r}")
        quarter, year = int(match.group(1)), int(match.group(2))
        if year < FIRST_BE_YEAR:
            year += BUDDHIST_ERA_OFFSET
        return cls(year, quarter)

    @classmethod
    def of(cls, day: date) -> FiscalQuarter:
        """The fiscal quarter a day falls in (the year runs 1 October to 30 September)."""
        return cls(fiscal_year_be(day), (day.month - 10) % 12 // 3 + 1)

    @property
    def year_ce(self) -> int:
        return self.year_be - BUDDHIST_ERA_OFFSET

    def first_day(self) -> date:
        month = (self.quarter - 1) * 3 + 10
        return date(self.year_ce - 1, month, 1) if month <= 12 else date(self.year_ce, month - 12, 1)

    def last_day(self) -> date:
        following = FiscalQuarter(self.year_be + (self.quarter == 4), self.quarter % 4 + 1)
        return date.fromordinal(following.first_day().toordinal() - 1)

    def code(self) -> str:
        """The stored form, "Q1/2570"."""
        return f"Q{self.quarter}/{self.year_be}"

    def label(self, lang: str) -> str:
        """"ไตรมาส 1/2570" in Thai (Buddhist-era fiscal year; no "Q" in Thai text, as
        docs/glossary.md says), "Q1 FY2027" in English."""
        if lang == "th":
            return f"ไตรมาส {self.quarter}/{self.year_be}"
        return f"Q{self.quarter} FY{self.year_ce}"

    def months(self, lang: str) -> str:
        """The months it covers and their calendar year: "ต.ค.–ธ.ค. 2569" in Thai (Buddhist
        era), "Oct–Dec 2026" in English, for quarter 1 of fiscal year 2570."""
        year = self.first_day().year
        names = QUARTER_MONTHS.get(lang, QUARTER_MONTHS["th"])[self.quarter - 1]
        return f"{names} {year + BUDDHIST_ERA_OFFSET if lang == 'th' else year}"


def quarter_label(text: str | None, lang: str, months: bool = False) -> str:
    """A stored quarter shown in `lang`, with the months it covers when `months` ("ไตรมาส
    1/2570 (ต.ค.–ธ.ค. 2569)"); text that is not a quarter is shown as it is."""
    if not text:
        return ""
    try:
        quarter = FiscalQuarter.parse(text)
    except ValueError:
        return text
    return f"{quarter.label(lang)} ({quarter.months(lang)})" if months else quarter.label(lang)


def fiscal_year_be(day: date) -> int:
    """The fiscal year (BE) a day falls in: 9 May 2026 is in 2569, 1 October 2026 in 2570."""
    return (day.year + 1 if day.month >= 10 else day.year) + BUDDHIST_ERA_OFFSET


def plan_fiscal_year(held_on: date) -> int:
    """The fiscal year (BE) a plan drawn up on `held_on` is for: the next one, the first the
    budget can still fund (a workshop in May 2569 plans fiscal year 2570)."""
    return fiscal_year_be(held_on) + 1


def plan_years(first_year_be: int, count: int = PLAN_YEARS) -> tuple[int, ...]:
    """The fiscal years of the upgrade plan, from the plan's own year on."""
    return tuple(range(first_year_be, first_year_be + count))


def quarters_in_year(start: str | None, end: str | None, year_be: int) -> tuple[bool, ...]:
    """For each quarter 1..4 of `year_be`, whether the period start..end covers it. A period
    with only a start covers that one quarter; text that is no quarter covers nothing."""
    try:
        first = FiscalQuarter.parse(start or end or "")
        last = FiscalQuarter.parse(end or start or "")
    except ValueError:
        return (False,) * 4
    return tuple(first <= FiscalQuarter(year_be, q) <= last for q in (1, 2, 3, 4))
