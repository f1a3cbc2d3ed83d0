"""The consensus figures of a round, worked out by hand, and the properties they always keep.

PMQA 4.0 levels: 0 "not yet Basic", 1 Basic, 2 Advance, 3 Significance.
"""
import json
import math
import statistics
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.consensus import Summary, Thresholds, summarize

PMQA = [0, 1, 2, 3]
FIVE = [1, 2, 3, 4, 5]


# --- hand-computed rooms ---------------------------------------------------------------------

def test_a_room_that_all_votes_advance_reaches_consensus():
    # 7 votes, all at 2 (Advance).
    # median = Q1 = Q3 = 2, IQR 0; mean 2; mode 2.
    # within one of the median: all 7 -> 1.0.
    # adjacent pairs: (0,1)=0, (1,2)=7, (2,3)=7 -> tie, the lower pair (1,2) is shown, share 1.0.
    # Tastle–Wierman: mean 2, the only term is 1 * log2(1 - 0/3) = 0 -> 1 + 0 = 1.
    summary = summarize({2: 7}, PMQA)
    assert summary.n == 7 and summary.not_sure == 0
    assert summary.counts == {0: 0, 1: 0, 2: 7, 3: 0}
    assert list(summary.counts) == PMQA
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (2, 2, 2, 0)
    assert summary.mean == 2 and summary.modes == (2,)
    assert summary.share_within_one_of_median == 1
    assert summary.top_adjacent_pair == (1, 2) and summary.top_adjacent_share == 1
    assert summary.tastle_wierman == 1
    assert summary.consensus_reached is True


def test_a_room_split_between_basic_and_significance_has_no_consensus():
    # 6 votes at 1 (Basic), 6 at 3 (Significance): n = 12.
    # Sorted: positions 0-5 are 1, positions 6-11 are 3.
    # median = midpoint of positions 5 and 6 = (1 + 3) / 2 = 2.
    # Tukey's hinges: halves of ceil(12/2) = 6 votes; lower half all 1 -> Q1 = 1, upper all 3 -> Q3 = 3.
    # IQR = 2 > 1. Mean = (6 + 18) / 12 = 2. Modes: 1 and 3 (tied).
    # Within one of the median 2: levels 1, 2, 3 -> 12/12 = 1.0 (this figure hides the split).
    # Adjacent pairs: (0,1)=6, (1,2)=6, (2,3)=6 -> lowest pair (0,1), share 6/12 = 0.5 < 0.75.
    # Tastle–Wierman: mean 2, d = 3; both camps are 1 level away: 1 - 1/3 = 2/3.
    #   1 + 0.5 log2(2/3) + 0.5 log2(2/3) = 1 + log2(2/3) = 1 - 0.5849625 = 0.4150375.
    summary = summarize({1: 6, 3: 6}, PMQA)
    assert summary.median == 2 and (summary.q1, summary.q3, summary.iqr) == (1, 3, 2)
    assert summary.mean == 2 and summary.modes == (1, 3)
    assert summary.share_within_one_of_median == 1
    assert summary.top_adjacent_pair == (0, 1) and summary.top_adjacent_share == 0.5
    assert summary.tastle_wierman == pytest.approx(0.4150375, abs=1e-7)
    assert summary.consensus_reached is False


def test_a_room_split_between_the_two_extremes_scores_zero():
    # 5 votes at 0, 5 at 3: median (0 + 3) / 2 = 1.5; Q1 = 0, Q3 = 3, IQR 3.
    # Within one of 1.5: levels 1 and 2 only -> 0/10 = 0.
    # Tastle–Wierman: mean 1.5, d = 3, each camp 1.5 away: 1 - 1.5/3 = 1/2, log2(1/2) = -1.
    #   1 + 0.5(-1) + 0.5(-1) = 0.
    summary = summarize({0: 5, 3: 5}, PMQA)
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (1.5, 0, 3, 3)
    assert summary.share_within_one_of_median == 0
    assert summary.top_adjacent_share == 0.5
    assert summary.tastle_wierman == 0
    assert summary.consensus_reached is False


