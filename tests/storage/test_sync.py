"""Inventory sync on SQLite and PostgreSQL: add, no-op, change, retire with history, restore."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from netops.errors import StorageError
from netops.inventory import LoadedInventory, load_inventory_text
from netops.inventory.schema import Inventory
from netops.storage.db import session_factory
from netops.storage.models import (
    Agency,
    Boost,
    Device,
    Interface,
    InventoryRevision,
    Link,
    Quota,
    Uplink,
)
from netops.storage.sync import SyncReport, sync_inventory

if TYPE_CHECKING:
    from tests.storage.conftest import Dump

T0 = datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
T1 = datetime(2026, 7, 2, 1, 0, tzinfo=UTC)
T2 = datetime(2026, 7, 3, 1, 0, tzinfo=UTC)


def _sync(engine: Engine, inv: Inventory, now: datetime, sha: str = "a" * 64) -> SyncReport:
    with session_factory(engine)() as s, s.begin():
        return sync_inventory(s, inv, source="inventory.yaml", sha256=sha, now=now, applied_by="t")


def _edited(path: Path, old: str, new: str) -> Inventory:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return load_inventory_text(text.replace(old, new), "inventory.yaml").inventory


def test_first_sync_adds_every_entry_and_records_a_revision(
    engine: Engine, mini_loaded: LoadedInventory
) -> None:
    report = _sync(engine, mini_loaded.inventory, T0)
    kinds: dict[str, int] = {}
    for change in report.added:
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    assert kinds == {
        "credential": 1,
        "group": 2,
        "agency": 3,
        "quota": 5,
        "boost": 1,
        "site": 3,
        "device": 4,
        "interface": 10,
        "uplink": 1,
        "link": 3,
        "shaper": 1,
    }
    assert report.changed == [] and report.retired == []
    with session_factory(engine)() as s:
        rev = s.scalars(select(InventoryRevision)).one()
        assert (rev.id, rev.added, rev.changed, rev.retired) == (report.revision_id, 34, 0, 0)
        assert (rev.source, rev.sha256, rev.applied_by) == ("inventory.yaml", "a" * 64, "t")
        assert rev.region == "Kabupaten Contoh"
        assert rev.applied_at == T0
        link = s.scalars(select(Link).where(Link.key == "core1:ether3<->ptp-utara:wlan1")).one()
        assert (link.a_interface.key, link.b_interface.key) == ("core1:ether3", "ptp-utara:wlan1")
        assert (link.medium, link.length_km, link.capacity_mbps) == ("wireless", 6.5, 300.0)
        uplink = s.scalars(select(Uplink)).one()
        assert uplink.interface.device.hostname == "core1"
        boost = s.scalars(select(Boost)).one()
        assert boost.start_at == datetime(2026, 5, 31, 16, 0, tzinfo=UTC)
        assert boost.quota.agency is not None and boost.quota.agency.code == "kec-utara"
        rsud = s.scalars(select(Agency).where(Agency.code == "rsud")).one()
        assert rsud.subnets == ["10.10.2.0/24"]
        assert rsud.group.name == "opd"
        assert rsud.quota is not None and rsud.quota.maximum_down_mbps == 180.0


def test_second_sync_of_same_inventory_changes_nothing_and_records_no_revision(
    engine: Engine, mini_loaded: LoadedInventory, dump: Callable[[Engine], Dump]
) -> None:
    _sync(engine, mini_loaded.inventory, T0)
    before = dump(engine)
    report = _sync(engine, mini_loaded.inventory, T1, sha="b" * 64)
    assert report.empty
    assert report.summary() == "no changes"
    assert report.revision_id is None
    assert dump(engine) == before


def test_changed_values_are_reported_with_field_names(
    engine: Engine, mini_loaded: LoadedInventory, mini_path: Path
) -> None:
    _sync(engine, mini_loaded.inventory, T0)
    inv = _edited(
        mini_path,
        "quota: {guaranteed_down_mbps: 60, maximum_down_mbps: 180,",
        "quota: {guaranteed_down_mbps: 60, maximum_down_mbps: 190,",
    )
    report = _sync(engine, inv, T1)
    assert [str(c) for c in report.changed] == ["quota agency:rsud (maximum_down_mbps)"]
    assert report.added == [] and report.retired == []
    with session_factory(engine)() as s:
        quota = s.scalars(select(Quota).where(Quota.key == "agency:rsud")).one()
        assert quota.maximum_down_mbps == 190.0
        assert quota.updated_at == T1 and quota.created_at == T0
        revs = s.scalars(select(InventoryRevision).order_by(InventoryRevision.id)).all()
        assert [(r.added, r.changed, r.retired) for r in revs] == [(34, 0, 0), (0, 1, 0)]


def test_removed_device_is_retired_with_its_interfaces_and_link_and_history_kept(
    engine: Engine, mini_loaded: LoadedInventory, mini_path: Path
) -> None:
    _sync(engine, mini_loaded.inventory, T0)
    text = mini_path.read_text(encoding="utf-8")
    start = text.index("  - hostname: ptp-utara")
    end = text.index("\nlinks:") + 1
    text = text[:start] + text[end:]
    text = text.replace(
        "  - {a: {device: core1, interface: ether3}, b: {device: ptp-utara, interface: wlan1},"
        " medium: wireless, length_km: 6.5, capacity_mbps: 300}\n",
        "",
    )
    inv = load_inventory_text(text, "inventory.yaml").inventory
    with session_factory(engine)() as s:
        device_id = s.scalars(select(Device.id).where(Device.hostname == "ptp-utara")).one()

    report = _sync(engine, inv, T1)

    assert [str(c) for c in report.retired] == [
        "device ptp-utara",
        "interface ptp-utara:ether1",
        "interface ptp-utara:wlan1",
        "link core1:ether3<->ptp-utara:wlan1",
    ]
    with session_factory(engine)() as s:
        device = s.get(Device, device_id)
        assert device is not None and device.retired_at == T1
        assert [i.retired_at for i in device.interfaces] == [T1, T1]
        current = s.scalars(select(Device.hostname).where(Device.retired_at.is_(None))).all()
        assert sorted(current) == ["core1", "dist1", "rsud-gw"]
        assert s.scalar(select(func.count()).select_from(Interface)) == 10


def test_readded_device_is_restored_on_the_same_row(
    engine: Engine, mini_loaded: LoadedInventory, mini_path: Path
) -> None:
    _sync(engine, mini_loaded.inventory, T0)
    text = mini_path.read_text(encoding="utf-8")
    without_rsud_gw = text.replace(
        "  - {a: {device: dist1, interface: GigabitEthernet1/0/2}, b: {device: rsud-gw,"
        " interface: eth0}, medium: fiber, length_km: 1.2, capacity_mbps: 1000}\n",
        "",
    )
    start = without_rsud_gw.index("  - hostname: rsud-gw")
    end = without_rsud_gw.index("  - hostname: ptp-utara")
    without_rsud_gw = without_rsud_gw[:start] + without_rsud_gw[end:]
    _sync(engine, load_inventory_text(without_rsud_gw, "x").inventory, T1)
    with session_factory(engine)() as s:
        retired = s.scalars(select(Device).where(Device.hostname == "rsud-gw")).one()
        old_id, retired_at = retired.id, retired.retired_at
    assert retired_at == T1

    report = _sync(engine, mini_loaded.inventory, T2)

    assert [str(c) for c in report.added] == [
        "device rsud-gw (restored)",
        "interface rsud-gw:eth0 (restored)",
        "interface rsud-gw:eth1 (restored)",
        "link dist1:GigabitEthernet1/0/2<->rsud-gw:eth0 (restored)",
    ]
    with session_factory(engine)() as s:
        back = s.scalars(select(Device).where(Device.hostname == "rsud-gw")).one()
        assert (back.id, back.retired_at, back.created_at) == (old_id, None, T0)
        assert s.scalar(select(func.count()).select_from(Device)) == 4


def test_swapping_link_ends_keeps_the_same_link(
    engine: Engine, mini_loaded: LoadedInventory, mini_path: Path
) -> None:
    _sync(engine, mini_loaded.inventory, T0)
    inv = _edited(
        mini_path,
        "{a: {device: core1, interface: ether3}, b: {device: ptp-utara, interface: wlan1}",
        "{a: {device: ptp-utara, interface: wlan1}, b: {device: core1, interface: ether3}",
    )
    report = _sync(engine, inv, T1)
    assert report.added == [] and report.retired == []
    assert [str(c) for c in report.changed] == [
        "link core1:ether3<->ptp-utara:wlan1 (a_interface_id, b_interface_id)"
    ]


def test_renamed_agency_retires_old_code_and_adds_new(
    engine: Engine, mini_loaded: LoadedInventory, mini_path: Path
) -> None:
    _sync(engine, mini_loaded.inventory, T0)
    text = mini_path.read_text(encoding="utf-8").replace("kec-utara", "kec-north")
    inv = load_inventory_text(text, "x").inventory
    report = _sync(engine, inv, T1)
    assert "agency kec-north" in [str(c) for c in report.added]
    assert "agency kec-utara" in [str(c) for c in report.retired]
    assert "quota agency:kec-utara" in [str(c) for c in report.retired]


def test_failure_in_the_middle_leaves_the_database_untouched(
    engine: Engine, mini_loaded: LoadedInventory, dump: Callable[[Engine], Dump]
) -> None:
    _sync(engine, mini_loaded.inventory, T0)
    before = dump(engine)
    # A schema-valid inventory whose cross-checks were skipped: the link points at a device that
    # does not exist, which sync only finds after it has already applied the devices.
    data = mini_loaded.inventory.model_dump(mode="json")
    data["devices"] = data["devices"][:3]
    data["devices"][0]["model"] = "changed before the failure"
    bad = Inventory.model_validate(data)
    with pytest.raises(StorageError, match="interface 'ptp-utara:wlan1' is referenced"):
        _sync(engine, bad, T1)
    assert dump(engine) == before


def test_no_secret_value_reaches_the_database(
    engine: Engine,
    mini_loaded: LoadedInventory,
    dump: Callable[[Engine], Dump],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NETOPS_LAB_PASSWORD", "Sup3r-Secret-Lab-Pw")
    _sync(engine, mini_loaded.inventory, T0)
    everything = repr(dump(engine))
    assert "NETOPS_LAB_PASSWORD" in everything  # the reference is stored ...
    assert "Sup3r-Secret-Lab-Pw" not in everything  # ... the secret is not


def test_sync_without_commit_is_rolled_back_by_the_caller(
    session: Session, mini_loaded: LoadedInventory
) -> None:
    report = sync_inventory(session, mini_loaded.inventory, source="x", sha256="c" * 64)
    assert len(report.added) == 34
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Device)) == 0
