"""The facilitator's per-criterion timer (issue 11, the projector's story of the day):
`workshop_sessions.timer_started_at`, when the current criterion's timer started (null: none
running). The server holds it so that every screen and a reloaded page show the same time.

Revision ID: 0008_timer
Revises: 0007_proposed_from
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_timer"
down_revision: str | None = "0007_proposed_from"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_sessions") as table:
        table.add_column(sa.Column("timer_started_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workshop_sessions") as table:
        table.drop_column("timer_started_at")