def test_a_uniform_spread_over_four_levels_still_scores_about_0_37():
    # One vote per level 0..3: n = 4, sorted 0 1 2 3.
    # median = (1 + 2) / 2 = 1.5; halves of 2 votes: Q1 = (0 + 1)/2 = 0.5, Q3 = (2 + 3)/2 = 2.5; IQR 2.
    # Mean 1.5; every level is a mode. Within one of 1.5: levels 1, 2 -> 2/4 = 0.5.
    # Adjacent pairs all hold 2 -> (0,1), share 0.5.
    # Tastle–Wierman: mean 1.5, d = 3.
    #   levels 0 and 3: 1 - 1.5/3 = 1/2 -> log2 = -1; levels 1 and 2: 1 - 0.5/3 = 5/6 -> log2 = -0.2630344.
    #   1 + 0.25 (-1 - 0.2630344 - 0.2630344 - 1) = 1 - 0.6315172 = 0.3684828.
    summary = summarize({0: 1, 1: 1, 2: 1, 3: 1}, PMQA)
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (1.5, 0.5, 2.5, 2)
    assert summary.modes == (0, 1, 2, 3)
    assert summary.share_within_one_of_median == 0.5
    assert summary.top_adjacent_pair == (0, 1) and summary.top_adjacent_share == 0.5
    assert summary.tastle_wierman == pytest.approx(0.3684828, abs=1e-7)
    assert summary.consensus_reached is False


def test_a_uniform_spread_over_five_levels_still_scores_about_0_43():
    # One vote per level 1..5: median 3; halves of 3 votes (1 2 3 and 3 4 5): Q1 = 2, Q3 = 4; IQR 2.
    # Within one of 3: levels 2, 3, 4 -> 3/5 = 0.6. Best pair holds 2/5 = 0.4.
    # Tastle–Wierman: mean 3, d = 4.
    #   levels 1, 5: 1 - 2/4 = 1/2 -> -1; levels 2, 4: 1 - 1/4 = 3/4 -> log2 = -0.4150375; level 3: 0.
    #   1 + 0.2 (-1 - 0.4150375 - 0.4150375 - 1) = 1 - 0.5660150 = 0.4339850.
    summary = summarize({level: 1 for level in FIVE}, FIVE)
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (3, 2, 4, 2)
    assert summary.share_within_one_of_median == 0.6
    assert summary.top_adjacent_share == 0.4
    assert summary.tastle_wierman == pytest.approx(0.4339850, abs=1e-7)
    assert summary.consensus_reached is False


def test_a_single_vote_is_a_unanimous_room():
    # One vote at 1: median = Q1 = Q3 = 1 (both halves are that one vote), IQR 0, mean 1.
    # Shares 1/1; Tastle–Wierman 1 + 1 * log2(1) = 1. The default rule reaches consensus.
    summary = summarize({1: 1}, PMQA)
    assert summary.n == 1
    assert (summary.median, summary.q1, summary.q3, summary.iqr, summary.mean) == (1, 1, 1, 0, 1)
    assert summary.modes == (1,)
    assert summary.share_within_one_of_median == 1 and summary.top_adjacent_share == 1
    assert summary.top_adjacent_pair == (0, 1)
    assert summary.tastle_wierman == 1
    assert summary.consensus_reached is True


def test_a_round_with_no_votes_has_no_figures_and_no_consensus():
    summary = summarize({}, PMQA)
    assert summary.n == 0 and summary.counts == {0: 0, 1: 0, 2: 0, 3: 0}
    assert summary.modes == () and summary.top_adjacent_pair is None
    for figure in ("median", "mean", "q1", "q3", "iqr", "share_within_one_of_median",
                   "top_adjacent_share", "tastle_wierman"):
        assert getattr(summary, figure) is None, figure
    assert summary.consensus_reached is False


def test_a_room_where_everyone_is_not_sure_has_no_figures_and_no_consensus():
    summary = summarize({0: 0, 2: 0}, PMQA, not_sure=9)
    assert summary.n == 0 and summary.not_sure == 9
    assert summary.median is None and summary.tastle_wierman is None
    assert summary.consensus_reached is False


