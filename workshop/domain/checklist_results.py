"""How a room answers an item's checklist: each line's figures and verdict, the level the
answers propose, and the lines that become proposed OFIs. Pure Python: no I/O.

A checklist round asks every phone, line by line, "met", "not met" or "not sure". Each line is
summarized like a level vote (`consensus.summarize`) on the two-value scale not met = 0,
met = 1, "not sure" counted apart. On two values the level rule's "two neighbouring levels"
cover the whole scale (its share is always 100 %, its IQR at most 1), so a line's verdict
keeps the same threshold (`min_adjacent_share`) on the share of the answer most phones gave:
the room agrees a line is met (or not met) when at least that share of the phones that
answered it say so. A line nobody answered, or one without such a share, is `disputed`:
flagged for discussion and re-run alone.

The proposed level follows the cumulative rule (`checklist_rules.reached_level`): the
highest level whose lines, and every line below, the room agrees are met.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from .checklist_rules import reached_level
from .consensus import Summary, Thresholds, summarize

ANSWERS = ("met", "not_met", "not_sure")
VERDICTS = ("met", "not_met", "disputed")
NOT_MET, MET = 0, 1
LINE_SCALE = (NOT_MET, MET)


@dataclass(frozen=True)
class LineResult:
    """One line's figures (a `Summary` on the 0/1 scale) and the room's verdict on it."""
    line_id: str
    level: int
    summary: Summary
    verdict: str

    def to_dict(self) -> dict:
        counts = self.summary.counts
        return {"id": self.line_id, "level": self.level, "verdict": self.verdict,
                "counts": {"met": counts[MET], "not_met": counts[NOT_MET],
                           "not_sure": self.summary.not_sure},
                "summary": self.summary.to_dict()}


def line_summary(met: int, not_met: int, not_sure: int = 0,
                 thresholds: Thresholds = Thresholds()) -> Summary:
    """A line's figures with the line verdict (see the module docstring) as `consensus_reached`;
    its "top adjacent" group is the single answer most phones gave (met on a tie)."""
    summary = summarize({NOT_MET: not_met, MET: met}, LINE_SCALE, not_sure, thresholds)
    if summary.n == 0:
        return summary
    top = MET if met >= not_met else NOT_MET
    share = max(met, not_met) / summary.n
    return replace(summary, top_adjacent_pair=(top,), top_adjacent_share=share,
                   consensus_reached=share >= thresholds.min_adjacent_share)


def verdict_of(summary: Summary) -> str:
    """`met` / `not_met` when the room agrees, else `disputed`."""
    if not summary.consensus_reached or summary.top_adjacent_pair is None:
        return "disputed"
    return "met" if summary.top_adjacent_pair == (MET,) else "not_met"


def line_results(lines: Sequence[tuple[str, int]], counts: Mapping[str, Mapping[str, int]],
                 thresholds: Thresholds = Thresholds()) -> list[LineResult]:
    """Each line's result, in the order given; `lines` are (line id, level) pairs and `counts`
    the answers per line id ({"met": n, "not_met": n, "not_sure": n}; a missing line has none)."""
    found = []
    for line_id, level in lines:
        answers = counts.get(line_id, {})
        summary = line_summary(answers.get("met", 0), answers.get("not_met", 0),
                               answers.get("not_sure", 0), thresholds)
        found.append(LineResult(line_id, level, summary, verdict_of(summary)))
    return found


def proposed_level(checklists: Mapping[int, Sequence], verdicts: Mapping[str, str],
                   lowest: int) -> int:
    """The level the room's answers propose: the cumulative rule over the lines it agrees
    are met (`checklists`: level -> lines with an `id`, as a criterion carries them)."""
    met = {line_id for line_id, verdict in verdicts.items() if verdict == "met"}
    return reached_level(dict(checklists), met, lowest)


def proposed_ofis(checklists: Mapping[int, Sequence], verdicts: Mapping[str, str],
                  target: int) -> list[tuple[int, str, str]]:
    """The lines a criterion must still meet to reach `target`: every line of the target
    level and of each level below it (levels are cumulative) that the room did not agree is
    met, as (level, line id, verdict) in the framework's order; a line never answered counts
    as disputed."""
    found = []
    for value in sorted(checklists):
        if value > target:
            break
        for line in checklists[value]:
            verdict = verdicts.get(line.id, "disputed")
            if verdict != "met":
                found.append((value, line.id, verdict))
    return found


def latest_per_line(rounds: Sequence[tuple[Sequence[str], Mapping[str, Mapping[str, int]]]]
                    ) -> dict[str, Mapping[str, int]]:
    """The answers that count for each line across a criterion's checklist rounds (oldest
    first, each as (line ids it asked, answers per line)): a re-run of some lines replaces
    those lines' answers and keeps the others' from the earlier round."""
    found: dict[str, Mapping[str, int]] = {}
    for asked, counts in rounds:
        for line_id in asked:
            found[line_id] = counts.get(line_id, {})
    return found
