"""How far a room agrees on one criterion: the figures and the verdict shown after a round.

Everything here works from the COUNT of votes per level (a tally), never from a list of votes,
so the server can keep a running tally and summarize it in time proportional to the number of
levels, whatever the size of the room. "Not sure" answers are counted apart and excluded from
every figure. Pure Python: no Flask, no database, no I/O.

Distances are measured in levels: the scale must be consecutive integers (0..3, 1..5, ...).

Quartile method: Tukey's hinges (the same as R's ``fivenum``). Sort the n votes; the median is
the middle vote, or the midpoint of the two middle votes when n is even. The lower half is the
first ceil(n/2) votes and the upper half the last ceil(n/2) votes (with an odd n the median vote
belongs to both halves); Q1 and Q3 are the medians of those halves. Every quartile is therefore a
level or the midpoint of two levels, never a value interpolated out of nothing, which suits an
ordinal scale, and the method is defined for a single vote (Q1 = median = Q3).

Figures and their reading are explained in docs/consensus.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

DEFAULT_MAX_IQR = 1.0
DEFAULT_MIN_ADJACENT_SHARE = 0.75


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Thresholds:
    """When a round counts as consensus; each session stores its own (see `from_dict`)."""

    max_iqr: float = DEFAULT_MAX_IQR
    min_adjacent_share: float = DEFAULT_MIN_ADJACENT_SHARE

    def __post_init__(self) -> None:
        for name, low, high in (("max_iqr", 0.0, math.inf), ("min_adjacent_share", 0.0, 1.0)):
            value = getattr(self, name)
            if not _is_number(value) or not math.isfinite(value):
                raise ValueError(f"thresholds.{name}: a finite number is needed, got {value!r}")
            if not low <= value <= high:
                limit = f"between {low:g} and {high:g}" if high < math.inf else f"at least {low:g}"
                raise ValueError(f"thresholds.{name}: must be {limit}, got {value!r}")
            object.__setattr__(self, name, float(value))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thresholds:
        """Thresholds from settings: a missing key keeps its default, an unknown key fails."""
        if not isinstance(data, Mapping):
            raise ValueError(f"thresholds: a mapping is needed, got {type(data).__name__}")
        unknown = sorted(str(key) for key in data if key not in ("max_iqr", "min_adjacent_share"))
        if unknown:
            raise ValueError(f"thresholds: unknown key(s) {', '.join(unknown)}; "
                             "known keys are max_iqr and min_adjacent_share")
        return cls(**data)

    def to_dict(self) -> dict[str, float]:
        return {"max_iqr": self.max_iqr, "min_adjacent_share": self.min_adjacent_share}


@dataclass(frozen=True)
class Summary:
    """The figures of one round. With no vote (n == 0) every figure is None, `modes` is empty
    and the verdict is False. Shares are fractions from 0 to 1."""

    n: int
    not_sure: int
    counts: dict[int, int]
    median: float | None
    modes: tuple[int, ...]
    mean: float | None
    q1: float | None
    q3: float | None
    iqr: float | None
    share_within_one_of_median: float | None
    top_adjacent_pair: tuple[int, ...] | None
    top_adjacent_share: float | None
    tastle_wierman: float | None
    consensus_reached: bool
    thresholds: Thresholds = field(default_factory=Thresholds)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form for the wire; level keys of `counts` become strings, in scale order."""
        pair = self.top_adjacent_pair
        return {
            "n": self.n,
            "not_sure": self.not_sure,
            "counts": {str(level): count for level, count in self.counts.items()},
            "median": self.median,
            "modes": list(self.modes),
            "mean": self.mean,
            "q1": self.q1,
            "q3": self.q3,
            "iqr": self.iqr,
            "share_within_one_of_median": self.share_within_one_of_median,
            "top_adjacent_pair": None if pair is None else list(pair),
            "top_adjacent_share": self.top_adjacent_share,
            "tastle_wierman": self.tastle_wierman,
            "consensus_reached": self.consensus_reached,
            "thresholds": self.thresholds.to_dict(),
        }


def _checked_scale(scale: Sequence[int]) -> tuple[int, ...]:
    levels = tuple(scale)
    if not levels:
        raise ValueError("scale: at least one level is needed")
    if not all(_is_count(level) for level in levels):
        raise ValueError(f"scale: levels must be integers, got {list(levels)!r}")
    if any(later - earlier != 1 for earlier, later in zip(levels, levels[1:])):
        raise ValueError(f"scale: levels must be consecutive integers in increasing order "
                         f"(distances are measured in levels), got {list(levels)!r}")
    return levels


