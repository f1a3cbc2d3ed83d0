"""Strengths and OFIs (issue 8, point 3) are ideas of another kind: `ideas.kind` (idea,
strength or ofi), `ideas.kept` (the facilitator keeps it for the plan) and `ideas.merged_into`
(the idea a merged one joined).

Revision ID: 0003_ofi
Revises: 0003_plan
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_ofi"
down_revision: str | None = "0003_plan"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ideas") as table:
        table.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="idea"))
        table.add_column(sa.Column("kept", sa.Boolean(), nullable=False, server_default=sa.false()))
        table.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        table.create_foreign_key("fk_ideas_merged_into_ideas", "ideas", ["merged_into"], ["id"],
                                 ondelete="SET NULL")
        table.create_check_constraint("ck_ideas_kind", "kind IN ('idea', 'strength', 'ofi')")


def downgrade() -> None:
    with op.batch_alter_table("ideas") as table:
        table.drop_constraint("ck_ideas_kind", type_="check")
        table.drop_constraint("fk_ideas_merged_into_ideas", type_="foreignkey")
        table.drop_column("merged_into")
        table.drop_column("kept")
        table.drop_column("kind")
