"""Strengths and OFIs (issue 8, point 3) are ideas of another kind: `ideas.kind` (idea,
strength or ofi), `ideas.kept` (the facilitator keeps it for the plan) and `ideas.merged_into`
(the idea a merged one joined). Results items are measured by indicators (issue 8, point 2):
the `indicators` table.

Revision ID: 0006_ofi
Revises: 0005_checklist
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_ofi"
down_revision: str | None = "0005_checklist"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(24), nullable=False),
        sa.Column("criterion_code", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("client_key", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('higher', 'lower')", name="ck_indicators_direction"),
        sa.ForeignKeyConstraint(["session_id"], ["workshop_sessions.id"], ondelete="CASCADE",
                                name="fk_indicators_session_id_workshop_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_indicators"),
        sa.UniqueConstraint("session_id", "client_key", name="uq_indicators_session_id_client_key"),
    )
    op.create_index("ix_indicators_session_id_criterion_code", "indicators",
                    ["session_id", "criterion_code"])
    with op.batch_alter_table("ideas") as table:
        table.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="idea"))
        table.add_column(sa.Column("kept", sa.Boolean(), nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        table.create_foreign_key("fk_ideas_merged_into_ideas", "ideas", ["merged_into"], ["id"],
                                 ondelete="SET NULL")
        table.create_check_constraint("ck_ideas_kind", "kind IN ('idea', 'strength', 'ofi')")


def downgrade() -> None:
    op.drop_index("ix_indicators_session_id_criterion_code", table_name="indicators")
    op.drop_table("indicators")
    with op.batch_alter_table("ideas") as table:
        table.drop_constraint("ck_ideas_kind", type_="check")
        table.drop_constraint("fk_ideas_merged_into_ideas", type_="foreignkey")
        table.drop_column("merged_into")
        table.drop_column("kept")
        table.drop_column("kind")
