"""Apply a validated inventory to the database: add, change, retire, restore.

:func:`sync_inventory` computes the rows the inventory describes (:func:`desired_rows`, pure),
compares them with the stored rows by natural key, and applies the difference in the caller's
transaction (it flushes but never commits, so the caller decides: ``with session.begin(): ...``).
Entries missing from the YAML are retired (``retired_at`` set), never deleted; an entry that comes
back is restored on the same row.  A sync that changes nothing records no revision.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netops.errors import StorageError
from netops.inventory.schema import Inventory
from netops.inventory.schema import Quota as QuotaSpec
from netops.storage.db import lock_session_writers
from netops.storage.models import (
    INVENTORY_MODELS,
    Agency,
    Boost,
    CredentialRef,
    Device,
    Group,
    Interface,
    InventoryRevision,
    InventoryRow,
    Link,
    Quota,
    Shaper,
    Site,
    Uplink,
    utcnow,
)

KIND: dict[type[InventoryRow], str] = {
    CredentialRef: "credential",
    Group: "group",
    Agency: "agency",
    Quota: "quota",
    Boost: "boost",
    Site: "site",
    Device: "device",
    Interface: "interface",
    Uplink: "uplink",
    Link: "link",
    Shaper: "shaper",
}


@dataclass(frozen=True)
class Ref:
    """A foreign key given by the parent's natural key, resolved to its id when applied."""

    model: type[InventoryRow]
    key: str


@dataclass(frozen=True)
class Change:
    """One row added, changed or retired.  ``fields`` names the changed columns; ``restored``
    marks a retired row brought back."""

    kind: str
    key: str
    fields: tuple[str, ...] = ()
    restored: bool = False

    def __str__(self) -> str:
        text = f"{self.kind} {self.key}"
        if self.restored:
            text += " (restored)"
        if self.fields:
            text += f" ({', '.join(self.fields)})"
        return text


@dataclass
class SyncReport:
    """What a sync did, per row, and the revision it recorded (None when nothing changed)."""

    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    retired: list[Change] = field(default_factory=list)
    revision_id: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.retired)

    def counts(self) -> str:
        """One line per verb with counts by kind, e.g. ``added: 41 agency, 72 device``."""
        if self.empty:
            return "no changes"
        out = []
        for verb, changes in (
            ("added", self.added),
            ("changed", self.changed),
            ("retired", self.retired),
        ):
            by_kind: dict[str, int] = {}
            for c in changes:
                by_kind[c.kind] = by_kind.get(c.kind, 0) + 1
            if by_kind:
                out.append(f"{verb}: " + ", ".join(f"{n} {k}" for k, n in by_kind.items()))
        return "\n".join(out)

    def summary(self) -> str:
        """Human text: one line per change grouped by verb, or ``no changes``."""
        if self.empty:
            return "no changes"
        out = []
        for verb, changes in (
            ("added", self.added),
            ("changed", self.changed),
            ("retired", self.retired),
        ):
            if changes:
                out.append(f"{verb} ({len(changes)}):")
                out.extend(f"  {c}" for c in changes)
        return "\n".join(out)


Desired = dict[type[InventoryRow], dict[str, dict[str, Any]]]


def _quota_attrs(q: QuotaSpec) -> dict[str, Any]:
    return {
        "guaranteed_down_mbps": float(q.guaranteed_down_mbps),
        "maximum_down_mbps": float(q.maximum_down_mbps),
        "guaranteed_up_mbps": float(q.guaranteed_up_mbps),
        "maximum_up_mbps": float(q.maximum_up_mbps),
        "priority": q.priority,
    }


def boost_key(quota_key: str, start: datetime) -> str:
    """``agency:kec-utara@2026-05-31T16:00:00+00:00``: a boost is known by owner and UTC start."""
    return f"{quota_key}@{start.astimezone(UTC).isoformat()}"


def link_key(a: tuple[str, str], b: tuple[str, str]) -> str:
    """``core1:ether2<->dist1:Gi1/0/1`` with the ends sorted, so swapping a and b is no change."""
    ends = sorted(f"{device}:{iface}" for device, iface in (a, b))
    return "<->".join(ends)


def _put(desired: Desired, model: type[InventoryRow], key: str, attrs: dict[str, Any]) -> None:
    rows = desired.setdefault(model, {})
    if key in rows:
        raise StorageError(
            f"duplicate {KIND[model]} '{key}' in the inventory: validate it before syncing"
        )
    rows[key] = attrs


