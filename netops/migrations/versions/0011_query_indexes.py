"""Indexes for the web UI's read models: recent telemetry of every interface and queue by time.

The dashboard and list pages aggregate the last minutes of ``interface_samples`` over all
interfaces (``WHERE at_s >= ...``), and the shapers' ``queue_samples`` by device and time; the
existing (device, interface, at_s) / (device, queue_name, at_s) indexes cannot serve a time
range across all interfaces or all queues of a device.

Revision ID: 0011
Revises: 0006 (0005 on main; chained after web's 0006 so this branch has one head)
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_interface_samples_at", "interface_samples", ["at_s"])
    op.create_index("ix_queue_samples_dev_at", "queue_samples", ["device", "at_s"])
    op.create_index("ix_interface_rollups_width_start", "interface_rollups", ["width_s", "start_s"])


def downgrade() -> None:
    op.drop_index("ix_interface_rollups_width_start", table_name="interface_rollups")
    op.drop_index("ix_queue_samples_dev_at", table_name="queue_samples")
    op.drop_index("ix_interface_samples_at", table_name="interface_samples")
