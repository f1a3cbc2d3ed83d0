"""The JSON archive's format: its models, and the checks that refuse anything not whole.

`parse_archive(data)` turns the bytes of a file into a validated `Archive`, or raises
`ArchiveRefused` (one of `NotAnArchive`, `UnknownVersion`, `DamagedArchive`) with a message
that says what is wrong, for an organizer to read. Nothing here touches a database.
The format itself is documented in docs/archive.md.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StrictBool,
                      StrictInt, StrictStr, ValidationError)

from ..domain.dates import BUDDHIST_ERA_OFFSET, FIRST_BE_YEAR, ce_year
from ..domain.framework import FrameworkInvalid, format_path, parse_framework

FORMAT = "workshop-session-archive"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
MAX_PROBLEMS_SHOWN = 8


class ArchiveRefused(ValueError):
    """A file that cannot be imported; the message says why."""


class NotAnArchive(ArchiveRefused):
    pass


class UnknownVersion(ArchiveRefused):
    pass


class DamagedArchive(ArchiveRefused):
    pass


def canonical_json(payload: dict[str, Any]) -> bytes:
    """The bytes the checksum is taken over: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def checksum(payload: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of everything in the archive except the checksum itself."""
    content = {key: value for key, value in payload.items() if key != "checksum"}
    return "sha256:" + hashlib.sha256(canonical_json(content)).hexdigest()


# -- the models --------------------------------------------------------------------------------

def Text(limit: int | None = None) -> Any:  # noqa: N802 - reads like a type in the models
    return Annotated[StrictStr, Field(max_length=limit)] if limit else StrictStr


Code = Text(32)
Ref = Annotated[StrictInt, Field(ge=1)]
Timestamp = AwareDatetime


def _common_era(day: date) -> date:
    """Archives hold common-era dates; a Buddhist-era year there (2569-05-09) is refused, never
    read as CE 2569 (the one rule: domain/dates.py)."""
    ce_year(day.year, day.isoformat())  # raises DateInvalid (a ValueError) outside both eras
    if day.year >= FIRST_BE_YEAR:
        raise ValueError(f"{day.isoformat()} has a Buddhist-era year: archive dates are common era "
                         f"(write {day.replace(year=day.year - BUDDHIST_ERA_OFFSET).isoformat()})")
    return day


Day = Annotated[date, AfterValidator(_common_era)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionFields(_Model):
    id: Annotated[StrictStr, Field(min_length=1, max_length=24, pattern=r"^[A-Za-z0-9_-]+$")]
    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    organization: Text(200)
    held_on: Day | None
    language: Literal["th", "en"]
    settings: dict[str, Any]
    framework_id: Text(64)
    agenda: list[Code]
    join_code: Annotated[StrictStr, Field(min_length=4, max_length=12)]
    status: Literal["draft", "live", "ended"]
    current_criterion: Code | None
    ideas_open_for: Code | None
    explain_round: Ref | None
    created_at: Timestamp
    updated_at: Timestamp


class ParticipantRow(_Model):
    id: Ref
    name: Text(80) | None
    role: Text(40) | None
    observer: StrictBool
    proxy: StrictBool
    joined_at: Timestamp
    last_seen_at: Timestamp


class VoteRow(_Model):
    participant: Ref
    level: StrictInt | None
    not_sure: StrictBool
    note: StrictStr | None
    reason: StrictStr | None
    on_behalf: StrictBool
    created_at: Timestamp
    updated_at: Timestamp


class RoundRow(_Model):
    id: Ref
    criterion_code: Code
    number: Ref
    state: Literal["open", "closed", "revealed"]
    opened_at: Timestamp
    closed_at: Timestamp | None
    revealed_at: Timestamp | None
    votes: list[VoteRow]


class DecisionRow(_Model):
    criterion_code: Code
    agreed_level: StrictInt | None
    target_level: StrictInt | None
    importance: Annotated[StrictInt, Field(ge=1, le=5)] | None
    note: StrictStr | None
    decided_by: Text(80) | None
    decided_at: Timestamp
    round: Ref | None
    undone: StrictBool
    undone_at: Timestamp | None


class UpvoteRow(_Model):
    participant: Ref
    created_at: Timestamp


class IdeaRow(_Model):
    id: Ref
    criterion_code: Code
    text: StrictStr
    participant: Ref | None
    upvotes: Annotated[StrictInt, Field(ge=0)]
    hidden: StrictBool
    created_at: Timestamp
    upvoted_by: list[UpvoteRow]
    # strengths and OFIs (migration 0003_ofi); absent from older archives
    kind: Literal["idea", "strength", "ofi"] = "idea"
    kept: StrictBool = False
    merged_into: Ref | None = None


class PlanItemRow(_Model):
    criterion_code: Code
    position: StrictInt
    actions: list[Any]
    owner: Text(200) | None
    start_quarter: Text(16) | None
    end_quarter: Text(16) | None
    indicator: StrictStr | None
    target_value: Text(200) | None
    budget_note: StrictStr | None
    status: Text(32)
    out_of_scope: StrictBool
    updated_at: Timestamp
    # what a PMQA working group writes (migration 0003_plan); absent from older archives
    ofi: StrictStr | None = None
    objective: StrictStr | None = None
    project: StrictStr | None = None
    owner_person: Text(200) | None = None
    budget_amount: Annotated[StrictInt, Field(ge=0)] | None = None
    budget_source: Text(200) | None = None
    evidence: StrictStr | None = None
    year_targets: dict[Annotated[str, Field(pattern=r"^\d{4}$")], StrictInt] | None = None


Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]


class IndicatorArchiveRow(_Model):
    criterion_code: Code
    position: StrictInt
    name: Text(200)
    unit: Annotated[StrictStr, Field(max_length=40)]
    direction: Literal["higher", "lower"]
    target: Number
    values: dict[Annotated[str, Field(pattern=r"^\d{4}$")], Number]
    created_at: Timestamp
    updated_at: Timestamp


class Archive(_Model):
    format: Literal["workshop-session-archive"]
    version: Literal[1]
    checksum: StrictStr
    session: SessionFields
    framework: dict[str, Any]
    participants: list[ParticipantRow]
    rounds: list[RoundRow]
    decisions: list[DecisionRow]
    ideas: list[IdeaRow]
    plan_items: list[PlanItemRow]
    indicators: list[IndicatorArchiveRow] = []  # results items (migration 0003_ofi); absent before


# -- reading -----------------------------------------------------------------------------------

def parse_archive(data: bytes) -> Archive:
    """A validated archive from a file's bytes, or ArchiveRefused saying why not."""
    raw = _load_json(data)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise NotAnArchive(f"not a workshop archive: the file has no \"format\": \"{FORMAT}\"")
    version = raw.get("version")
    if version not in SUPPORTED_VERSIONS:
        known = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
        raise UnknownVersion(f"archive version {version!r} is not known here: this server reads "
                             f"version {known} (was the archive made by a newer server?)")
    if raw.get("checksum") != checksum(raw):
        raise DamagedArchive("damaged archive: its content does not match its checksum "
                             "(the file was changed or corrupted after export)")
    try:
        archive = Archive.model_validate(raw)
    except ValidationError as error:
        raise _damaged([f"{format_path(tuple(e['loc']))}: {e['msg']}" for e in error.errors()])
    problems = cross_problems(archive)
    if problems:
        raise _damaged(problems)
    return archive


def _load_json(data: bytes) -> Any:
    """The JSON in the file; a broken file that starts like an archive is a damaged archive."""
    looks_like_one = f'"format": "{FORMAT}"'.encode() in data[:200]
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        if looks_like_one:
            raise DamagedArchive("damaged archive: part of it is not UTF-8 text") from None
        raise NotAnArchive("not a workshop archive: the file is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        if looks_like_one:
            raise DamagedArchive(f"damaged archive: the JSON breaks at line {error.lineno}, "
                                 f"column {error.colno} (cut off or edited?)") from None
        raise NotAnArchive("not a workshop archive: the file is not JSON") from None


def _damaged(problems: list[str]) -> DamagedArchive:
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    tail = f"\n  ... and {more} more" if more else ""
    return DamagedArchive(f"damaged archive: {len(problems)} problem(s):\n  "
                          + "\n  ".join(shown) + tail)


def cross_problems(archive: Archive) -> list[str]:
    """Rules across rows: references that point somewhere, levels on the scale, no duplicates."""
    try:
        framework = parse_framework(archive.framework, source="framework")
    except FrameworkInvalid as error:
        return error.lines()[:MAX_PROBLEMS_SHOWN]
    levels = set(framework.level_values())
    criteria = {c.code for c in framework.criteria()}
    problems = _duplicates("participants", [p.id for p in archive.participants])
    problems += _duplicates("rounds", [r.id for r in archive.rounds])
    problems += _duplicates("ideas", [i.id for i in archive.ideas])
    problems += _duplicates("rounds (criterion, number)",
                            [(r.criterion_code, r.number) for r in archive.rounds])
    people = {p.id for p in archive.participants}
    rounds = {r.id for r in archive.rounds}
    problems += [f"session.agenda: {code!r} is not a criterion of the framework"
                 for code in archive.session.agenda if code not in criteria]
    if archive.session.explain_round not in rounds | {None}:
        problems.append("session.explain_round: no such round")
    problems += _round_problems(archive, people, levels, criteria)
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


def _round_problems(archive: Archive, people: set[int], levels: set[int],
                    criteria: set[str]) -> list[str]:
    found = []
    for index, round_ in enumerate(archive.rounds):
        where = f"rounds[{index}]"
        if round_.criterion_code not in criteria:
            found.append(f"{where}.criterion_code: {round_.criterion_code!r} is not a criterion")
        found += _duplicates(f"{where}.votes participant", [v.participant for v in round_.votes])
        for v_index, vote in enumerate(round_.votes):
            at = f"{where}.votes[{v_index}]"
            if vote.participant not in people:
                found.append(f"{at}.participant: no participant {vote.participant}")
            if vote.not_sure != (vote.level is None):
                found.append(f"{at}: a vote is \"not sure\" exactly when it has no level")
            if vote.level is not None and vote.level not in levels:
                found.append(f"{at}.level: {vote.level} is not a level of the framework")
    return found


def _decision_problems(archive: Archive, rounds: set[int], levels: set[int],
                       criteria: set[str]) -> list[str]:
    found = []
    for index, decision in enumerate(archive.decisions):
        where = f"decisions[{index}]"
        if decision.criterion_code not in criteria:
            found.append(f"{where}.criterion_code: {decision.criterion_code!r} is not a criterion")
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
        if idea.criterion_code not in criteria:
            found.append(f"{where}.criterion_code: {idea.criterion_code!r} is not a criterion")
        if idea.participant is not None and idea.participant not in people:
            found.append(f"{where}.participant: no participant {idea.participant}")
        voters = [u.participant for u in idea.upvoted_by]
        found += _duplicates(f"{where}.upvoted_by participant", voters)
        found += [f"{where}.upvoted_by: no participant {p}" for p in voters if p not in people]
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
