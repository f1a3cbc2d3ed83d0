"""Retried live events: a participant remembers the client key of the `join` or `add_proxy`
that made it (hashed), unique per session, so a resent copy finds it instead of adding a ghost.

Revision ID: 0002_live
Revises: 0001
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_live"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_participants_session_id_client_key_hash"


def upgrade() -> None:
    op.add_column("participants", sa.Column("client_key_hash", sa.String(64), nullable=True))
    op.create_index(INDEX, "participants", ["session_id", "client_key_hash"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="participants")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("client_key_hash")