def test_a_room_of_twenty_that_mostly_agrees_on_advance_reaches_consensus():
    # 20 votes: 1 at 0, 3 at 1, 11 at 2, 5 at 3 (and 2 "not sure", kept apart).
    # Sorted positions: 0 -> 0; 1-3 -> 1; 4-14 -> 2; 15-19 -> 3.
    # median = midpoint of positions 9 and 10 = (2 + 2)/2 = 2.
    # Halves of 10: lower = positions 0-9, its median = positions 4, 5 = (2 + 2)/2 -> Q1 = 2;
    #   upper = positions 10-19, its median = positions 14, 15 = (2 + 3)/2 -> Q3 = 2.5. IQR 0.5.
    # Mean = (0 + 3 + 22 + 15)/20 = 40/20 = 2. Mode 2.
    # Within one of 2: levels 1, 2, 3 -> 19/20 = 0.95.
    # Adjacent pairs: (0,1)=4, (1,2)=14, (2,3)=16 -> (2,3), 16/20 = 0.8 >= 0.75.
    # Tastle–Wierman: mean 2, d = 3.
    #   level 0: 1 - 2/3 = 1/3, log2 = -1.5849625, x 0.05 = -0.0792481
    #   level 1: 1 - 1/3 = 2/3, log2 = -0.5849625, x 0.15 = -0.0877444
    #   level 2: 0
    #   level 3: 2/3 again, x 0.25 = -0.1462406
    #   1 - 0.3132331 = 0.6867669.
    summary = summarize({0: 1, 1: 3, 2: 11, 3: 5}, PMQA, not_sure=2)
    assert summary.n == 20 and summary.not_sure == 2
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (2, 2, 2.5, 0.5)
    assert summary.mean == 2 and summary.modes == (2,)
    assert summary.share_within_one_of_median == 0.95
    assert summary.top_adjacent_pair == (2, 3) and summary.top_adjacent_share == 0.8
    assert summary.tastle_wierman == pytest.approx(0.6867669, abs=1e-7)
    assert summary.consensus_reached is True


def test_a_room_of_twenty_leaning_two_ways_needs_a_discussion():
    # 20 votes: 2 at 0, 6 at 1, 9 at 2, 3 at 3. Sorted: 0-1 -> 0; 2-7 -> 1; 8-16 -> 2; 17-19 -> 3.
    # median = positions 9, 10 = 2. Q1 = positions 4, 5 = 1; Q3 = positions 14, 15 = 2. IQR 1 (passes).
    # Adjacent pairs: (0,1)=8, (1,2)=15, (2,3)=12 -> (1,2) holds 15/20 = 0.75: exactly the threshold.
    # Mean = (0 + 6 + 18 + 9)/20 = 33/20 = 1.65. Within one of 2: levels 1-3 -> 18/20 = 0.9.
    # Tastle–Wierman, mean 1.65, d = 3:
    #   0.10 log2(1 - 1.65/3) = 0.10 log2(0.45)     = -0.1152003
    #   0.30 log2(1 - 0.65/3) = 0.30 log2(0.783333) = -0.1056905
    #   0.45 log2(1 - 0.35/3) = 0.45 log2(0.883333) = -0.0805366
    #   0.15 log2(1 - 1.35/3) = 0.15 log2(0.55)     = -0.1293745
    #   1 - 0.4308019 = 0.5691981.
    summary = summarize({0: 2, 1: 6, 2: 9, 3: 3}, PMQA)
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (2, 1, 2, 1)
    assert summary.mean == 1.65 and summary.share_within_one_of_median == 0.9
    assert summary.top_adjacent_pair == (1, 2) and summary.top_adjacent_share == 0.75
    assert summary.tastle_wierman == pytest.approx(0.5691981, abs=1e-7)
    assert summary.consensus_reached is True
    # One voter moves from 1 to 0: 3, 5, 9, 3. Sorted: 0-2 -> 0; 3-7 -> 1; 8-16 -> 2; 17-19 -> 3.
    # Median, Q1, Q3 unchanged (2, 1, 2). Pairs (0,1)=8, (1,2)=14, (2,3)=12 -> 14/20 = 0.7: no consensus.
    # Within one of 2: 17/20 = 0.85. Mean 32/20 = 1.6.
    # Tastle–Wierman, mean 1.6: 0.15 log2(0.466667) + 0.25 log2(0.8) + 0.45 log2(0.866667)
    #   + 0.15 log2(0.533333) = -0.1649304 - 0.0804820 - 0.0929029 - 0.1360336 = -0.4743489
    #   -> 0.5256511.
    moved = summarize({0: 3, 1: 5, 2: 9, 3: 3}, PMQA)
    assert (moved.median, moved.q1, moved.q3) == (2, 1, 2)
    assert moved.mean == 1.6 and moved.share_within_one_of_median == 0.85
    assert moved.top_adjacent_share == 0.7 and moved.consensus_reached is False
    assert moved.tastle_wierman == pytest.approx(0.5256511, abs=1e-7)
    # A session that asks for 70 % accepts it.
    lenient = summarize({0: 3, 1: 5, 2: 9, 3: 3}, PMQA, thresholds=Thresholds(min_adjacent_share=0.7))
    assert lenient.consensus_reached is True


