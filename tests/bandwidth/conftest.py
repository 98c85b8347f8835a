"""Fixtures for the bandwidth tests: the mini inventory, small plans built from dicts, and
``shaper_lab`` (a running lab of the mini inventory; see ``tests.bandwidth.labkit.ShaperLab``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from netops.bandwidth.plan import BandwidthPlan, build_plan
from netops.inventory.loader import LoadedInventory, load_inventory
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore
from tests.helpers import MINI

if TYPE_CHECKING:
    from tests.bandwidth.labkit import ShaperLab

# Before any boost in the mini inventory (the PPDB boost runs 2026-06-01..08).
BEFORE_BOOSTS = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def mini_loaded() -> LoadedInventory:
    return load_inventory(MINI)


@pytest.fixture
def mini_plan(mini_loaded: LoadedInventory) -> BandwidthPlan:
    return build_plan(mini_loaded.inventory, BEFORE_BOOSTS)


@pytest.fixture
def shaper_lab(
    lab_factory: Callable[..., Any],
    mini_inventory: Inventory,
    lab_secrets: SecretStore,
    lab_password: str,
    tmp_path: Path,
) -> ShaperLab:
    """The mini inventory's lab, running for one test, with what pushing plans to it needs."""
    from tests.bandwidth.labkit import ShaperLab

    lab = lab_factory(mini_inventory)
    return ShaperLab(lab, mini_inventory, lab_secrets, lab_password, tmp_path)


def quota(
    gd: float,
    md: float,
    gu: float | None = None,
    mu: float | None = None,
    prio: int = 4,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "guaranteed_down_mbps": gd,
        "maximum_down_mbps": md,
        "guaranteed_up_mbps": gd / 2 if gu is None else gu,
        "maximum_up_mbps": md / 2 if mu is None else mu,
        "priority": prio,
        **extra,
    }


def make_inventory(
    uplink_down: float,
    groups: dict[str, dict[str, Any]],
    agencies: list[dict[str, Any]],
    shapers: list[dict[str, Any]] | None = None,
    devices: list[dict[str, Any]] | None = None,
) -> Inventory:
    """A valid Inventory object (schema-checked) from compact dicts."""
    doc: dict[str, Any] = {
        "region": "Kabupaten Uji",
        "credentials": [
            {"name": "lab", "username": "netops", "password_ref": "NETOPS_LAB_PASSWORD"}
        ],
        "uplinks": [
            {
                "name": "isp",
                "provider": "ISP",
                "down_mbps": uplink_down,
                "up_mbps": uplink_down / 2,
                "device": "core1",
                "interface": "ether1",
                "cost_idr_per_month": 20_000_000,
            }
        ],
        "groups": [{"name": n, "quota": q} for n, q in groups.items()],
        "agencies": [
            {"kind": "dinas", "subnets": [f"10.30.{i}.0/24"], **a} for i, a in enumerate(agencies)
        ],
        "sites": [{"name": "dc", "latitude": -8.1, "longitude": 115.1}],
        "devices": devices or [],
        "shapers": shapers or [],
    }
    return Inventory.model_validate(doc)
