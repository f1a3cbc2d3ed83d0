"""The archive's rules across rows: what must hold together before a single row is written.

`cross_problems(archive)` lists every problem of an archive whose fields each passed their
models (archive_format.py): the framework is valid; the agenda, current criterion, ideas
phase, rounds, decisions and ideas name criteria of it (the session's own pointers name
criteria of its agenda, which is what its pages show); levels are on its scale; references
point to rows that exist; rounds are in a state the live workshop can be in (at most one
open, on the current criterion; times that agree with the state); checklist rounds ask lines
and hold answers only to those; a merged idea joins a visible-kind twin and is hidden;
indicators belong to results items. An archive that breaks one
of these would break the session page, the plan editor, the exports or every socket connect
after it was imported, so it is refused whole.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.framework import FrameworkInvalid, parse_framework

if TYPE_CHECKING:
    from .archive_format import Archive, IdeaRow


def cross_problems(archive: Archive) -> list[str]:
    """Rules across rows: references that point somewhere, levels on the scale, no duplicates."""
    try:
        framework = parse_framework(archive.framework, source="framework")
    except FrameworkInvalid as error:
        return error.lines()
    levels = set(framework.level_values())
    criteria = {c.code for c in framework.criteria()}
    problems = _duplicates("participants", [p.id for p in archive.participants])
    problems += _duplicates("rounds", [r.id for r in archive.rounds])
    problems += _duplicates("ideas", [i.id for i in archive.ideas])
    problems += _duplicates("rounds (criterion, number)",
                            [(r.criterion_code, r.number) for r in archive.rounds])
    people = {p.id for p in archive.participants}
    rounds = {r.id for r in archive.rounds}
    problems += _session_problems(archive, rounds, criteria)
    problems += _round_problems(archive, people, levels, criteria)
    problems += _state_problems(archive)
    problems += _decision_problems(archive, rounds, levels, criteria)
    problems += _idea_problems(archive, people, criteria)
    problems += [f"indicators[{n}].criterion_code: {i.criterion_code!r} is not a results item"
                 f" of the framework" for n, i in enumerate(archive.indicators)
                 if i.criterion_code not in criteria or framework.results_rule(i.criterion_code) is None]
    return problems


def _duplicates(what: str, keys: list) -> list[str]:
    seen, found = set(), []
    for key in keys:
        if key in seen:
            found.append(f"{what}: {key!r} appears twice")
        seen.add(key)
    return found


def _session_problems(archive: Archive, rounds: set[int], criteria: set[str]) -> list[str]:
    session = archive.session
    found = [f"session.agenda: {code!r} is not a criterion of the framework"
             for code in session.agenda if code not in criteria]
    found += _duplicates("session.agenda", list(session.agenda))
    for name in ("current_criterion", "ideas_open_for"):
        code = getattr(session, name)
        if code is not None and code not in session.agenda:
            found.append(f"session.{name}: {code!r} is not on the session's agenda")
    if session.explain_round not in rounds | {None}:
        found.append("session.explain_round: no such round")
    return found


# what each state of a round says about its times: (closed_at set, revealed_at set)
STATE_TIMES = {"open": (False, False), "closed": (True, False), "revealed": (True, True)}


def _state_problems(archive: Archive) -> list[str]:
    found = []
    for index, round_ in enumerate(archive.rounds):
        times = (round_.closed_at is not None, round_.revealed_at is not None)
        if times != STATE_TIMES[round_.state]:
            found.append(f"rounds[{index}]: a {round_.state} round with closed_at "
                         f"{round_.closed_at} and revealed_at {round_.revealed_at}")
    open_rounds = [r for r in archive.rounds if r.state == "open"]
    if len(open_rounds) > 1:
        found.append(f"rounds: {len(open_rounds)} rounds are open; a session has at most one")
    current = archive.session.current_criterion
    found += [f"rounds: round {r.id} is open on {r.criterion_code!r}, not on the current "
              f"criterion {current!r}" for r in open_rounds if r.criterion_code != current]
    if any(r.id == archive.session.explain_round for r in open_rounds):
        found.append("session.explain_round: the round is still open")
    return found


def _criterion_named(where: str, code: str, criteria: set[str]) -> list[str]:
    return [] if code in criteria else [f"{where}.criterion_code: {code!r} is not a criterion"]


def _participant_named(field: str, participant: int, people: set[int]) -> list[str]:
    return [] if participant in people else [f"{field}: no participant {participant}"]


def _round_problems(archive: Archive, people: set[int], levels: set[int],
                    criteria: set[str]) -> list[str]:
    found = []
    for index, round_ in enumerate(archive.rounds):
        where = f"rounds[{index}]"
        found += _criterion_named(where, round_.criterion_code, criteria)
        found += _duplicates(f"{where}.votes participant", [v.participant for v in round_.votes])
        for v_index, vote in enumerate(round_.votes):
            at = f"{where}.votes[{v_index}]"
            found += _participant_named(f"{at}.participant", vote.participant, people)
            if vote.not_sure != (vote.level is None):
                found.append(f"{at}: a vote is \"not sure\" exactly when it has no level")
            if vote.level is not None and vote.level not in levels:
                found.append(f"{at}.level: {vote.level} is not a level of the framework")
        found += _checklist_problems(where, round_, people)
    return found


def _checklist_problems(where: str, round_, people: set[int]) -> list[str]:
    """A checklist round asks lines and holds answers only to them; a level round neither."""
    found = []
    if round_.kind == "level" and (round_.lines is not None or round_.answers):
        found.append(f"{where}: a level round has no checklist lines or answers")
    if round_.kind == "checklist" and (not round_.lines or round_.votes):
        found.append(f"{where}: a checklist round asks lines and holds no votes")
    asked = set(round_.lines or ())
    found += _duplicates(f"{where}.answers (participant, line)",
                         [(a.participant, a.line) for a in round_.answers])
    for a_index, answer in enumerate(round_.answers):
        found += _participant_named(f"{where}.answers[{a_index}].participant",
                                    answer.participant, people)
        if answer.line not in asked:
            found.append(f"{where}.answers[{a_index}].line: {answer.line!r} is not asked in this round")
    return found


def _decision_problems(archive: Archive, rounds: set[int], levels: set[int],
                       criteria: set[str]) -> list[str]:
    found = []
    for index, decision in enumerate(archive.decisions):
        where = f"decisions[{index}]"
        found += _criterion_named(where, decision.criterion_code, criteria)
        for name in ("agreed_level", "target_level"):
            value = getattr(decision, name)
            if value is not None and value not in levels:
                found.append(f"{where}.{name}: {value} is not a level of the framework")
        if decision.round is not None and decision.round not in rounds:
            found.append(f"{where}.round: no round {decision.round}")
        if decision.undone != (decision.undone_at is not None):
            found.append(f"{where}: undone and undone_at disagree")
    return found


def _idea_problems(archive: Archive, people: set[int], criteria: set[str]) -> list[str]:
    found = []
    by_id = {i.id: i for i in archive.ideas}
    for index, idea in enumerate(archive.ideas):
        where = f"ideas[{index}]"
        found += _criterion_named(where, idea.criterion_code, criteria)
        if idea.participant is not None:
            found += _participant_named(f"{where}.participant", idea.participant, people)
        voters = [u.participant for u in idea.upvoted_by]
        found += _duplicates(f"{where}.upvoted_by participant", voters)
        for voter in voters:
            found += _participant_named(f"{where}.upvoted_by", voter, people)
        if idea.upvotes != len(voters):
            found.append(f"{where}.upvotes: {idea.upvotes} but {len(voters)} upvote(s) listed")
        found += _merge_problems(by_id, where, idea)
    return found


def _merge_problems(by_id: dict[int, IdeaRow], where: str, idea: IdeaRow) -> list[str]:
    if idea.merged_into is None:
        return []
    joined = by_id.get(idea.merged_into)
    if joined is None or joined.id == idea.id:
        return [f"{where}.merged_into: no other idea {idea.merged_into}"]
    if (joined.criterion_code, joined.kind) != (idea.criterion_code, idea.kind) or joined.merged_into:
        return [f"{where}.merged_into: idea {joined.id} is of another criterion or kind, or merged"]
    if not idea.hidden:
        return [f"{where}.hidden: a merged idea is hidden"]
    return []