def test_the_measure_matches_the_published_agrmt_example():
    # R package agrmt, consensus(c(30, 40, 210, 130, 530, 50, 10)) documents 0.7256876.
    counts = dict(zip(range(1, 8), [30, 40, 210, 130, 530, 50, 10]))
    assert summarize(counts, range(1, 8)).tastle_wierman == pytest.approx(0.7256876, abs=1e-7)


def test_in_a_room_of_three_one_voter_two_levels_away_blocks_consensus():
    # 2 at Basic, 1 at Significance. Sorted 1 1 3: median 1; halves of 2: Q1 = (1+1)/2 = 1,
    # Q3 = (1+3)/2 = 2; IQR 1 passes. Best pair (0,1) or (1,2) holds 2/3 = 0.667 < 0.75.
    # Tastle–Wierman, mean 5/3, d = 3: (2/3) log2(1 - 2/9) + (1/3) log2(1 - 4/9)
    #   = (2/3)(-0.3625701) + (1/3)(-0.8479969) = -0.2417134 - 0.2826656 -> 0.4756210.
    summary = summarize({1: 2, 3: 1}, PMQA)
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (1, 1, 2, 1)
    assert summary.top_adjacent_share == pytest.approx(2 / 3)
    assert summary.tastle_wierman == pytest.approx(0.4756210, abs=1e-7)
    assert summary.consensus_reached is False


def test_in_a_room_of_four_one_voter_two_levels_away_still_passes():
    # 3 at Basic, 1 at Significance. Sorted 1 1 1 3: median 1; halves of 2: Q1 = 1, Q3 = (1+3)/2 = 2.
    # IQR 1; pair (0,1) holds 3/4 = 0.75: consensus by the default rule.
    # Tastle–Wierman, mean 1.5, d = 3: 0.75 log2(5/6) + 0.25 log2(1/2) = -0.1972758 - 0.25
    #   -> 0.5527242.
    summary = summarize({1: 3, 3: 1}, PMQA)
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (1, 1, 2, 1)
    assert summary.top_adjacent_pair == (0, 1) and summary.top_adjacent_share == 0.75
    assert summary.tastle_wierman == pytest.approx(0.5527242, abs=1e-7)
    assert summary.consensus_reached is True


def test_on_a_two_level_scale_an_even_split_still_passes_the_default_rule():
    # 5 and 5 on a yes/no scale: median 0.5, Q1 = 0, Q3 = 1, IQR 1; the only pair holds 100 %.
    # Tastle–Wierman 0 (an even split between the extremes). A documented limit of the rule.
    summary = summarize({0: 5, 1: 5}, [0, 1])
    assert (summary.median, summary.iqr, summary.top_adjacent_share) == (0.5, 1, 1)
    assert summary.tastle_wierman == 0
    assert summary.consensus_reached is True


def test_a_one_level_scale_is_always_unanimous():
    summary = summarize({1: 4}, [1])
    assert summary.tastle_wierman == 1 and summary.iqr == 0
    assert summary.top_adjacent_pair == (1,) and summary.top_adjacent_share == 1


def test_a_packed_hall_is_summarized_from_its_tally():
    # Two million phones: the figures come from four counts, not from two million votes.
    summary = summarize({0: 100_000, 1: 300_000, 2: 1_200_000, 3: 400_000}, PMQA)
    # median: positions 999,999 and 1,000,000 both fall in level 2 (positions 400,000-1,599,999).
    # Q1: lower half positions 0-999,999, median at 499,999/500,000 -> 2. Q3: positions 1,499,999
    #   and 1,500,000 -> 2. Pair (2,3) = 1,600,000 / 2,000,000 = 0.8.
    assert summary.n == 2_000_000
    assert (summary.median, summary.q1, summary.q3) == (2, 2, 2)
    assert summary.top_adjacent_share == 0.8 and summary.consensus_reached is True


