"""Working groups (issue 9, point 2): a workshop of several groups, each group a session that
points to it, and the organizer's settlements of criteria two groups decided.

Revision ID: 0004_groups
Revises: 0003_plan
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_groups"
down_revision: str | None = "0003_plan"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("id", sa.String(24), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("organization", sa.String(200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("framework_id", sa.String(64), nullable=False),
        sa.Column("link_nonce", sa.String(32), nullable=False),
        sa.Column("plenary_position", sa.Integer(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
    )
    with op.batch_alter_table("workshop_sessions") as table:
        table.add_column(sa.Column("workshop_id", sa.String(24), nullable=True))
        table.add_column(sa.Column("group_name", sa.String(80), nullable=True))
        table.create_foreign_key("fk_workshop_sessions_workshop_id_workshops", "workshops",
                                 ["workshop_id"], ["id"], ondelete="CASCADE")
        table.create_index("ix_workshop_sessions_workshop_id", ["workshop_id"])
    op.create_table(
        "settlements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workshop_id", sa.String(24),
                  sa.ForeignKey("workshops.id", ondelete="CASCADE",
                                name="fk_settlements_workshop_id_workshops"), nullable=False),
        sa.Column("criterion_code", sa.String(32), nullable=False),
        sa.Column("session_id", sa.String(24),
                  sa.ForeignKey("workshop_sessions.id", ondelete="CASCADE",
                                name="fk_settlements_session_id_workshop_sessions"),
                  nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("settled_by", sa.String(80), nullable=True),
        sa.Column("settled_at", TIME, nullable=False),
        sa.UniqueConstraint("workshop_id", "criterion_code",
                            name="uq_settlements_workshop_id_criterion_code"),
    )


def downgrade() -> None:
    op.drop_table("settlements")
    with op.batch_alter_table("workshop_sessions") as table:
        table.drop_index("ix_workshop_sessions_workshop_id")
        table.drop_constraint("fk_workshop_sessions_workshop_id_workshops", type_="foreignkey")
        table.drop_column("group_name")
        table.drop_column("workshop_id")
    op.drop_table("workshops")
