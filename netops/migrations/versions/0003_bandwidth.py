"""Bandwidth tables: queue push audit, boost events, drift reports.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('bandwidth_pushes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=63), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('changes', sa.Integer(), nullable=False),
    sa.Column('diff_text', sa.Text(), nullable=False),
    sa.Column('commands_text', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bandwidth_pushes'))
    )
    op.create_index(op.f('ix_bandwidth_pushes_device'), 'bandwidth_pushes', ['device'])
    op.create_table('bandwidth_boost_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_code', sa.String(length=63), nullable=False),
    sa.Column('window_key', sa.String(length=200), nullable=False),
    sa.Column('event', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('maximum_down_mbps', sa.Float(), nullable=True),
    sa.Column('maximum_up_mbps', sa.Float(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bandwidth_boost_events')),
    sa.UniqueConstraint('window_key', 'event', name=op.f('uq_bandwidth_boost_events_window_key'))
    )
    op.create_index(op.f('ix_bandwidth_boost_events_agency_code'), 'bandwidth_boost_events',
                    ['agency_code'])
    op.create_table('bandwidth_drift_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device', sa.String(length=63), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('in_sync', sa.Boolean(), nullable=False),
    sa.Column('missing', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Integer(), nullable=False),
    sa.Column('differing', sa.Integer(), nullable=False),
    sa.Column('report_text', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bandwidth_drift_reports'))
    )
    op.create_index(op.f('ix_bandwidth_drift_reports_device'), 'bandwidth_drift_reports',
                    ['device'])


def downgrade() -> None:
    op.drop_index(op.f('ix_bandwidth_drift_reports_device'), table_name='bandwidth_drift_reports')
    op.drop_table('bandwidth_drift_reports')
    op.drop_index(op.f('ix_bandwidth_boost_events_agency_code'),
                  table_name='bandwidth_boost_events')
    op.drop_table('bandwidth_boost_events')
    op.drop_index(op.f('ix_bandwidth_pushes_device'), table_name='bandwidth_pushes')
    op.drop_table('bandwidth_pushes')