def test_the_summary_goes_on_the_wire_as_json():
    wire = json.loads(json.dumps(summarize({1: 3, 2: 1}, PMQA, not_sure=1).to_dict()))
    assert wire["counts"] == {"0": 0, "1": 3, "2": 1, "3": 0}
    assert list(wire["counts"]) == ["0", "1", "2", "3"]
    assert wire["n"] == 4 and wire["not_sure"] == 1
    assert wire["modes"] == [1] and wire["top_adjacent_pair"] == [1, 2]
    assert wire["consensus_reached"] is True
    assert wire["thresholds"] == {"max_iqr": 1.0, "min_adjacent_share": 0.75}
    empty = json.loads(json.dumps(summarize({}, PMQA).to_dict()))
    assert empty["median"] is None and empty["top_adjacent_pair"] is None and empty["modes"] == []


# --- what a caller can get wrong -------------------------------------------------------------

@pytest.mark.parametrize("counts, scale, message", [
    ({4: 1}, PMQA, "not a level of the scale"),
    ({True: 1}, PMQA, "not a level of the scale"),
    ({"2": 1}, PMQA, "not a level of the scale"),
    ({2: -1}, PMQA, "zero or more"),
    ({2: 1.5}, PMQA, "whole number"),
    ({2: 1}, [], "at least one level"),
    ({2: 1}, [0, 2, 3], "consecutive"),
    ({2: 1}, [3, 2, 1, 0], "consecutive"),
    ({2: 1}, [0, 1.0, 2], "integers"),
])
def test_a_tally_that_does_not_fit_the_scale_is_refused(counts, scale, message):
    with pytest.raises(ValueError, match=message):
        summarize(counts, scale)


def test_a_negative_not_sure_count_is_refused():
    with pytest.raises(ValueError, match="not_sure"):
        summarize({1: 1}, PMQA, not_sure=-1)


def test_a_session_keeps_its_own_thresholds():
    stored = Thresholds(max_iqr=0.5, min_adjacent_share=0.8).to_dict()
    assert json.loads(json.dumps(stored)) == {"max_iqr": 0.5, "min_adjacent_share": 0.8}
    assert Thresholds.from_dict(stored) == Thresholds(max_iqr=0.5, min_adjacent_share=0.8)
    assert Thresholds.from_dict({}) == Thresholds(max_iqr=1.0, min_adjacent_share=0.75)
    assert Thresholds.from_dict({"max_iqr": 2}).max_iqr == 2.0


@pytest.mark.parametrize("data, message", [
    ({"max_iqr": -0.5}, "max_iqr: must be at least 0"),
    ({"max_iqr": "1"}, "max_iqr: a finite number"),
    ({"max_iqr": math.inf}, "max_iqr: a finite number"),
    ({"min_adjacent_share": 75}, "min_adjacent_share: must be between 0 and 1"),
    ({"min_adjacent_share": True}, "min_adjacent_share: a finite number"),
    ({"min_adjacent_share": math.nan}, "min_adjacent_share: a finite number"),
    ({"min_share": 0.7}, "unknown key"),
    ([("max_iqr", 1)], "a mapping is needed"),
])
def test_thresholds_that_make_no_sense_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        Thresholds.from_dict(data)


# --- properties ------------------------------------------------------------------------------

@st.composite
def scales(draw, min_levels=1):
    lowest = draw(st.integers(min_value=-2, max_value=3))
    return list(range(lowest, lowest + draw(st.integers(min_value=min_levels, max_value=7))))


@st.composite
def rooms(draw, min_votes=0):
    """A scale and a tally on it."""
    scale = draw(scales())
    counts = draw(st.lists(st.integers(min_value=0, max_value=40),
                           min_size=len(scale), max_size=len(scale)))
    if sum(counts) < min_votes:
        counts[draw(st.integers(0, len(scale) - 1))] += min_votes
    return scale, dict(zip(scale, counts))


