"""The JSON archive's format: its models, and the checks that refuse anything not whole.

`parse_archive(data)` turns the bytes of a file into a validated `Archive`, or raises
`ArchiveRefused` (one of `NotAnArchive`, `UnknownVersion`, `DamagedArchive`) with a message
that says what is wrong, for an organizer to read. Nothing here touches a database.
The format itself is documented in docs/archive.md.

An archive is hostile input until proven whole: the file is bounded in size before it is
read, in nesting and number size while it is parsed (domain/bounded_json.py), every text in
it is held to the one rule for refused characters (domain/text.py), every field to a strict
model with bounds (settings, quarters and plan statuses included), and the rows to the rules
of archive_rules.py. Whatever passes can be shown, edited and exported by this server.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StrictBool,
                      StrictInt, StrictStr, ValidationError, field_validator)

from ..domain.bounded_json import JsonTooLarge, load_bounded
from ..domain.consensus import Thresholds
from ..domain.dates import BUDDHIST_ERA_OFFSET, FIRST_BE_YEAR, ce_year
from ..domain.framework import format_path
from ..domain.plan import PLAN_STATUSES, FiscalQuarter
from ..domain.session_settings import MAX_ROLES, RESULTS_MODES, ROLE_LIMIT
from ..domain.text import refusal
from ..errors import Refused
from .archive_rules import cross_problems

FORMAT = "workshop-session-archive"
VERSION = 1
SUPPORTED_VERSIONS = (1,)
MAX_PROBLEMS_SHOWN = 8
MAX_ARCHIVE_BYTES = 32 * 1024 * 1024  # a very large workshop's archive is a few MB
LONG_TEXT = 5000  # notes, ideas, reasons and plan texts: ten times what any box takes
MAX_INT = 2**31 - 1  # what every integer column holds, on SQLite and PostgreSQL alike


class ArchiveRefused(Refused):
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


def _quarter(value: str) -> str:
    FiscalQuarter.parse(value)  # ValueError says how a quarter is written
    return value


Code = Text(32)
LongText = Text(LONG_TEXT)
Int = Annotated[StrictInt, Field(ge=-MAX_INT, le=MAX_INT)]
Ref = Annotated[StrictInt, Field(ge=1, le=MAX_INT)]
LevelValue = Annotated[StrictInt, Field(ge=-1000, le=1000)]
Quarter = Annotated[StrictStr, Field(max_length=16), AfterValidator(_quarter)]
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


class SettingsFields(_Model):
    """What `session.settings` holds: every key services/sessions.py writes, nothing else.
    Stored as it came (`stored()`), so an archive reads back to the same bytes."""

    anonymous: StrictBool
    roles: Annotated[list[Annotated[StrictStr, Field(min_length=1, max_length=ROLE_LIMIT)]],
                     Field(max_length=MAX_ROLES)]
    results_mode: Literal[RESULTS_MODES]  # type: ignore[valid-type]
    thresholds: dict[str, Any]

    @field_validator("thresholds")
    @classmethod
    def _known_thresholds(cls, value: dict[str, Any]) -> dict[str, Any]:
        Thresholds.from_dict(value)  # the domain's own rule: known keys, finite, in range
        return value

    def stored(self) -> dict[str, Any]:
        return self.model_dump()


class SessionFields(_Model):
    id: Annotated[StrictStr, Field(min_length=1, max_length=24, pattern=r"^[A-Za-z0-9_-]+$")]
    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    organization: Text(200)
    held_on: Day | None
    language: Literal["th", "en"]
    settings: SettingsFields
    framework_id: Text(64)
    agenda: list[Code]
    join_code: Annotated[StrictStr, Field(min_length=4, max_length=12, pattern=r"^[A-Za-z0-9]+$")]
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
    level: LevelValue | None
    not_sure: StrictBool
    note: LongText | None
    reason: LongText | None
    on_behalf: StrictBool
    created_at: Timestamp
    updated_at: Timestamp


class AnswerRow(_Model):
    participant: Ref
    line: Code
    answer: Literal["met", "not_met", "not_sure"]
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
    # checklist rounds (migration 0005_checklist); absent from older archives
    kind: Literal["level", "checklist"] = "level"
    lines: list[Code] | None = None
    answers: list[AnswerRow] = Field(default_factory=list)


class DecisionRow(_Model):
    criterion_code: Code
    agreed_level: LevelValue | None
    target_level: LevelValue | None
    importance: Annotated[StrictInt, Field(ge=1, le=5)] | None
    note: LongText | None
    decided_by: Text(80) | None
    decided_at: Timestamp
    round: Ref | None
    undone: StrictBool
    undone_at: Timestamp | None
    proposed_from: Literal["votes", "checklist", "indicators"] | None = None  # older archives: none


class UpvoteRow(_Model):
    participant: Ref
    created_at: Timestamp


class IdeaRow(_Model):
    id: Ref
    criterion_code: Code
    text: LongText
    participant: Ref | None
    upvotes: Annotated[StrictInt, Field(ge=0, le=MAX_INT)]
    hidden: StrictBool
    created_at: Timestamp
    upvoted_by: list[UpvoteRow]
    # strengths and OFIs (migration 0006_ofi); absent from older archives
    kind: Literal["idea", "strength", "ofi"] = "idea"
    kept: StrictBool = False
    merged_into: Ref | None = None


class ActionRow(_Model):
    text: LongText
    idea_id: Int | None = None


class PlanItemRow(_Model):
    criterion_code: Code
    position: Int
    actions: Annotated[list[LongText | ActionRow], Field(max_length=100)]
    owner: Text(200) | None
    start_quarter: Quarter | None
    end_quarter: Quarter | None
    indicator: LongText | None
    target_value: Text(200) | None
    budget_note: LongText | None
    status: Literal[PLAN_STATUSES]  # type: ignore[valid-type]
    out_of_scope: StrictBool
    updated_at: Timestamp
    # what a PMQA working group writes (migration 0003_plan); absent from older archives
    ofi: LongText | None = None
    objective: LongText | None = None
    project: LongText | None = None
    owner_person: Text(200) | None = None
    budget_amount: Annotated[Int, Field(ge=0)] | None = None
    budget_source: Text(200) | None = None
    evidence: LongText | None = None
    year_targets: Annotated[dict[Annotated[str, Field(pattern=r"^\d{4}$")], Int],
                            Field(max_length=10)] | None = None


Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]


class IndicatorArchiveRow(_Model):
    criterion_code: Code
    position: Int
    name: Text(200)
    unit: Text(40)
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
    indicators: list[IndicatorArchiveRow] = []  # results items (migration 0006_ofi); absent before


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
    refused = refused_text(raw)
    if refused:
        raise _damaged(refused)
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
    if len(data) > MAX_ARCHIVE_BYTES:
        raise NotAnArchive(f"the file is larger than {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB, "
                           "more than any workshop's archive")
    try:
        return load_bounded(data.decode("utf-8-sig"))
    except JsonTooLarge as beyond:
        kind = DamagedArchive("damaged archive") if looks_like_one else NotAnArchive(
            "not a workshop archive")
        raise type(kind)(f"{kind}: the file holds {beyond}") from None
    except UnicodeDecodeError:
        if looks_like_one:
            raise DamagedArchive("damaged archive: part of it is not UTF-8 text") from None
        raise NotAnArchive("not a workshop archive: the file is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        if looks_like_one:
            raise DamagedArchive(f"damaged archive: the JSON breaks at line {error.lineno}, "
                                 f"column {error.colno} (cut off or edited?)") from None
        raise NotAnArchive("not a workshop archive: the file is not JSON") from None


def refused_text(value: Any, path: tuple = ()) -> list[str]:
    """Every text in the archive (keys too, at any depth) that holds refused characters."""
    found: list[str] = []
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            why = refusal(item, multiline=True)
            if why:
                found.append(f"{format_path(where)}: {why}")
        elif isinstance(item, dict):
            for key, child in item.items():
                why = refusal(key, multiline=True)
                if why:
                    found.append(f"{format_path(where)}: a key {why}")
                stack.append((child, (*where, key)))
        elif isinstance(item, list):
            stack.extend((child, (*where, index)) for index, child in enumerate(item))
    return sorted(found)


def _damaged(problems: list[str]) -> DamagedArchive:
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    tail = f"\n  ... and {more} more" if more else ""
    return DamagedArchive(f"damaged archive: {len(problems)} problem(s):\n  "
                          + "\n  ".join(shown) + tail)