def _quota_rows(inv: Inventory, desired: Desired) -> None:
    owners: list[tuple[str, dict[str, Any], QuotaSpec]] = [
        (f"group:{g.name}", {"group_id": Ref(Group, g.name), "agency_id": None}, g.quota)
        for g in inv.groups
    ] + [
        (f"agency:{a.code}", {"group_id": None, "agency_id": Ref(Agency, a.code)}, a.quota)
        for a in inv.agencies
    ]
    for key, owner, quota in owners:
        _put(desired, Quota, key, {**owner, **_quota_attrs(quota)})
        for b in quota.boosts:
            _put(
                desired,
                Boost,
                boost_key(key, b.start),
                {
                    "quota_id": Ref(Quota, key),
                    "start_at": b.start.astimezone(UTC),
                    "end_at": b.end.astimezone(UTC),
                    "maximum_down_mbps": b.maximum_down_mbps,
                    "maximum_up_mbps": b.maximum_up_mbps,
                    "reason": b.reason,
                },
            )


def _network_rows(inv: Inventory, desired: Desired) -> None:
    for d in inv.devices:
        _put(
            desired,
            Device,
            d.hostname,
            {
                "hostname": d.hostname,
                "mgmt_address": str(d.mgmt_address),
                "mgmt_port": d.mgmt_port,
                "platform": d.platform.value,
                "role": d.role.value,
                "site_id": Ref(Site, d.site),
                "credential_id": Ref(CredentialRef, d.credentials),
                "model": d.model,
            },
        )
        for f in d.interfaces:
            _put(
                desired,
                Interface,
                f"{d.hostname}:{f.name}",
                {
                    "device_id": Ref(Device, d.hostname),
                    "name": f.name,
                    "speed_mbps": float(f.speed_mbps),
                    "description": f.description,
                    "agency_id": None if f.agency is None else Ref(Agency, f.agency),
                },
            )
    for u in inv.uplinks:
        _put(
            desired,
            Uplink,
            u.name,
            {
                "name": u.name,
                "provider": u.provider,
                "down_mbps": float(u.down_mbps),
                "up_mbps": float(u.up_mbps),
                "interface_id": Ref(Interface, f"{u.device}:{u.interface}"),
                "cost_idr_per_month": u.cost_idr_per_month,
            },
        )
    for link in inv.links:
        a = (link.a.device, link.a.interface)
        b = (link.b.device, link.b.interface)
        _put(
            desired,
            Link,
            link_key(a, b),
            {
                "a_interface_id": Ref(Interface, f"{a[0]}:{a[1]}"),
                "b_interface_id": Ref(Interface, f"{b[0]}:{b[1]}"),
                "medium": link.medium.value,
                "length_km": float(link.length_km),
                "capacity_mbps": float(link.capacity_mbps),
                "description": link.description,
            },
        )
    for s in inv.shapers:
        _put(
            desired,
            Shaper,
            f"{s.device}:{s.lan_interface}",
            {
                "device_id": Ref(Device, s.device),
                "lan_interface_id": Ref(Interface, f"{s.device}:{s.lan_interface}"),
                "wan_interface_id": Ref(Interface, f"{s.device}:{s.wan_interface}"),
                "groups": list(s.groups),
                "mode": s.mode.value,
            },
        )


def desired_rows(inv: Inventory) -> Desired:
    """Every row the inventory describes, by model and natural key (foreign keys as :class:`Ref`).

    Raises :class:`StorageError` on a duplicate natural key (an inventory that skipped
    validation).
    """
    desired: Desired = {model: {} for model in INVENTORY_MODELS}
    for c in inv.credentials:
        _put(
            desired,
            CredentialRef,
            c.name,
            {
                "name": c.name,
                "username": c.username,
                "password_ref": c.password_ref,
                "enable_ref": c.enable_ref,
            },
        )
    for g in inv.groups:
        _put(desired, Group, g.name, {"name": g.name, "description": g.description})
    for a in inv.agencies:
        contact = a.contact
        _put(
            desired,
            Agency,
            a.code,
            {
                "code": a.code,
                "name": a.name,
                "kind": a.kind.value,
                "group_id": Ref(Group, a.group),
                "contact_name": contact.name if contact else None,
                "contact_phone": contact.phone if contact else None,
                "contact_email": contact.email if contact else None,
                "subnets": [str(n) for n in a.subnets],
            },
        )
    _quota_rows(inv, desired)
    for s in inv.sites:
        _put(
            desired,
            Site,
            s.name,
            {
                "name": s.name,
                "agency_id": None if s.agency is None else Ref(Agency, s.agency),
                "latitude": float(s.latitude),
                "longitude": float(s.longitude),
                "address": s.address,
            },
        )
    _network_rows(inv, desired)
    return desired


