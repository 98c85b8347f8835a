"""Column limits equal to the inventory schema's: uplink cost in Rupiah as BIGINT.

An uplink cost of Rp 3,000,000,000 passed ``check`` and failed on PostgreSQL (int4).

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("uplinks") as batch:
        batch.alter_column("cost_idr_per_month", existing_type=sa.Integer(), type_=sa.BigInteger())


def downgrade() -> None:
    with op.batch_alter_table("uplinks") as batch:
        batch.alter_column("cost_idr_per_month", existing_type=sa.BigInteger(), type_=sa.Integer())
