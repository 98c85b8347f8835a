"""Per-getter poll results: a poll's status (ok/partial/failed), which getters succeeded, each
failed getter's error and when the device finished; the device state's latest status.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a table in place beyond ADD COLUMN; harmless elsewhere
    with op.batch_alter_table("device_polls") as batch:
        batch.add_column(sa.Column("status", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("getters_ok", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("getter_errors", sa.Text(), nullable=True))
        batch.add_column(sa.Column("finished_s", sa.Float(), nullable=True))
    with op.batch_alter_table("device_state") as batch:
        batch.add_column(sa.Column("status", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device_state") as batch:
        batch.drop_column("status")
    with op.batch_alter_table("device_polls") as batch:
        batch.drop_column("finished_s")
        batch.drop_column("getter_errors")
        batch.drop_column("getters_ok")
        batch.drop_column("status")
