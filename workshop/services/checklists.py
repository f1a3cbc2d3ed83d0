"""Checklist rounds: a phone answers each line of an item's checklist (met / not met / not
sure), and the room's answers, line by line, propose a level by the cumulative rule.

A checklist round is a `Round` of kind "checklist" asking some lines of its criterion (all of
them, or, for a re-run, the lines the room disputed). Answers are upserts keyed by round,
participant and line; a phone may send some lines now and the rest later (partial answers
count line by line). Across a criterion's checklist rounds the latest answers of each line
count (`domain.checklist_results.latest_per_line`). Rules live in the domain; here they meet
the store.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import checklist_results as rules
from ..domain.framework import Criterion, Framework
from ..store import checklist_answers as answer_store
from ..store import decisions as decision_store
from ..store.models import Round, WorkshopSession
from .errors import LiveError, invalid
from .lookups import check_criterion, framework_of, round_of
from .rounds import open_round
from .sessions import thresholds
from .voting import voter

ANSWER_LIMIT = 100  # lines in one submission (a checklist is far shorter)


def lines_of(criterion: Criterion) -> list[tuple[str, int]]:
    """Every checklist line of a criterion as (line id, level), lowest level first."""
    return [(line.id, value) for value in sorted(criterion.checklists)
            for line in criterion.checklists[value]]


def lowest_level(framework: Framework) -> int:
    return min(framework.level_values())


def lines_to_ask(framework: Framework, code: str, asked: list[str] | None) -> list[str]:
    """The lines a new checklist round asks, in the framework's order: all of the criterion's,
    or the ones named (a re-run); refused when the item has no checklist or a name is unknown."""
    every = [line_id for line_id, _ in lines_of(framework.criterion(code))]
    if not every:
        raise invalid("kind", f"criterion {code} has no checklist")
    if asked is None:
        return every
    unknown = sorted(set(asked) - set(every))
    if unknown:
        raise invalid("lines", f"criterion {code} has no checklist line {unknown[0]!r}")
    if not asked or len(set(asked)) != len(asked):
        raise invalid("lines", "name each line to re-run once, at least one")
    return [line_id for line_id in every if line_id in asked]


def open_checklist_round(db: Session, session: WorkshopSession, criterion: str,
                         number: int | None = None, lines: list[str] | None = None) -> Round:
    """Open the next round of a criterion as a checklist round asking `lines` (all its lines
    when None); a resent copy answers with the round its first copy opened."""
    check_criterion(session, criterion)
    asked = lines_to_ask(framework_of(db, session.id), criterion, lines)
    return open_round(db, session, criterion, number, kind="checklist", lines=asked)


def answer(db: Session, session_id: str, participant_id: int, *, round_id: int,
           answers: dict[str, str]) -> dict[str, str]:
    """A phone's answers to lines of an open checklist round; returns all its answers there."""
    voter(db, session_id, participant_id)
    found = round_of(db, session_id, round_id)
    if found.kind != "checklist":
        raise invalid("round_id", f"round {round_id} is a level vote: send a vote")
    if found.state != "open":
        raise LiveError("round_not_open", f"round {round_id} is {found.state}", field="round_id")
    if not answers or len(answers) > ANSWER_LIMIT:
        raise invalid("answers", f"from 1 to {ANSWER_LIMIT} lines")
    for line_id, given in answers.items():
        if line_id not in found.lines:
            raise invalid("answers", f"line {line_id!r} is not asked in round {round_id}")
        if given not in rules.ANSWERS:
            raise invalid("answers", f"line {line_id!r}: one of {', '.join(rules.ANSWERS)}")
    answer_store.upsert_answers(db, round_id=round_id, participant_id=participant_id,
                                answers=answers)
    return answer_store.answers_of(db, round_id, participant_id)


def my_answers(db: Session, round_: Round | None, participant_id: int | None) -> dict | None:
    """ANSWERS of a phone in a checklist round (None for a level round or no phone)."""
    if round_ is None or participant_id is None or round_.kind != "checklist":
        return None
    return {"round_id": round_.id, "answers": answer_store.answers_of(db, round_.id, participant_id)}


