"""Checklist rounds (issue 9, point 1): a round is a level vote or a checklist round asking
some lines of its criterion's checklist, and each phone's answer per line is kept.

Revision ID: 0005_checklist
Revises: 0004_groups
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_checklist"
down_revision: str | None = "0004_groups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as table:
        table.add_column(sa.Column("kind", sa.String(9), nullable=False, server_default="level"))
        table.add_column(sa.Column("lines", sa.JSON(), nullable=True))
        table.create_check_constraint("ck_rounds_kind", "kind IN ('level', 'checklist')")
    op.create_table(
        "checklist_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("round_id", sa.Integer(), sa.ForeignKey(
            "rounds.id", ondelete="CASCADE", name="fk_checklist_answers_round_id_rounds"),
            nullable=False),
        sa.Column("participant_id", sa.Integer(), sa.ForeignKey(
            "participants.id", ondelete="CASCADE",
            name="fk_checklist_answers_participant_id_participants"), nullable=False),
        sa.Column("line_id", sa.String(32), nullable=False),
        sa.Column("answer", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("answer IN ('met', 'not_met', 'not_sure')",
                           name="ck_checklist_answers_answer"),
        sa.UniqueConstraint("round_id", "participant_id", "line_id",
                            name="uq_checklist_answers_round_id_participant_id_line_id"),
    )
    op.create_index("ix_checklist_answers_participant_id", "checklist_answers", ["participant_id"])


def downgrade() -> None:
    op.drop_index("ix_checklist_answers_participant_id", table_name="checklist_answers")
    op.drop_table("checklist_answers")
    with op.batch_alter_table("rounds") as table:
        table.drop_constraint("ck_rounds_kind", type_="check")
        table.drop_column("lines")
        table.drop_column("kind")