def _checked_tally(counts: Mapping[int, int], levels: tuple[int, ...]) -> tuple[int, ...]:
    """Counts in scale order, zeros included; a level off the scale or a bad count fails."""
    on_scale = set(levels)
    for level, count in counts.items():
        if not _is_count(level) or level not in on_scale:
            raise ValueError(f"counts: {level!r} is not a level of the scale {list(levels)!r}")
        if not _is_count(count) or count < 0:
            raise ValueError(f"counts: level {level} has {count!r} votes; "
                             "a count must be a whole number, zero or more")
    return tuple(counts.get(level, 0) for level in levels)


def _nth_vote(tally: tuple[int, ...], levels: tuple[int, ...], index: int) -> int:
    """The level of the vote at 0-based `index` once the votes are sorted by level."""
    seen = 0
    for level, count in zip(levels, tally):
        seen += count
        if index < seen:
            return level
    raise IndexError(index)


def _median_of_run(tally: tuple[int, ...], levels: tuple[int, ...], start: int, size: int) -> float:
    """Median of the `size` sorted votes starting at `start` (midpoint when size is even)."""
    low = _nth_vote(tally, levels, start + (size - 1) // 2)
    high = _nth_vote(tally, levels, start + size // 2)
    return (low + high) / 2


def _hinges(tally: tuple[int, ...], levels: tuple[int, ...], n: int) -> tuple[float, float, float]:
    """Q1, median and Q3 by Tukey's hinges (see the module docstring)."""
    half = (n + 1) // 2
    median = _median_of_run(tally, levels, 0, n)
    q1 = _median_of_run(tally, levels, 0, half)
    q3 = _median_of_run(tally, levels, n - half, half)
    return q1, median, q3


def _top_adjacent(tally: tuple[int, ...], levels: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """The two neighbouring levels holding most votes (the lowest such pair on a tie)."""
    if len(levels) == 1:
        return levels, tally[0]
    best = max(range(len(levels) - 1), key=lambda i: (tally[i] + tally[i + 1], -i))
    return (levels[best], levels[best + 1]), tally[best] + tally[best + 1]


def _tastle_wierman(tally: Sequence[int], levels: Sequence[int]) -> float:
    """Tastle & Wierman (2007) consensus: 1 + sum p_i log2(1 - |X_i - mean| / d), from 0 to 1.

    d is the width of the scale (highest level minus lowest), not of the levels voted. Levels
    with no vote contribute nothing (p_i log2(...) -> 0), and a one-level scale is unanimous.
    """
    n = sum(tally)
    if n == 0:
        raise ValueError("Tastle–Wierman needs at least one vote")
    width = levels[-1] - levels[0]
    if width == 0:
        return 1.0
    mean = sum(level * count for level, count in zip(levels, tally)) / n
    total = 0.0
    for level, count in zip(levels, tally):
        if count:
            total += (count / n) * math.log2(1 - abs(level - mean) / width)
    return min(1.0, max(0.0, 1.0 + total))


def summarize(counts: Mapping[int, int], scale: Sequence[int], not_sure: int = 0,
              thresholds: Thresholds = Thresholds()) -> Summary:
    """All the figures and the verdict of one round, from the number of votes per level."""
    levels = _checked_scale(scale)
    tally = _checked_tally(counts, levels)
    if not _is_count(not_sure) or not_sure < 0:
        raise ValueError(f"not_sure: a whole number, zero or more, is needed, got {not_sure!r}")
    n = sum(tally)
    per_level = dict(zip(levels, tally))
    if n == 0:
        return Summary(n=0, not_sure=not_sure, counts=per_level, median=None, modes=(),
                       mean=None, q1=None, q3=None, iqr=None, share_within_one_of_median=None,
                       top_adjacent_pair=None, top_adjacent_share=None, tastle_wierman=None,
                       consensus_reached=False, thresholds=thresholds)
    q1, median, q3 = _hinges(tally, levels, n)
    most = max(tally)
    pair, in_pair = _top_adjacent(tally, levels)
    near_median = sum(count for level, count in zip(levels, tally) if abs(level - median) <= 1)
    iqr = q3 - q1
    top_share = in_pair / n
    return Summary(
        n=n, not_sure=not_sure, counts=per_level, median=median,
        modes=tuple(level for level, count in zip(levels, tally) if count == most),
        mean=sum(level * count for level, count in zip(levels, tally)) / n,
        q1=q1, q3=q3, iqr=iqr,
        share_within_one_of_median=near_median / n,
        top_adjacent_pair=pair, top_adjacent_share=top_share,
        tastle_wierman=_tastle_wierman(tally, levels),
        consensus_reached=iqr <= thresholds.max_iqr and top_share >= thresholds.min_adjacent_share,
        thresholds=thresholds,
    )


def proposed_level(summary: Summary) -> int | None:
    """The level a round of level votes proposes: its median rounded DOWN to a level (a maturity
    level counts only when the levels below it are met, so a room split half-way proposes the
    lower one); None with no level voted."""
    return None if summary.median is None else math.floor(summary.median)
