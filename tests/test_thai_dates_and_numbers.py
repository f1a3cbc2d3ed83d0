"""The domain's rules for what Thai offices type: fiscal quarters, fiscal years, Buddhist-era
dates, Bangkok time, amounts of baht, Thai digits; and the three-year upgrade plan."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from workshop.domain.dates import DateInvalid, bangkok, bangkok_day, parse_day
from workshop.domain.fiscal import (FiscalQuarter, plan_fiscal_year, plan_years,
                                    quarters_in_year)
from workshop.domain.numbers import arabic_digits, format_baht, parse_baht, thai_digits
from workshop.domain.plan import PlanEntry, upgrade_path, year_targets


@pytest.mark.parametrize("typed", ["Q1/2570", "1/2570", "ไตรมาส 1/2570", "ไตรมาสที่ 1/2570",
                                   "q1 / 2570", "Q1/2027", " 1/2027 "])
def test_a_quarter_is_read_however_an_office_writes_it(typed):
    assert FiscalQuarter.parse(typed) == FiscalQuarter(2570, 1)


@pytest.mark.parametrize("typed", ["ไตรมาส 5/2570", "0/2570", "Q1", "2570", "ไตรมาส/2570"])
def test_what_is_no_quarter_is_refused(typed):
    with pytest.raises(ValueError, match="ไตรมาส 1/2570"):
        FiscalQuarter.parse(typed)


def test_a_plan_drawn_up_in_may_2569_is_for_fiscal_year_2570_and_the_two_after():
    assert plan_fiscal_year(date(2026, 5, 9)) == 2570
    assert plan_fiscal_year(date(2026, 10, 1)) == 2571  # fiscal year 2570 has begun
    assert plan_years(2570) == (2570, 2571, 2572)


def test_the_quarter_grid_marks_the_quarters_a_period_covers_in_the_year():
    assert quarters_in_year("Q2/2570", "Q3/2570", 2570) == (False, True, True, False)
    assert quarters_in_year("Q3/2569", "Q1/2570", 2570) == (True, False, False, False)
    assert quarters_in_year("Q4/2570", None, 2570) == (False, False, False, True)
    assert quarters_in_year("Q1/2571", "Q2/2571", 2570) == (False,) * 4
    assert quarters_in_year("ปลายปี", None, 2570) == (False,) * 4


def test_the_upgrade_plan_climbs_a_level_a_year_unless_organizers_set_a_year():
    assert upgrade_path(1, 3, 3) == (2, 3, 3)
    assert upgrade_path(0, 3, 3) == (1, 2, 3)
    assert upgrade_path(2, 2, 3) == (2, 2, 2)
    entry = PlanEntry(rank=1, criterion_code="1.2", category_code="1", current_level=1,
                      target_level=3, gap=2, importance=5, priority=10, consensus=None,
                      consensus_reached=None, proposed_actions=(), actions=(),
                      year_targets=(("2571", 2),))
    assert year_targets(entry, (2570, 2571, 2572)) == (2, 2, 3)


@pytest.mark.parametrize("typed, day", [
    ("2026-05-09", date(2026, 5, 9)),
    ("2569-05-09", date(2026, 5, 9)),  # Buddhist era: never CE 2569, printed as BE 3112
    ("๒๕๖๙-๐๕-๐๙", date(2026, 5, 9)),
])
def test_a_day_is_read_in_either_era_and_kept_in_the_common_era(typed, day):
    assert parse_day(typed) == day


@pytest.mark.parametrize("typed, reason", [
    ("3112-05-09", "year_out_of_range"),  # a BE year converted twice
    ("1500-01-01", "year_out_of_range"),
    ("2569-02-30", "not_a_date"),
    ("next tuesday", "not_a_date"),
    ("05/11/2026", "not_a_date"),  # 5 November or 11 May? refused rather than guessed
    ("", "not_a_date"),
])
def test_what_is_no_day_is_refused_with_its_reason(typed, reason):
    with pytest.raises(DateInvalid) as refused:
        parse_day(typed)
    assert refused.value.reason == reason


def test_times_are_shown_in_bangkok():
    moment = datetime(2026, 5, 9, 18, 30, tzinfo=timezone.utc)
    assert bangkok(moment).isoformat() == "2026-05-10T01:30:00+07:00"
    assert bangkok_day(moment) == date(2026, 5, 10)
    assert bangkok(datetime(2026, 5, 9, 2, 0)).hour == 9  # naive is UTC, as the store keeps it


@pytest.mark.parametrize("typed, baht", [("1,500,000", 1500000), ("1500000 บาท", 1500000),
                                         ("๑,๕๐๐,๐๐๐", 1500000), ("1.5 ล้านบาท", 1500000),
                                         ("0", 0), ("250000.00", 250000)])
def test_an_amount_of_baht_is_read_as_offices_write_it(typed, baht):
    assert parse_baht(typed) == baht


@pytest.mark.parametrize("typed", ["-5", "a lot", "1,,000", "12.50", "1e9", "9" * 14])
def test_what_is_no_amount_of_whole_baht_is_refused(typed):
    with pytest.raises(ValueError):
        parse_baht(typed)


def test_thai_digits_go_both_ways_and_amounts_print_with_thousands():
    assert thai_digits("ปีงบประมาณ 2570") == "ปีงบประมาณ ๒๕๗๐"
    assert arabic_digits("๒๕๗๐") == "2570"
    assert format_baht(1500000) == "1,500,000" and format_baht(None) == ""
