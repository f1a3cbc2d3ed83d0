"""What each client event takes: strict pydantic models (no coercion, no unknown keys, bounded
texts). `parse` turns a payload into its model or a `LiveError("invalid")` naming the field.
Texts follow the one rule of domain/text.py: `Line` refuses every control character,
`Lines` (the phone's multi-line boxes: evidence note, idea) allows line breaks and tabs.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..domain import limits
from ..domain.text import refusal
from ..services.errors import LiveError


def _storable(multiline: bool):
    def check(text: str) -> str:
        why = refusal(text, multiline=multiline)
        if why:
            raise ValueError(why)
        return text
    return AfterValidator(check)


def Line(**bounds) -> type:  # noqa: N802 - reads like a type in the models
    """One line of text: no control character at all."""
    return Annotated[str, Field(**bounds), _storable(False)]


def Lines(**bounds) -> type:  # noqa: N802
    """A multi-line box: line breaks and tabs, no other control character."""
    return Annotated[str, Field(**bounds), _storable(True)]


Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Level = Annotated[int, Field(ge=-1000, le=1000)]
Code = Line(min_length=1, max_length=32)


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _LevelOrNotSure(Payload):
    round_id: Id
    level: Level | None = None
    not_sure: bool = False
    note: Lines(max_length=limits.VOTE_NOTE) | None = None

    @model_validator(mode="after")
    def _one_of_level_or_not_sure(self):
        if (self.level is None) == (not self.not_sure):
            raise ValueError("level")
        return self


ClientKey = Line(min_length=1, max_length=40)


class Join(Payload):
    client_key: Line(min_length=16, max_length=64)  # random, per join request
    name: Line(max_length=limits.PARTICIPANT_NAME) | None = None
    role: Line(max_length=limits.ROLE) | None = None
    observer: bool = False


class Vote(_LevelOrNotSure):
    pass


class Reason(Payload):
    round_id: Id
    text: Line(min_length=1, max_length=limits.REASON)


IdeaText = Lines(min_length=1, max_length=limits.IDEA)
Kind = Literal["idea", "strength", "ofi"]


class Idea(Payload):
    criterion: Code
    text: IdeaText
    client_key: ClientKey
    kind: Kind = "idea"


class Upvote(Payload):
    idea_id: Id
    on: bool


class Criterion(Payload):
    criterion: Code


LineId = Code  # a checklist line id, like a criterion code
CHECKLIST_LINES = 100  # at most, in one event (an item's checklist is far shorter)


class OpenRound(Payload):
    criterion: Code
    number: Id | None = None  # the round number the page expects to open (retry-safe)
    kind: Literal["level", "checklist"] = "level"
    lines: Annotated[list[LineId], Field(min_length=1, max_length=CHECKLIST_LINES)] | None = None

    @model_validator(mode="after")
    def _lines_only_for_a_checklist(self):
        if self.lines is not None and self.kind != "checklist":
            raise ValueError("lines")
        return self


class AnswerLines(Payload):
    round_id: Id
    answers: Annotated[dict[LineId, Literal["met", "not_met", "not_sure"]],
                       Field(min_length=1, max_length=CHECKLIST_LINES)]


class RoundRef(Payload):
    round_id: Id


class Explain(Payload):
    round_id: Id
    open: bool


class IdeasPhase(Payload):
    criterion: Code
    open: bool


class Timer(Payload):
    criterion: Code
    running: bool


class Decide(Payload):
    criterion: Code
    agreed_level: Level
    target_level: Level
    importance: Annotated[int, Field(ge=1, le=5)]
    note: Line(max_length=limits.DECISION_NOTE) | None = None
    proposed_from: Literal["votes", "checklist", "indicators"] | None = None


class UndoDecision(Payload):
    decision_id: Id  # the decision the page undoes: a resent undo undoes nothing more


class AddProxy(Payload):
    client_key: ClientKey
    name: Line(min_length=1, max_length=limits.PARTICIPANT_NAME)
    role: Line(max_length=limits.ROLE) | None = None


class ProxyVote(_LevelOrNotSure):
    participant_id: Id


class HideIdea(Payload):
    idea_id: Id
    hidden: bool


class AddIdea(Payload):
    criterion: Code
    kind: Kind
    text: IdeaText
    client_key: ClientKey


class KeepIdea(Payload):
    idea_id: Id
    kept: bool


class EditIdea(Payload):
    idea_id: Id
    text: IdeaText


Number = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]


class SetIndicator(Payload):
    """A new indicator (`criterion` and `client_key`) or a change to one (`id`)."""
    criterion: Code | None = None
    client_key: ClientKey | None = None
    id: Id | None = None
    name: Line(min_length=1, max_length=limits.INDICATOR_NAME)
    unit: Line(max_length=limits.INDICATOR_UNIT) = ""
    direction: Literal["higher", "lower"] = "higher"
    target: Number
    values: Annotated[dict[Annotated[str, Field(pattern=r"^\d{4}$")], Number | None], Field(max_length=3)] = {}

    @model_validator(mode="after")
    def _new_or_known(self):
        if (self.id is None) == (self.criterion is None or self.client_key is None):
            raise ValueError("id")
        return self


class IndicatorRef(Payload):
    id: Id


class MergeIdeas(Payload):
    into: Id
    ideas: Annotated[list[Id], Field(min_length=1, max_length=50)]


def _field(error: dict) -> str:
    location = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    if location:
        return location[0]
    message = str(error.get("msg", ""))
    for field in ("level", "lines"):
        if message.endswith(field):
            return field
    return "payload"


def parse(model: type[Payload], data: object) -> Payload:
    """The payload as `model`, or `invalid` naming the first field at fault."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LiveError("invalid", "the payload must be a JSON object", field="payload")
    try:
        return model.model_validate(data)
    except ValidationError as problem:
        error = problem.errors(include_url=False)[0]
        field = _field(error)
        raise LiveError("invalid", f"{field}: {error.get('msg')}", field=field) from None