def answered(db: Session, round_: Round) -> int:
    """How many phones answered at least one line of a checklist round."""
    return answer_store.answered_count(db, round_.id)


def _rounds_up_to(db: Session, round_: Round) -> list[Round]:
    return list(db.scalars(select(Round).where(
        Round.session_id == round_.session_id, Round.criterion_code == round_.criterion_code,
        Round.kind == "checklist", Round.number <= round_.number).order_by(Round.number)))


def results(db: Session, session: WorkshopSession, round_: Round,
            shown: Callable[[Round], bool] = lambda r: True) -> dict:
    """CHECKLIST results of a checklist round: every line of its criterion with the answers
    that count up to this round (earlier rounds only where `shown` allows), its figures and
    verdict, whether this round asked it, the disputed lines and the proposed level."""
    framework = framework_of(db, session.id)
    criterion = framework.criterion(round_.criterion_code)
    earlier = [r for r in _rounds_up_to(db, round_) if r.id == round_.id or shown(r)]
    counts = answer_store.tally(db, [r.id for r in earlier])
    merged = rules.latest_per_line([(r.lines or [], counts[r.id]) for r in earlier])
    every = lines_of(criterion)
    found = rules.line_results(every, merged, thresholds(session))
    verdicts = {line.line_id: line.verdict for line in found if line.line_id in merged}
    lines = []
    for line in found:
        view = line.to_dict()
        view.update(asked=line.line_id in (round_.lines or []), answered=line.line_id in merged)
        lines.append(view)
    return {"lines": lines,
            "disputed": [line["id"] for line in lines if line["answered"] and line["verdict"] == "disputed"],
            "proposed_level": rules.proposed_level(criterion.checklists, verdicts,
                                                   lowest_level(framework)),
            "voted": answered(db, round_)}


def line_verdicts(db: Session, session: WorkshopSession, basis: Round) -> dict[str, str]:
    """The verdict of each line answered up to a closed checklist round (its basis)."""
    shown = results(db, session, basis, lambda r: r.state in ("closed", "revealed"))
    return {line["id"]: line["verdict"] for line in shown["lines"] if line["answered"]}


def outcome(db: Session, session: WorkshopSession, basis: Round, target: int | None) -> dict:
    """What a decision based on a checklist round shows: the lines met, not met and disputed
    (never answered counts as disputed) and, for a target level, the proposed OFIs."""
    criterion = framework_of(db, session.id).criterion(basis.criterion_code)
    verdicts = line_verdicts(db, session, basis)
    every = [line_id for line_id, _ in lines_of(criterion)]
    split = {verdict: [i for i in every if verdicts.get(i, "disputed") == verdict]
             for verdict in rules.VERDICTS}
    ofis = [] if target is None else rules.proposed_ofis(criterion.checklists, verdicts, target)
    split["proposed_ofis"] = [line_id for _, line_id, _ in ofis]
    return split


def decided_lines(db: Session, session: WorkshopSession) -> dict[str, dict]:
    """Per criterion whose decision in force rests on a checklist round: its lines met, not
    met and disputed and its proposed OFIs, each line as {"id", "level", "th", "en"}."""
    framework = framework_of(db, session.id)
    found = {}
    for code, decision in decision_store.current_decisions(db, session.id).items():
        basis = db.get(Round, decision.round_id) if decision.round_id is not None else None
        if basis is None or basis.kind != "checklist":
            continue
        criterion = framework.criterion(code)
        level = {line_id: value for line_id, value in lines_of(criterion)}

        def line(line_id: str) -> dict:
            text = criterion.checklist_line(line_id)
            return {"id": line_id, "level": level[line_id], "th": text.th, "en": text.en}
        found[code] = {key: [line(i) for i in ids]
                       for key, ids in outcome(db, session, basis, decision.target_level).items()}
    return found
