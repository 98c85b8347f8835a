"""What `check` accepts, `sync` stores, on every backend: schema limits equal column types."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import BigInteger, Integer, String, select
from sqlalchemy.engine import Engine

from netops.errors import InventoryError
from netops.inventory import schema
from netops.inventory.loader import load_inventory_text
from netops.storage import models
from netops.storage.db import session_factory
from netops.storage.sync import sync_inventory
from tests.helpers import MINI

# (inventory model, field) -> the column its value is stored in
STORED_IN: list[tuple[type[BaseModel], str, Any]] = [
    (schema.Credential, "name", models.CredentialRef.name),
    (schema.Credential, "username", models.CredentialRef.username),
    (schema.Credential, "password_ref", models.CredentialRef.password_ref),
    (schema.Credential, "enable_ref", models.CredentialRef.enable_ref),
    (schema.Group, "name", models.Group.name),
    (schema.Group, "description", models.Group.description),
    (schema.Agency, "code", models.Agency.code),
    (schema.Agency, "name", models.Agency.name),
    (schema.Contact, "name", models.Agency.contact_name),
    (schema.Contact, "email", models.Agency.contact_email),
    (schema.Site, "name", models.Site.name),
    (schema.Site, "address", models.Site.address),
    (schema.Device, "hostname", models.Device.hostname),
    (schema.Device, "model", models.Device.model),
    (schema.Uplink, "name", models.Uplink.name),
    (schema.Uplink, "provider", models.Uplink.provider),
    (schema.Uplink, "cost_idr_per_month", models.Uplink.cost_idr_per_month),
    (schema.Device, "mgmt_port", models.Device.mgmt_port),
]

COLUMN_INT_MAX = {Integer: 2**31 - 1, BigInteger: 2**63 - 1}


def _limit(model: type[BaseModel], field: str, attr: str) -> Any:
    """The field's ``max_length``/``le`` from its metadata (through Optional and Annotated)."""
    info = model.model_fields[field]
    found = [getattr(m, attr, None) for m in info.metadata]
    args = getattr(info.annotation, "__args__", ())
    for arg in args:
        for m in getattr(arg, "__metadata__", ()):
            found.append(getattr(m, attr, None))
            for inner in getattr(m, "metadata", ()):
                found.append(getattr(inner, attr, None))
    values = [v for v in found if v is not None]
    assert values, f"{model.__name__}.{field} has no {attr}: check accepts any size"
    return min(values)


@pytest.mark.parametrize(
    ("model", "field", "column"), STORED_IN, ids=lambda x: getattr(x, "key", x)
)
def test_schema_limit_equals_the_column_it_is_stored_in(
    model: type[BaseModel], field: str, column: Any
) -> None:
    col_type = column.property.columns[0].type
    if isinstance(col_type, String):
        assert _limit(model, field, "max_length") == col_type.length
    else:
        assert _limit(model, field, "le") <= COLUMN_INT_MAX[type(col_type)]
        assert isinstance(col_type, Integer)


def _at_limits(**edits: str) -> str:
    text = MINI.read_text()
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


LIMITS = {
    "cost_idr_per_month: 10000000": f"cost_idr_per_month: {2**63 - 1}",
    "password_ref: NETOPS_LAB_PASSWORD": "password_ref: N" + "X" * 127,
    "name: Dinas Komunikasi dan Informatika": "name: " + "D" * 200,
}


def test_values_at_each_limit_are_checked_and_synced_alike_on_every_backend(
    engine: Engine,
) -> None:
    loaded = load_inventory_text(_at_limits(**LIMITS), "limits.yaml")
    with session_factory(engine)() as session, session.begin():
        sync_inventory(session, loaded.inventory, source="limits.yaml", sha256="0" * 64)
    with session_factory(engine)() as session:
        assert session.scalar(select(models.Uplink.cost_idr_per_month)) == 2**63 - 1
        assert session.scalar(select(models.CredentialRef.password_ref)) == "N" + "X" * 127
        assert "D" * 200 in session.scalars(select(models.Agency.name)).all()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("cost_idr_per_month: 10000000", f"cost_idr_per_month: {2**63}"),
        ("password_ref: NETOPS_LAB_PASSWORD", "password_ref: N" + "X" * 128),
    ],
    ids=["cost-over-bigint", "ref-over-128"],
)
def test_one_past_a_column_limit_is_refused_by_check(old: str, new: str) -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory_text(_at_limits(**{old: new}), "limits.yaml")
    assert all(p.file == "limits.yaml" and p.line > 1 for p in info.value.problems)
