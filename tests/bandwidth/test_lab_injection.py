"""Hostile agency names through every renderer to the lab devices: only the intended commands
take effect.  Names that the inventory schema refuses (control characters) are forced past it with
``model_construct`` to show the renderers do not rely on the schema."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netops.bandwidth.service import apply_device, diff_device
from netops.errors import InventoryError
from netops.inventory.loader import load_inventory_text
from netops.inventory.schema import Agency, AgencyKind, Inventory, Quota
from netops.secrets import SecretStore

from .conftest import MINI
from .hostile import HOSTILE_NAMES
from .labkit import context, ros_mangle, ros_queues, ros_tree, tree_shaper, with_shapers

pytestmark = [pytest.mark.lab]
AT = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)
CODES = [f"hostile-{i}" for i in range(len(HOSTILE_NAMES))]


def _hostile_inventory(base: Inventory, *shapers: str, tree: bool = False) -> Inventory:
    quota = Quota(
        guaranteed_down_mbps=1,
        maximum_down_mbps=5,
        guaranteed_up_mbps=0.5,
        maximum_up_mbps=2,
        priority=6,
    )
    extra = tuple(
        Agency.model_construct(
            code=code,
            name=name,
            kind=AgencyKind.LAINNYA,
            group="kecamatan",
            contact=None,
            subnets=(ipaddress.IPv4Network(f"10.77.{i}.0/24"),),
            quota=quota,
        )
        for i, (code, name) in enumerate(zip(CODES, HOSTILE_NAMES, strict=True))
    )
    inv = tree_shaper(base, *shapers) if tree else with_shapers(base, *shapers)
    return inv.model_copy(update={"agencies": inv.agencies + extra})


def test_schema_refuses_control_characters_in_agency_names_with_the_location() -> None:
    text = MINI.read_text(encoding="utf-8").replace(
        "name: RSUD Kabupaten Contoh", 'name: "RSUD\\nreload"'
    )
    with pytest.raises(InventoryError) as info:
        load_inventory_text(text, "mini.yaml")
    assert any(p.path == "agencies[1].name" and p.line > 0 for p in info.value.problems)


def test_hostile_names_reach_routeros_only_as_inert_comments(
    lab_factory: Any, mini_inventory: Inventory, lab_secrets: SecretStore, tmp_path: Path
) -> None:
    lab = lab_factory(mini_inventory)
    cfg = lab.runtime("core1").personality.config
    identity_before = cfg.identity
    ctx = context(_hostile_inventory(mini_inventory, "core1"), lab, lab_secrets, tmp_path)
    try:
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
    finally:
        ctx.close()
    queues = ros_queues(lab, "core1")
    expected = {
        "nx-uplink",
        "nx-g-opd",
        "nx-g-kecamatan",
        "nx-a-diskominfo",
        "nx-a-rsud",
        "nx-a-kec-utara",
    } | {f"nx-a-{c}" for c in CODES}
    assert set(queues) == expected
    # nothing else on the router changed: no reset, no identity change, no other menu touched
    assert cfg.identity == identity_before
    assert list(cfg.tree.items) == [] and list(cfg.mangle.items) == []
    for code, name in zip(CODES, HOSTILE_NAMES, strict=True):
        q = queues[f"nx-a-{code}"]
        assert q["target"] == f"10.77.{CODES.index(code)}.0/24"
        assert q["max-limit"] == "2M/5M" and q["parent"] == "nx-g-kecamatan"
        assert q["comment"].startswith("netops: ")
        # quoted and escaped (non-ASCII as RouterOS \\HH byte escapes): stored verbatim as
        # data (a newline included), never executed
        assert q["comment"] == f"netops: {name}"


def test_hostile_names_never_reach_ios_and_only_derived_names_do(
    lab_factory: Any, mini_inventory: Inventory, lab_secrets: SecretStore, tmp_path: Path
) -> None:
    lab = lab_factory(mini_inventory)
    ctx = context(_hostile_inventory(mini_inventory, "dist1"), lab, lab_secrets, tmp_path)
    try:
        res = apply_device(ctx, "dist1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        running = ctx.io("dist1").show("show running-config")
    finally:
        ctx.close()
    cfg = lab.runtime("dist1").personality.config
    codes = ["diskominfo", "rsud", "kec-utara", *CODES]
    assert set(cfg.class_maps) == {f"NX-{c}-{d}" for c in codes for d in ("DOWN", "UP")}
    assert set(cfg.acls) == set(cfg.class_maps)
    for fragment in ("reset-configuration", "reload", "Umum", "Kebudayaan", "configure"):
        assert fragment not in running
    assert cfg.service_policies["GigabitEthernet1/0/1"] == {"output": "NX-UP"}


def test_hostile_names_leave_linux_tc_with_only_the_planned_classes(
    lab_factory: Any, mini_inventory: Inventory, lab_secrets: SecretStore, tmp_path: Path
) -> None:
    lab = lab_factory(mini_inventory)
    ctx = context(_hostile_inventory(mini_inventory, "rsud-gw"), lab, lab_secrets, tmp_path)
    try:
        res = apply_device(ctx, "rsud-gw", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        classes = ctx.io("rsud-gw").show("tc class show dev eth1")
    finally:
        ctx.close()
    ids = sorted(line.split()[2] for line in classes.splitlines() if line.startswith("class htb"))
    n = 3 + len(CODES)
    assert ids == sorted(["1:1", "1:100", "1:101"] + [f"1:{0x1000 + i:x}" for i in range(n)])
    assert all(c.startswith("tc ") and "\n" not in c for c in res.commands)


def test_hostile_names_reach_routeros_tree_mode_only_as_inert_comments(
    lab_factory: Any, mini_inventory: Inventory, lab_secrets: SecretStore, tmp_path: Path
) -> None:
    lab = lab_factory(mini_inventory)
    cfg = lab.runtime("core1").personality.config
    identity_before = cfg.identity
    inv = _hostile_inventory(mini_inventory, "core1", tree=True)
    ctx = context(inv, lab, lab_secrets, tmp_path)
    try:
        res = apply_device(ctx, "core1", dry_run=False, at=AT)
        assert res.result == "applied", res.error
        assert diff_device(ctx, "core1", AT).in_sync
    finally:
        ctx.close()
    codes = ["diskominfo", "rsud", "kec-utara", *CODES]
    tree = ros_tree(lab, "core1")
    expected = {f"nx-{k}-{d}" for k in ("uplink", "g-opd", "g-kecamatan") for d in ("down", "up")}
    expected |= {f"nx-a-{c}-{d}" for c in codes for d in ("down", "up")}
    assert set(tree) == expected
    mangle = ros_mangle(lab, "core1")
    assert len(mangle) == 4 * len(codes)
    # every rule is one netops writes: forward chain, our marks, the agency's own subnet
    for rule in mangle:
        assert rule["chain"] == "forward" and rule["disabled"] == "False"
        mark = rule["new-connection-mark"] or rule["connection-mark"]
        code = mark.removeprefix("nx-a-")
        assert code in codes
        subnet = rule["src-address"] or rule["dst-address"]
        if code in CODES:
            assert subnet == f"10.77.{CODES.index(code)}.0/24"
        assert rule["comment"].startswith("netops: ") and "\n" not in rule["comment"]
    # nothing else on the router changed
    assert cfg.identity == identity_before and list(cfg.simple.items) == []
    for code, name in zip(CODES, HOSTILE_NAMES, strict=True):
        q = tree[f"nx-a-{code}-down"]
        assert q["max-limit"] == "5M" and q["parent"] == "nx-g-kecamatan-down"
        # stored verbatim as data (line breaks flattened to spaces), never executed
        flat = "".join(" " if ch < " " else ch for ch in name)
        assert q["comment"] == f"netops: {flat}"
