"""What each client event takes: strict pydantic models (no coercion, no unknown keys, bounded
texts). `parse` turns a payload into its model or a `LiveError("invalid")` naming the field.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..services.errors import LiveError

Id = Annotated[int, Field(ge=1, le=2**31 - 1)]
Level = Annotated[int, Field(ge=-1000, le=1000)]
Code = Annotated[str, Field(min_length=1, max_length=32)]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _LevelOrNotSure(Payload):
    round_id: Id
    level: Level | None = None
    not_sure: bool = False
    note: Annotated[str, Field(max_length=500)] | None = None

    @model_validator(mode="after")
    def _one_of_level_or_not_sure(self):
        if (self.level is None) == (not self.not_sure):
            raise ValueError("level")
        return self


ClientKey = Annotated[str, Field(min_length=1, max_length=40)]


class Join(Payload):
    client_key: Annotated[str, Field(min_length=16, max_length=64)]  # random, per join request
    name: Annotated[str, Field(max_length=60)] | None = None
    role: Annotated[str, Field(max_length=40)] | None = None
    observer: bool = False


class Vote(_LevelOrNotSure):
    pass


class Reason(Payload):
    round_id: Id
    text: Annotated[str, Field(min_length=1, max_length=140)]


IdeaText = Annotated[str, Field(min_length=1, max_length=280)]
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


class OpenRound(Payload):
    criterion: Code
    number: Id | None = None  # the round number the page expects to open (retry-safe)


class RoundRef(Payload):
    round_id: Id


class Explain(Payload):
    round_id: Id
    open: bool


class IdeasPhase(Payload):
    criterion: Code
    open: bool


class Decide(Payload):
    criterion: Code
    agreed_level: Level
    target_level: Level
    importance: Annotated[int, Field(ge=1, le=5)]
    note: Annotated[str, Field(max_length=500)] | None = None


class UndoDecision(Payload):
    decision_id: Id  # the decision the page undoes: a resent undo undoes nothing more


class AddProxy(Payload):
    client_key: ClientKey
    name: Annotated[str, Field(min_length=1, max_length=60)]
    role: Annotated[str, Field(max_length=40)] | None = None


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
    name: Annotated[str, Field(min_length=1, max_length=200)]
    unit: Annotated[str, Field(max_length=40)] = ""
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
    return "level" if message.endswith("level") else "payload"


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
