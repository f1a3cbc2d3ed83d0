"""Where a decision's proposed level came from (issue 8, point 2): `decisions.proposed_from`,
"votes" (the median of the latest round), "checklist" (the cumulative rule over the lines met)
or "indicators" (the level a results item's indicators suggest); null when nothing proposed one.

Revision ID: 0007_proposed_from
Revises: 0006_ofi
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_proposed_from"
down_revision: str | None = "0006_ofi"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("proposed_from", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("proposed_from")
