"""What a round's summary must say, worked out from the raw votes the test sent, by the
definitions of docs/consensus.md and without `workshop.domain.consensus`: the end-to-end tests
compare the server's figures with these, so a fault in `summarize` cannot agree with itself.

`votes` is one entry per phone: a level, or None for "not sure".
"""
from __future__ import annotations

import math
import statistics

DEFAULT_THRESHOLDS = {"max_iqr": 1.0, "min_adjacent_share": 0.75}


def tastle_wierman(levels: list[int], scale: list[int]) -> float:
    """Tastle & Wierman (2007): Cns = 1 + sum over the votes' levels of p(X) log2(1 - |X - mean| / d),
    d the width of the scale; here summed vote by vote (each vote weighs 1/n)."""
    mean = statistics.fmean(levels)
    width = scale[-1] - scale[0]
    return 1 + sum(math.log2(1 - abs(level - mean) / width) for level in levels) / len(levels)


def tukey_hinges(levels: list[int]) -> tuple[float, float]:
    """Q1 and Q3: the medians of the lower and upper halves, the middle vote in both when n is odd."""
    ordered = sorted(levels)
    half = math.ceil(len(ordered) / 2)
    return float(statistics.median(ordered[:half])), float(statistics.median(ordered[-half:]))


def expected_summary(votes: list[int | None], scale: list[int],
                     thresholds: dict = DEFAULT_THRESHOLDS) -> dict:
    """The `summary` of docs/protocol.md's RESULTS for these votes (a round where a level was voted)."""
    levels = [vote for vote in votes if vote is not None]
    n = len(levels)
    q1, q3 = tukey_hinges(levels)
    median = float(statistics.median(levels))
    pairs = [(low, low + 1) for low in scale[:-1]]
    in_pair = {pair: sum(level in pair for level in levels) for pair in pairs}
    top_pair = max(pairs, key=lambda pair: (in_pair[pair], -pair[0]))  # the lowest on a tie
    top_share = in_pair[top_pair] / n
    counts = {str(level): levels.count(level) for level in scale}
    return {
        "n": n,
        "not_sure": len(votes) - n,
        "counts": counts,
        "median": median,
        "modes": sorted(statistics.multimode(sorted(levels))),
        "mean": statistics.fmean(levels),
        "q1": q1,
        "q3": q3,
        "iqr": q3 - q1,
        "share_within_one_of_median": sum(abs(level - median) <= 1 for level in levels) / n,
        "top_adjacent_pair": list(top_pair),
        "top_adjacent_share": top_share,
        "tastle_wierman": tastle_wierman(levels, scale),
        "consensus_reached": q3 - q1 <= thresholds["max_iqr"]
        and top_share >= thresholds["min_adjacent_share"],
        "thresholds": thresholds,
    }


def rounded(figures):
    """The figures with every float rounded to 9 places, to compare two computations of them."""
    if isinstance(figures, dict):
        return {key: rounded(value) for key, value in figures.items()}
    if isinstance(figures, list):
        return [rounded(value) for value in figures]
    return round(figures, 9) if isinstance(figures, float) else figures
