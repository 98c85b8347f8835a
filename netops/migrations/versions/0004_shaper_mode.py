"""Shapers: the enforcement mode (``simple`` queues or MikroTik ``tree`` + mangle).

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a table in place beyond ADD COLUMN; harmless elsewhere
    with op.batch_alter_table("shapers") as batch:
        batch.add_column(
            sa.Column("mode", sa.String(length=8), nullable=False, server_default="simple")
        )


def downgrade() -> None:
    with op.batch_alter_table("shapers") as batch:
        batch.drop_column("mode")
