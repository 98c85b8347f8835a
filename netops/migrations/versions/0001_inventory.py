"""Inventory tables: agencies, groups, quotas, boosts, sites, devices, interfaces, links,
uplinks, shapers, credential references and inventory revisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agency_groups',
    sa.Column('name', sa.String(length=63), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_groups')),
    sa.UniqueConstraint('key', name=op.f('uq_agency_groups_key'))
    )
    op.create_table('credential_refs',
    sa.Column('name', sa.String(length=63), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_ref', sa.String(length=128), nullable=False),
    sa.Column('enable_ref', sa.String(length=128), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_refs')),
    sa.UniqueConstraint('key', name=op.f('uq_credential_refs_key'))
    )
    op.create_table('inventory_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=1024), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=200), nullable=True),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Integer(), nullable=False),
    sa.Column('applied_by', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_revisions'))
    )
    op.create_table('agencies',
    sa.Column('code', sa.String(length=63), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('contact_email', sa.String(length=200), nullable=True),
    sa.Column('subnets', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['agency_groups.id'], name=op.f('fk_agencies_group_id_agency_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('key', name=op.f('uq_agencies_key'))
    )
    op.create_table('quotas',
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('guaranteed_down_mbps', sa.Float(), nullable=False),
    sa.Column('maximum_down_mbps', sa.Float(), nullable=False),
    sa.Column('guaranteed_up_mbps', sa.Float(), nullable=False),
    sa.Column('maximum_up_mbps', sa.Float(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(group_id IS NULL) <> (agency_id IS NULL)', name=op.f('ck_quotas_one_owner')),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_quotas_agency_id_agencies')),
    sa.ForeignKeyConstraint(['group_id'], ['agency_groups.id'], name=op.f('fk_quotas_group_id_agency_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quotas')),
    sa.UniqueConstraint('agency_id', name=op.f('uq_quotas_agency_id')),
    sa.UniqueConstraint('group_id', name=op.f('uq_quotas_group_id')),
    sa.UniqueConstraint('key', name=op.f('uq_quotas_key'))
    )
    op.create_table('sites',
    sa.Column('name', sa.String(length=63), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_sites_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('key', name=op.f('uq_sites_key'))
    )
    op.create_table('boosts',
    sa.Column('quota_id', sa.Integer(), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('maximum_down_mbps', sa.Float(), nullable=True),
    sa.Column('maximum_up_mbps', sa.Float(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['quota_id'], ['quotas.id'], name=op.f('fk_boosts_quota_id_quotas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boosts')),
    sa.UniqueConstraint('key', name=op.f('uq_boosts_key'))
    )
    op.create_table('devices',
    sa.Column('hostname', sa.String(length=63), nullable=False),
    sa.Column('mgmt_address', sa.String(length=15), nullable=False),
    sa.Column('mgmt_port', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['credential_id'], ['credential_refs.id'], name=op.f('fk_devices_credential_id_credential_refs')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_devices_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices')),
    sa.UniqueConstraint('key', name=op.f('uq_devices_key'))
    )
    op.create_table('interfaces',
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('speed_mbps', sa.Float(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_interfaces_agency_id_agencies')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_interfaces_device_id_devices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interfaces')),
    sa.UniqueConstraint('device_id', 'name', name=op.f('uq_interfaces_device_id')),
    sa.UniqueConstraint('key', name=op.f('uq_interfaces_key'))
    )
    op.create_table('links',
    sa.Column('a_interface_id', sa.Integer(), nullable=False),
    sa.Column('b_interface_id', sa.Integer(), nullable=False),
    sa.Column('medium', sa.String(length=16), nullable=False),
    sa.Column('length_km', sa.Float(), nullable=False),
    sa.Column('capacity_mbps', sa.Float(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['a_interface_id'], ['interfaces.id'], name=op.f('fk_links_a_interface_id_interfaces')),
    sa.ForeignKeyConstraint(['b_interface_id'], ['interfaces.id'], name=op.f('fk_links_b_interface_id_interfaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links')),
    sa.UniqueConstraint('key', name=op.f('uq_links_key'))
    )
    op.create_table('shapers',
    sa.Column('device_id', sa.Integer(), nullable=False),
    sa.Column('lan_interface_id', sa.Integer(), nullable=False),
    sa.Column('wan_interface_id', sa.Integer(), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_shapers_device_id_devices')),
    sa.ForeignKeyConstraint(['lan_interface_id'], ['interfaces.id'], name=op.f('fk_shapers_lan_interface_id_interfaces')),
    sa.ForeignKeyConstraint(['wan_interface_id'], ['interfaces.id'], name=op.f('fk_shapers_wan_interface_id_interfaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shapers')),
    sa.UniqueConstraint('key', name=op.f('uq_shapers_key'))
    )
    op.create_table('uplinks',
    sa.Column('name', sa.String(length=63), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('down_mbps', sa.Float(), nullable=False),
    sa.Column('up_mbps', sa.Float(), nullable=False),
    sa.Column('interface_id', sa.Integer(), nullable=False),
    sa.Column('cost_idr_per_month', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['interface_id'], ['interfaces.id'], name=op.f('fk_uplinks_interface_id_interfaces')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uplinks')),
    sa.UniqueConstraint('key', name=op.f('uq_uplinks_key'))
    )


def downgrade() -> None:
    op.drop_table('uplinks')
    op.drop_table('shapers')
    op.drop_table('links')
    op.drop_table('interfaces')
    op.drop_table('devices')
    op.drop_table('boosts')
    op.drop_table('sites')
    op.drop_table('quotas')
    op.drop_table('agencies')
    op.drop_table('inventory_revisions')
    op.drop_table('credential_refs')
    op.drop_table('agency_groups')
