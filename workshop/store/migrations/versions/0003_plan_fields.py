"""What a PMQA working group writes into a plan item (issue 8, point 4): the OFI it answers, the
objective, the project or activity, the responsible person beside the unit, the budget amount
and its source, the evidence to be produced, and the target level per fiscal year.

Revision ID: 0003_plan
Revises: 0002_live
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_plan"
down_revision: str | None = "0002_live"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("ofi", sa.Text()),
    ("objective", sa.Text()),
    ("project", sa.Text()),
    ("owner_person", sa.String(200)),
    ("budget_amount", sa.BigInteger()),
    ("budget_source", sa.String(200)),
    ("evidence", sa.Text()),
    ("year_targets", sa.JSON()),
)


def upgrade() -> None:
    with op.batch_alter_table("plan_items") as table:
        for name, kind in COLUMNS:
            table.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_items") as table:
        for name, _ in reversed(COLUMNS):
            table.drop_column(name)