@given(st.data())
def test_the_order_in_which_phones_vote_does_not_matter(data):
    scale = data.draw(scales())
    votes = data.draw(st.lists(st.sampled_from(scale), max_size=60))
    shuffled = data.draw(st.permutations(votes))
    in_order = summarize(Counter(votes), scale)
    assert summarize(Counter(shuffled), scale) == in_order
    assert summarize(dict(reversed(Counter(votes).items())), scale) == in_order
    assert in_order.n == len(votes)


@given(rooms(min_votes=1))
def test_the_quartiles_are_tukeys_hinges_of_the_sorted_votes(room):
    scale, counts = room
    votes = sorted(level for level, count in counts.items() for _ in range(count))
    half = (len(votes) + 1) // 2
    summary = summarize(counts, scale)
    assert summary.median == statistics.median(votes)
    assert summary.q1 == statistics.median(votes[:half])
    assert summary.q3 == statistics.median(votes[-half:])
    assert summary.mean == pytest.approx(statistics.fmean(votes))
    assert set(summary.modes) == set(statistics.multimode(votes))


@given(scales(), st.data(), st.integers(min_value=1, max_value=10_000))
def test_a_unanimous_room_scores_one_and_reaches_consensus(scale, data, voters):
    level = data.draw(st.sampled_from(scale))
    summary = summarize({level: voters}, scale)
    assert summary.tastle_wierman == 1
    assert summary.median == level and summary.iqr == 0
    assert summary.consensus_reached is True


@given(scales(min_levels=2), st.integers(min_value=1, max_value=10_000))
def test_a_room_split_evenly_between_the_extremes_scores_zero(scale, camp):
    summary = summarize({scale[0]: camp, scale[-1]: camp}, scale)
    assert summary.tastle_wierman == 0
    if len(scale) >= 3:
        assert summary.consensus_reached is False


@given(rooms(min_votes=1))
def test_every_figure_stays_in_its_range(room):
    scale, counts = room
    summary = summarize(counts, scale)
    assert 0 <= summary.tastle_wierman <= 1
    assert scale[0] <= summary.q1 <= summary.median <= summary.q3 <= scale[-1]
    assert scale[0] <= summary.mean <= scale[-1]
    assert summary.iqr >= 0
    assert 0 <= summary.share_within_one_of_median <= 1
    assert 0 <= summary.top_adjacent_share <= 1
    assert set(summary.modes) <= set(scale) and summary.modes
    assert summary.top_adjacent_pair[0] in scale and summary.top_adjacent_pair[-1] in scale
    assert sum(counts[level] for level in summary.top_adjacent_pair) / summary.n == \
        summary.top_adjacent_share
    assert list(summary.counts) == scale and sum(summary.counts.values()) == summary.n


@given(rooms(), st.integers(min_value=1, max_value=500))
def test_not_sure_answers_never_change_a_figure(room, not_sure):
    scale, counts = room
    with_doubt = summarize(counts, scale, not_sure=not_sure)
    assert with_doubt.not_sure == not_sure
    assert replace(with_doubt, not_sure=0) == summarize(counts, scale)


@given(rooms(min_votes=1), st.integers(min_value=2, max_value=1000))
def test_a_bigger_room_voting_alike_gets_the_same_shares_and_score(room, factor):
    scale, counts = room
    small = summarize(counts, scale)
    big = summarize({level: count * factor for level, count in counts.items()}, scale)
    assert big.n == small.n * factor
    assert big.share_within_one_of_median == small.share_within_one_of_median
    assert big.top_adjacent_share == small.top_adjacent_share
    assert big.tastle_wierman == small.tastle_wierman
    assert big.mean == small.mean and big.modes == small.modes


@given(rooms(min_votes=1), st.floats(0, 4), st.floats(0, 1))
def test_the_verdict_is_exactly_the_two_thresholds(room, max_iqr, min_share):
    scale, counts = room
    thresholds = Thresholds(max_iqr=max_iqr, min_adjacent_share=min_share)
    summary = summarize(counts, scale, thresholds=thresholds)
    assert summary.consensus_reached == (
        summary.iqr <= max_iqr and summary.top_adjacent_share >= min_share)
    assert summary.thresholds == thresholds
    assert isinstance(summary, Summary)