class _Applier:
    """Applies desired rows model by model, parents first, so references resolve to ids."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self.rows: dict[type[InventoryRow], dict[str, InventoryRow]] = {}
        self.report = SyncReport()

    def _resolve(self, attrs: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for name, value in attrs.items():
            if isinstance(value, Ref):
                parent = self.rows[value.model].get(value.key)
                if parent is None or parent.retired_at is not None:
                    raise StorageError(
                        f"{KIND[value.model]} '{value.key}' is referenced but not in the "
                        "inventory: validate it before syncing"
                    )
                value = parent.id
            out[name] = value
        return out

    def apply(self, model: type[InventoryRow], want: dict[str, dict[str, Any]]) -> None:
        kind = KIND[model]
        existing = {r.key: r for r in self.session.scalars(select(model))}
        self.rows[model] = existing
        for key, attrs in want.items():
            values = self._resolve(attrs)
            row = existing.get(key)
            if row is None:
                row = model()
                row.key, row.created_at, row.updated_at = key, self.now, self.now
                for name, value in values.items():
                    setattr(row, name, value)
                self.session.add(row)
                existing[key] = row
                self.report.added.append(Change(kind, key))
                continue
            diff = tuple(n for n, v in values.items() if getattr(row, n) != v)
            for name in diff:
                setattr(row, name, values[name])
            if diff:
                row.updated_at = self.now
            if row.retired_at is not None:
                row.retired_at = None
                row.updated_at = self.now
                self.report.added.append(Change(kind, key, diff, restored=True))
            elif diff:
                self.report.changed.append(Change(kind, key, diff))
        for key, row in sorted(existing.items()):
            if key not in want and row.retired_at is None:
                row.retired_at = self.now
                row.updated_at = self.now
                self.report.retired.append(Change(kind, key))
        # Children of this model need the ids of new rows.
        self.session.flush()


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (containers without a passwd entry)
        return "unknown"


def sync_inventory(
    session: Session,
    inventory: Inventory,
    *,
    source: str,
    sha256: str,
    applied_by: str | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SyncReport:
    """Make the stored inventory match ``inventory`` in the session's current transaction.

    Returns what was added (including restored rows), changed and retired, per kind with natural
    keys.  When something changed an :class:`InventoryRevision` is recorded (``source``,
    ``sha256``, counts, ``applied_by`` defaulting to the OS user) and its id is in the report; a
    no-op sync records nothing.  Takes the writers' lock first (call it at the start of the
    transaction): concurrent syncs run one after the other.  Flushes, never commits.  Raises
    :class:`StorageError` if the inventory has duplicate keys or dangling references (validate
    it first).
    ``progress(done, total)`` is called after the rows are computed and after each kind.
    """
    # Two syncs at once: the second waits and then compares against the first one's result.
    lock_session_writers(session)
    at = now or utcnow()
    steps = len(INVENTORY_MODELS) + 1
    desired = desired_rows(inventory)
    if progress is not None:
        progress(1, steps)
    applier = _Applier(session, at)
    for i, model in enumerate(INVENTORY_MODELS, 2):
        applier.apply(model, desired.get(model, {}))
        if progress is not None:
            progress(i, steps)
    report = applier.report
    if not report.empty:
        revision = InventoryRevision(
            applied_at=at,
            source=source,
            sha256=sha256,
            region=inventory.region,
            added=len(report.added),
            changed=len(report.changed),
            retired=len(report.retired),
            applied_by=applied_by or _who(),
        )
        session.add(revision)
        session.flush()
        report.revision_id = revision.id
    return report


def iter_changes(report: SyncReport) -> Iterator[tuple[str, Change]]:
    """``("added", change)``, ... in report order (for machine-readable output)."""
    for verb, changes in (
        ("added", report.added),
        ("changed", report.changed),
        ("retired", report.retired),
    ):
        for change in changes:
            yield verb, change
