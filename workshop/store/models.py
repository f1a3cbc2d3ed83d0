"""The workshop's tables as SQLAlchemy 2 typed models, in the workshop's own words.

One `WorkshopSession` owns everything that happens in it: its `Participant`s, the `Round`s
of voting on each criterion with their `Vote`s, the `Decision`s, the `Idea`s with their
`IdeaUpvote`s, and the `PlanItem`s of the draft plan. Every child row cascades on delete,
in the database (ON DELETE CASCADE) and in the ORM (passive deletes), so deleting a session
removes its participants' data.

Choices worth knowing:
- Times are stored as UTC and always come back timezone-aware (`UTCDateTime`), also on
  SQLite, which keeps no zone.
- Small closed vocabularies (language, status, round state) are strings with CHECK
  constraints, not database enums, so SQLite and PostgreSQL migrate the same way.
- JSON columns (`settings`, `framework`, `agenda`, `actions`) are plain JSON: change them by
  assigning a new value; in-place edits of the Python object are not tracked.
- A vote is "not sure" exactly when its level is NULL; a CHECK constraint holds the two in
  step. (round_id, participant_id) is unique, so a vote is an upsert (see `votes.py`).
- Decisions are append-only. Setting a criterion's decision inserts a new row; the current
  decision of a criterion is its newest row whose `undone_at` is NULL. "Undo the last
  decision" stamps `undone_at` on the session's newest live row, which brings back the row
  before it (or no decision). Nothing is deleted, so the history of a workshop stays
  (see `decisions.py`).
- `Idea.upvotes` is a counter kept in step with the `IdeaUpvote` rows by `ideas.py`, so the
  projector can sort ideas without counting.
- A `Workshop` of several working groups is a parent record: each group is an ordinary
  `WorkshopSession` (its own agenda, join code, links, live rooms) whose `workshop_id` points
  to it, named by `group_name`. A `Settlement` records the organizer's choice of one group's
  decision where two groups decided the same criterion (services/groups.py).
- `PlanItem.version` is the mapper's version counter: an UPDATE from a stale copy raises
  `sqlalchemy.orm.exc.StaleDataError` (optimistic concurrency for the plan editor).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ..domain.dates import utcnow
from .keys import new_join_code, new_session_id

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
LANGUAGES = ("th", "en")
SESSION_STATUSES = ("draft", "live", "ended")
ROUND_STATES = ("open", "closed", "revealed")
ROUND_KINDS = ("level", "checklist")
CHECKLIST_ANSWERS = ("met", "not_met", "not_sure")
IDEA_KINDS = ("idea", "strength", "ofi")  # an improvement idea, a strength, an OFI
DIRECTIONS = ("higher", "lower")  # which way an indicator gets better
CODE_LENGTH = 32  # criterion codes such as "1.1" or "P4.2"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use an aware one")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


def _session_fk() -> Any:
    return ForeignKey("workshop_sessions.id", ondelete="CASCADE")


class OrganizerAccount(Base):
    __tablename__ = "organizer_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopSession(Base):
    __tablename__ = "workshop_sessions"
    __table_args__ = (
        CheckConstraint(_one_of("language", LANGUAGES), name="language"),
        CheckConstraint(_one_of("status", SESSION_STATUSES), name="status"),
    )

    id: Mapped[str] = mapped_column(String(24), primary_key=True, default=new_session_id)
    title: Mapped[str] = mapped_column(String(200))
    organization: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2), default="th")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    framework: Mapped[dict[str, Any]] = mapped_column()
    framework_id: Mapped[str] = mapped_column(String(64))
    agenda: Mapped[list[Any]] = mapped_column(default=list)
    join_code: Mapped[str] = mapped_column(String(12), unique=True, default=new_join_code)
    # Mixed into the HMAC keys of the facilitator and projector links; a new one revokes them.
    link_nonce: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(8), default="draft")
    current_criterion: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    # Live state the facilitator sets: whose ideas phase is open, which round's explain step.
    ideas_open_for: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    explain_round_id: Mapped[int | None] = mapped_column(Integer)
    # when the facilitator started the current criterion's timer (migration 0007_s11fac); None
    # when it is not running. Held here so that every screen and a reloaded page agree.
    timer_started_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # a working group of a workshop (migration 0004_groups); None for a session on its own
    workshop_id: Mapped[str | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    group_name: Mapped[str | None] = mapped_column(String(80))

    participants: Mapped[list[Participant]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )
    rounds: Mapped[list[Round]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Round.id",
    )
    decisions: Mapped[list[Decision]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Decision.id"
    )
    ideas: Mapped[list[Idea]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Idea.id"
    )
    plan_items: Mapped[list[PlanItem]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PlanItem.position"
    )


class Workshop(Base):
    """One workshop run as several working groups at once; each group is a `WorkshopSession`."""

    __tablename__ = "workshops"

    id: Mapped[str] = mapped_column(String(24), primary_key=True, default=new_session_id)
    title: Mapped[str] = mapped_column(String(200))
    organization: Mapped[str] = mapped_column(String(200), default="")
    held_on: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(2), default="th")
    framework_id: Mapped[str] = mapped_column(String(64))
    # Mixed into the HMAC key of the plenary link; a new one revokes it.
    link_nonce: Mapped[str] = mapped_column(String(32))
    plenary_position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    groups: Mapped[list[WorkshopSession]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True,
        order_by="[WorkshopSession.created_at, WorkshopSession.id]")
    settlements: Mapped[list[Settlement]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Settlement.criterion_code")


class Settlement(Base):
    """The organizer's choice between groups that decided the same criterion, with a note."""

    __tablename__ = "settlements"
    __table_args__ = (UniqueConstraint("workshop_id", "criterion_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    criterion_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    session_id: Mapped[str] = mapped_column(_session_fk())  # the group whose decision stands
    note: Mapped[str] = mapped_column(Text)
    settled_by: Mapped[str | None] = mapped_column(String(80))
    settled_at: Mapped[datetime] = mapped_column(default=utcnow)


class Participant(Base):
    """Someone in the room: a phone (its token hashed), an observer, or a proxy voter."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("session_id", "token_hash"),
        # A resent `join` / `add_proxy` finds the participant its first copy made (0002_live).
        Index("ix_participants_session_id_client_key_hash", "session_id", "client_key_hash",
              unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk())
    token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(80))
    role: Mapped[str | None] = mapped_column(String(40))
    observer: Mapped[bool] = mapped_column(Boolean, default=False)
    proxy: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    client_key_hash: Mapped[str | None] = mapped_column(String(64))

    session: Mapped[WorkshopSession] = relationship(back_populates="participants")


class Round(Base):
    """One vote on one criterion; a re-vote is the next number on the same criterion."""

    __tablename__ = "rounds"
    __table_args__ = (
        UniqueConstraint("session_id", "criterion_code", "number"),
        CheckConstraint(_one_of("state", ROUND_STATES), name="state"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(_one_of("kind", ROUND_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk())
    criterion_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    number: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(8), default="open")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    revealed_at: Mapped[datetime | None] = mapped_column()
    # a level vote, or a checklist round asking `lines` (checklist line ids; 0005_checklist)
    kind: Mapped[str] = mapped_column(String(9), default="level", server_default="level")
    lines: Mapped[list[Any] | None] = mapped_column(JSON)

    session: Mapped[WorkshopSession] = relationship(back_populates="rounds")
    votes: Mapped[list[Vote]] = relationship(
        back_populates="round", cascade="all, delete-orphan", passive_deletes=True
    )


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("round_id", "participant_id"),
        CheckConstraint(
            "(not_sure AND level IS NULL) OR (NOT not_sure AND level IS NOT NULL)",
            name="not_sure_has_no_level",
        ),
        Index(None, "participant_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    level: Mapped[int | None] = mapped_column(Integer)
    not_sure: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship(back_populates="votes")
    participant: Mapped[Participant] = relationship()


class ChecklistAnswer(Base):
    """One phone's answer to one line of a checklist round; an upsert keyed by round,
    participant and line (see `checklist_answers.py`)."""

    __tablename__ = "checklist_answers"
    __table_args__ = (
        UniqueConstraint("round_id", "participant_id", "line_id"),
        CheckConstraint(_one_of("answer", CHECKLIST_ANSWERS), name="answer"),
        Index(None, "participant_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    line_id: Mapped[str] = mapped_column(String(CODE_LENGTH))
    answer: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Decision(Base):
    """One setting of a criterion's levels; append-only, see the module docstring."""

    __tablename__ = "decisions"
    __table_args__ = (
        Index(None, "session_id", "criterion_code"),
        CheckConstraint("importance BETWEEN 1 AND 5", name="importance_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk())
    criterion_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    agreed_level: Mapped[int | None] = mapped_column(Integer)
    target_level: Mapped[int | None] = mapped_column(Integer)
    importance: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    undone_at: Mapped[datetime | None] = mapped_column()
    # where the proposed level came from: "votes", "checklist" or "indicators" (None: no proposal)
    proposed_from: Mapped[str | None] = mapped_column(String(16))


class Idea(Base):
    """An improvement idea, a strength or an OFI (`kind`); `client_key` (chosen by the phone, or
    the facilitator's page) makes a resent one harmless. A merged one is hidden, `merged_into`
    the one it joined; `kept` is the facilitator's choice of what goes into the plan."""

    __tablename__ = "ideas"
    __table_args__ = (
        Index(None, "session_id", "criterion_code"),
        UniqueConstraint("participant_id", "client_key"),
        CheckConstraint(_one_of("kind", IDEA_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk())
    criterion_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    text: Mapped[str] = mapped_column(Text)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    upvotes: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    client_key: Mapped[str | None] = mapped_column(String(40))
    # strengths and OFIs are ideas of another kind (migration 0006_ofi)
    kind: Mapped[str] = mapped_column(String(16), default="idea", server_default="idea")
    kept: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))

    upvote_rows: Mapped[list[IdeaUpvote]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class IdeaUpvote(Base):
    __tablename__ = "idea_upvotes"

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IndicatorRow(Base):
    """One indicator of a results item (PMQA category 7): its target and a value per
    Buddhist-era fiscal year (`values`: {"2569": 87.5}); `client_key` makes a resent add harmless."""

    __tablename__ = "indicators"
    __table_args__ = (
        Index(None, "session_id", "criterion_code"),
        UniqueConstraint("session_id", "client_key"),
        CheckConstraint(_one_of("direction", DIRECTIONS), name="direction"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk())
    criterion_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(8), default="higher")
    target: Mapped[float] = mapped_column(Float)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    client_key: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class PlanItem(Base):
    """One line of the draft development plan, for one criterion."""

    __tablename__ = "plan_items"
    __table_args__ = (
        Index(None, "session_id", "position"),
        Index(None, "session_id", "criterion_code", unique=True),  # one item per criterion
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(_session_fk())
    criterion_code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    position: Mapped[int] = mapped_column(Integer, default=0)
    actions: Mapped[list[Any]] = mapped_column(default=list)
    owner: Mapped[str | None] = mapped_column(String(200))
    start_quarter: Mapped[str | None] = mapped_column(String(16))
    end_quarter: Mapped[str | None] = mapped_column(String(16))
    indicator: Mapped[str | None] = mapped_column(Text)
    target_value: Mapped[str | None] = mapped_column(String(200))
    budget_note: Mapped[str | None] = mapped_column(Text)
    # what a PMQA working group writes (migration 0003_plan)
    ofi: Mapped[str | None] = mapped_column(Text)  # the opportunity for improvement it answers
    objective: Mapped[str | None] = mapped_column(Text)
    project: Mapped[str | None] = mapped_column(Text)  # the project or activity
    owner_person: Mapped[str | None] = mapped_column(String(200))  # `owner` is the unit
    budget_amount: Mapped[int | None] = mapped_column(BigInteger)  # whole baht
    budget_source: Mapped[str | None] = mapped_column(String(200))
    evidence: Mapped[str | None] = mapped_column(Text)  # the evidence to be produced
    year_targets: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # {"2570": 2, ...}
    status: Mapped[str] = mapped_column(String(32), default="planned")
    out_of_scope: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}
