"""The results rule on indicators, worked by hand: met or not, the three-year trend, and the
level the results suggest under PMQA 4.0's rule for category 7."""
from __future__ import annotations

import pytest

from workshop.domain.indicators import Indicator, RuleLine, met, suggested_level, trend, years_of

# PMQA 4.0's rule for category 7 (builtin_frameworks/pmqa-4.0.yaml)
PMQA_RULE = [RuleLine(1, 0.5), RuleLine(2, 0.8, 0.5), RuleLine(3, 1.0, 0.8)]


def satisfaction(values, target=85.0):  # percent of users satisfied: higher is better
    return Indicator("ความพึงพอใจของผู้รับบริการ", "ร้อยละ", "higher", target, dict(zip((2567, 2568, 2569), values)))


def waiting(values, target=15.0):  # minutes a citizen waits: lower is better
    return Indicator("ระยะเวลารอรับบริการ", "นาที", "lower", target, dict(zip((2567, 2568, 2569), values)))


def test_the_three_years_shown_end_with_the_current_fiscal_year():
    assert years_of(2569) == (2567, 2568, 2569)


@pytest.mark.parametrize("indicator, expected", [
    (satisfaction([80, 84, 85]), True),     # exactly on target
    (satisfaction([80, 84, 84.9]), False),
    (waiting([20, 18, 15]), True),          # lower is better: at the target
    (waiting([20, 18, 15.5]), False),
    (satisfaction([80, 84, None]), False),  # no value for the current year
])
def test_an_indicator_meets_its_target_in_its_own_direction(indicator, expected):
    assert met(indicator, 2569) is expected


@pytest.mark.parametrize("indicator, expected", [
    (satisfaction([80, 84, 88]), "improving"),
    (satisfaction([80, 80, 81]), "improving"),  # a flat year, then better
    (satisfaction([80, 80, 80]), "mixed"),      # flat: neither
    (satisfaction([88, 84, 80]), "worsening"),
    (satisfaction([80, 88, 84]), "mixed"),
    (waiting([20, 18, 12]), "improving"),       # fewer minutes is better
    (waiting([12, 18, 20]), "worsening"),
    (satisfaction([None, 84, 88]), "unknown"),
])
def test_the_trend_reads_three_years_in_the_indicators_direction(indicator, expected):
    assert trend(indicator, 2569) == expected


def test_the_suggested_level_climbs_the_rule_line_by_line():
    # 4 indicators: 3 met (75 %), 2 improving (50 %): line 1 holds (50 % met), line 2 asks 80 % met
    room = [satisfaction([80, 84, 88]), waiting([20, 18, 12]), satisfaction([90, 88, 86]),
            satisfaction([70, 72, 71])]
    assert suggested_level(PMQA_RULE, room, 2569, lowest=0) == 1
    # all four met, 3 of 4 improving (75 %): line 2 holds, line 3 asks 100 % met and 80 % improving
    room[3] = satisfaction([80, 85, 90])
    assert suggested_level(PMQA_RULE, room, 2569, lowest=0) == 2
    room[2] = satisfaction([84, 85, 86])
    assert suggested_level(PMQA_RULE, room, 2569, lowest=0) == 3


def test_no_line_holding_suggests_the_lowest_level_and_no_indicator_suggests_nothing():
    assert suggested_level(PMQA_RULE, [satisfaction([80, 81, 82])], 2569, lowest=0) == 0
    assert suggested_level(PMQA_RULE, [], 2569, lowest=0) is None


def test_a_higher_line_never_counts_when_a_lower_one_fails():
    # improving everywhere but a rule whose level 1 asks all targets met: nothing above 0
    rule = [RuleLine(1, 1.0), RuleLine(2, 0.0, 1.0)]
    assert suggested_level(rule, [satisfaction([70, 75, 80])], 2569, lowest=0) == 0
