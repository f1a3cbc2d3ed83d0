"""The workshop tables: organizers, sessions, participants, rounds, votes, decisions, ideas, plan.

Revision ID: 0001
Revises:
Create Date: 2026-05-09
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)
CODE = sa.String(32)


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), nullable=False)


def _session_id() -> sa.Column:
    return sa.Column("session_id", sa.String(24), nullable=False)


def _fk_session(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["session_id"], ["workshop_sessions.id"],
        name=f"fk_{table}_session_id_workshop_sessions", ondelete="CASCADE",
    )


def _create_accounts_and_sessions() -> None:
    op.create_table(
        "organizer_accounts",
        _id(),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organizer_accounts"),
        sa.UniqueConstraint("username", name="uq_organizer_accounts_username"),
    )
    op.create_table(
        "workshop_sessions",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("organization", sa.String(200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("framework", sa.JSON(), nullable=False),
        sa.Column("framework_id", sa.String(64), nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("join_code", sa.String(12), nullable=False),
        sa.Column("link_nonce", sa.String(32), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("current_criterion", CODE, nullable=True),
        sa.Column("ideas_open_for", CODE, nullable=True),
        sa.Column("explain_round_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_sessions"),
        sa.UniqueConstraint("join_code", name="uq_workshop_sessions_join_code"),
        sa.CheckConstraint("language IN ('th', 'en')", name="ck_workshop_sessions_language"),
        sa.CheckConstraint(
            "status IN ('draft', 'live', 'ended')", name="ck_workshop_sessions_status"
        ),
    )


def _create_participants_and_rounds() -> None:
    op.create_table(
        "participants",
        _id(),
        _session_id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.String(80), nullable=True),
        sa.Column("role", sa.String(40), nullable=True),
        sa.Column("observer", sa.Boolean(), nullable=False),
        sa.Column("proxy", sa.Boolean(), nullable=False),
        sa.Column("joined_at", TIME, nullable=False),
        sa.Column("last_seen_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_participants"),
        _fk_session("participants"),
        sa.UniqueConstraint(
            "session_id", "token_hash", name="uq_participants_session_id_token_hash"
        ),
    )
    op.create_table(
        "rounds",
        _id(),
        _session_id(),
        sa.Column("criterion_code", CODE, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("closed_at", TIME, nullable=True),
        sa.Column("revealed_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        _fk_session("rounds"),
        sa.UniqueConstraint(
            "session_id", "criterion_code", "number",
            name="uq_rounds_session_id_criterion_code_number",
        ),
        sa.CheckConstraint("state IN ('open', 'closed', 'revealed')", name="ck_rounds_state"),
        sa.CheckConstraint("number >= 1", name="ck_rounds_number_positive"),
    )


def _create_votes() -> None:
    op.create_table(
        "votes",
        _id(),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("not_sure", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_votes"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_votes_round_id_rounds", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name="fk_votes_participant_id_participants", ondelete="CASCADE",
        ),
        sa.UniqueConstraint("round_id", "participant_id", name="uq_votes_round_id_participant_id"),
        sa.CheckConstraint(
            "(not_sure AND level IS NULL) OR (NOT not_sure AND level IS NOT NULL)",
            name="ck_votes_not_sure_has_no_level",
        ),
    )
    op.create_index("ix_votes_participant_id", "votes", ["participant_id"])


def _create_decisions() -> None:
    op.create_table(
        "decisions",
        _id(),
        _session_id(),
        sa.Column("criterion_code", CODE, nullable=False),
        sa.Column("agreed_level", sa.Integer(), nullable=True),
        sa.Column("target_level", sa.Integer(), nullable=True),
        sa.Column("importance", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(80), nullable=True),
        sa.Column("decided_at", TIME, nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("undone_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        _fk_session("decisions"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_decisions_round_id_rounds", ondelete="SET NULL"
        ),
        sa.CheckConstraint("importance BETWEEN 1 AND 5", name="ck_decisions_importance_range"),
    )
    op.create_index(
        "ix_decisions_session_id_criterion_code", "decisions", ["session_id", "criterion_code"]
    )


def _create_ideas() -> None:
    op.create_table(
        "ideas",
        _id(),
        _session_id(),
        sa.Column("criterion_code", CODE, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("upvotes", sa.Integer(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("client_key", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ideas"),
        sa.UniqueConstraint("participant_id", "client_key", name="uq_ideas_participant_id_client_key"),
        _fk_session("ideas"),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name="fk_ideas_participant_id_participants", ondelete="SET NULL",
        ),
    )
    op.create_index("ix_ideas_session_id_criterion_code", "ideas", ["session_id", "criterion_code"])
    op.create_table(
        "idea_upvotes",
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("idea_id", "participant_id", name="pk_idea_upvotes"),
        sa.ForeignKeyConstraint(
            ["idea_id"], ["ideas.id"], name="fk_idea_upvotes_idea_id_ideas", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name="fk_idea_upvotes_participant_id_participants", ondelete="CASCADE",
        ),
    )
    op.create_index("ix_idea_upvotes_participant_id", "idea_upvotes", ["participant_id"])


def _create_plan_items() -> None:
    op.create_table(
        "plan_items",
        _id(),
        _session_id(),
        sa.Column("criterion_code", CODE, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("start_quarter", sa.String(16), nullable=True),
        sa.Column("end_quarter", sa.String(16), nullable=True),
        sa.Column("indicator", sa.Text(), nullable=True),
        sa.Column("target_value", sa.String(200), nullable=True),
        sa.Column("budget_note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("out_of_scope", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_items"),
        _fk_session("plan_items"),
    )
    op.create_index("ix_plan_items_session_id_position", "plan_items", ["session_id", "position"])
    op.create_index(
        "ix_plan_items_session_id_criterion_code", "plan_items", ["session_id", "criterion_code"],
        unique=True,
    )


def upgrade() -> None:
    _create_accounts_and_sessions()
    _create_participants_and_rounds()
    _create_votes()
    _create_decisions()
    _create_ideas()
    _create_plan_items()


def downgrade() -> None:
    for index, table in (
        ("ix_plan_items_session_id_criterion_code", "plan_items"),
        ("ix_plan_items_session_id_position", "plan_items"),
        ("ix_idea_upvotes_participant_id", "idea_upvotes"),
        ("ix_ideas_session_id_criterion_code", "ideas"),
        ("ix_decisions_session_id_criterion_code", "decisions"),
        ("ix_votes_participant_id", "votes"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "plan_items", "idea_upvotes", "ideas", "decisions", "votes", "rounds",
        "participants", "workshop_sessions", "organizer_accounts",
    ):
        op.drop_table(table)
