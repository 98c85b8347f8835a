"""Bandwidth: shapers left on a half-applied plan whose rollback could not reach the device.

One row per rollback still owed: the device, the queue state to restore (JSON entries read
before the push), attempts so far, the next attempt's time and when it was finished.

Revision ID: 0009
Revises: 0007 (was 0005; re-chained after 0007 came in with main)
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bandwidth_pending_rollbacks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device", sa.String(length=63), nullable=False, index=True),
        sa.Column("push_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries_json", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("bandwidth_pending_rollbacks")
