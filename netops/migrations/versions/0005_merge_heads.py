"""Merge the three branches grown from 0001 (telemetry, bandwidth, shaper mode) into one head.

From here the history is linear: every new revision names the previous head as its
``down_revision`` (``tests/storage/test_migrations.py`` fails when a second head appears).

Revision ID: 0005
Revises: 0002, 0003, 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | Sequence[str] | None = ("0002", "0003", "0004")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A merge point only: no schema change."""


def downgrade() -> None:
    """A merge point only: no schema change."""
