"""A room's checklist answers, line by line: figures, verdicts, the proposed level by the
cumulative rule, and the unmet lines that become proposed OFIs (examples worked by hand)."""
from __future__ import annotations

from collections import namedtuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.checklist_results import (
    latest_per_line,
    line_results,
    line_summary,
    proposed_level,
    proposed_ofis,
    verdict_of,
)
from workshop.domain.consensus import Thresholds

Line = namedtuple("Line", "id")
# levels 0-3, cumulative: level 0 has no checklist; b* at 1, a* at 2, s* at 3
CHECKLISTS = {1: (Line("b1"), Line("b2")), 2: (Line("a1"), Line("a2")), 3: (Line("s1"),)}


def test_eight_of_ten_phones_saying_met_is_a_met_line():
    # 8 met, 2 not met, 1 not sure: n = 10, share of "met" 8/10 = 0.8 >= 0.75
    summary = line_summary(met=8, not_met=2, not_sure=1)
    assert (summary.n, summary.not_sure, summary.counts) == (10, 1, {0: 2, 1: 8})
    assert summary.median == 1 and summary.mean == pytest.approx(0.8)
    assert summary.top_adjacent_pair == (1,) and summary.top_adjacent_share == pytest.approx(0.8)
    assert summary.consensus_reached and verdict_of(summary) == "met"


def test_a_room_split_seven_to_three_disputes_the_line():
    # 7/10 = 0.7 < 0.75, although the level rule's pair (0, 1) would hold all ten answers
    summary = line_summary(met=7, not_met=3)
    assert summary.top_adjacent_share == pytest.approx(0.7)
    assert not summary.consensus_reached and verdict_of(summary) == "disputed"


def test_a_room_that_agrees_a_practice_is_missing_says_not_met():
    summary = line_summary(met=1, not_met=5)  # 5/6 = 0.83
    assert summary.top_adjacent_pair == (0,) and verdict_of(summary) == "not_met"
    # Tastle-Wierman on 0/1: mean 1/6; 1 + 5/6 log2(1 - 1/6) + 1/6 log2(1 - 5/6) = 1 - 0.2192 - 0.4308 = 0.3500
    assert summary.tastle_wierman == pytest.approx(0.3500, abs=1e-4)


def test_a_line_answered_only_not_sure_or_not_at_all_is_disputed():
    assert verdict_of(line_summary(0, 0, 4)) == "disputed"
    assert verdict_of(line_summary(0, 0, 0)) == "disputed"
    assert line_summary(0, 0, 4).n == 0


def test_the_session_threshold_decides_the_verdict():
    assert verdict_of(line_summary(3, 2, thresholds=Thresholds(min_adjacent_share=0.6))) == "met"
    assert verdict_of(line_summary(3, 2, thresholds=Thresholds(min_adjacent_share=0.61))) == "disputed"


def test_line_results_keep_the_framework_order_and_give_missing_lines_no_answers():
    found = line_results([("b1", 1), ("b2", 1)], {"b2": {"met": 3}})
    assert [(r.line_id, r.level, r.verdict) for r in found] == [("b1", 1, "disputed"), ("b2", 1, "met")]
    assert found[1].to_dict()["counts"] == {"met": 3, "not_met": 0, "not_sure": 0}


def test_the_proposed_level_is_the_highest_level_whose_lines_and_all_below_are_met():
    met_basic = {"b1": "met", "b2": "met", "a1": "met", "a2": "disputed", "s1": "met"}
    assert proposed_level(CHECKLISTS, met_basic, 0) == 1   # a2 blocks 2, so 3 is out too
    everything = dict.fromkeys(["b1", "b2", "a1", "a2", "s1"], "met")
    assert proposed_level(CHECKLISTS, everything, 0) == 3
    assert proposed_level(CHECKLISTS, {**everything, "b2": "not_met"}, 0) == 0
    assert proposed_level(CHECKLISTS, {}, 0) == 0


def test_the_unmet_lines_up_to_the_target_level_become_proposed_ofis():
    verdicts = {"b1": "met", "b2": "not_met", "a1": "met", "a2": "disputed", "s1": "not_met"}
    assert proposed_ofis(CHECKLISTS, verdicts, 2) == [(1, "b2", "not_met"), (2, "a2", "disputed")]
    assert proposed_ofis(CHECKLISTS, verdicts, 1) == [(1, "b2", "not_met")]
    assert proposed_ofis(CHECKLISTS, {}, 1) == [(1, "b1", "disputed"), (1, "b2", "disputed")]
    assert proposed_ofis(CHECKLISTS, verdicts, 0) == []


def test_a_rerun_of_one_line_replaces_only_that_lines_answers():
    first = (["b1", "b2"], {"b1": {"met": 5}, "b2": {"met": 2, "not_met": 3}})
    rerun = (["b2"], {"b2": {"met": 5}})
    assert latest_per_line([first, rerun]) == {"b1": {"met": 5}, "b2": {"met": 5}}
    assert latest_per_line([first]) == {"b1": {"met": 5}, "b2": {"met": 2, "not_met": 3}}
    assert latest_per_line([first, (["b2"], {})]) == {"b1": {"met": 5}, "b2": {}}


counts = st.integers(min_value=0, max_value=200)


@given(counts, counts, counts)
def test_a_line_verdict_never_depends_on_not_sure_and_swaps_with_the_answers(met, not_met, not_sure):
    verdict = verdict_of(line_summary(met, not_met, not_sure))
    assert verdict == verdict_of(line_summary(met, not_met, 0))
    swapped = verdict_of(line_summary(not_met, met, not_sure))
    if met != not_met:
        assert swapped == {"met": "not_met", "not_met": "met", "disputed": "disputed"}[verdict]


@given(st.dictionaries(st.sampled_from(["b1", "b2", "a1", "a2", "s1"]),
                       st.sampled_from(["met", "not_met", "disputed"])))
def test_the_proposed_level_leaves_no_ofi_below_it(verdicts):
    level = proposed_level(CHECKLISTS, verdicts, 0)
    assert proposed_ofis(CHECKLISTS, verdicts, level) == []
    if level < 3:
        assert proposed_ofis(CHECKLISTS, verdicts, level + 1) != []
