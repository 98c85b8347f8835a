"""Devices: the inventory with collected facts and poll status (paginated), one device's
interfaces with rates and errors, its poll history, and its configuration history with
side-by-side diffs.  Configurations are shown as stored: masked by the collectors
(:mod:`netops.telemetry.configs`), never unmasked here.  Each function costs a constant number
of SQL queries; rates bit/s, times UTC.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netops.inventory.schema import Device, Inventory
from netops.queries import Page, paginate
from netops.queries.windows import WindowStats, interface_windows
from netops.storage.telemetry import (
    ConfigBackup,
    DevicePoll,
    DeviceStateRow,
    FactsSnapshot,
    InterfaceSample,
)

RATE_WINDOW_S = 900.0
POLL_HISTORY_ROWS = 50


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


@dataclass(frozen=True)
class Facts:
    vendor: str
    model: str
    os_version: str
    serial_number: str
    uptime_s: float
    at: datetime


@dataclass(frozen=True)
class PollStatus:
    reachable: bool
    last_poll_at: datetime
    last_ok_at: datetime | None
    last_error_at: datetime | None
    last_error_kind: str | None
    last_error: str | None
    consecutive_failures: int


@dataclass(frozen=True)
class DeviceRow:
    hostname: str
    platform: str
    role: str
    site: str
    model: str | None
    interfaces: int
    facts: Facts | None
    status: PollStatus | None

    @property
    def state(self) -> str:
        """``up``, ``down`` or ``unknown`` (never polled)."""
        if self.status is None:
            return "unknown"
        return "up" if self.status.reachable else "down"


def _states(session: Session, hosts: Collection[str]) -> dict[str, PollStatus]:
    r = DeviceStateRow
    rows = session.execute(select(r).where(r.device.in_(list(hosts)))).scalars()
    return {
        x.device: PollStatus(
            x.reachable,
            datetime.fromtimestamp(x.last_poll_s, UTC),
            _dt(x.last_ok_s),
            _dt(x.last_error_s),
            x.last_error_kind,
            x.last_error,
            x.consecutive_failures,
        )
        for x in rows
    }


def _facts(session: Session, hosts: Collection[str]) -> dict[str, Facts]:
    f = FactsSnapshot
    rn = func.row_number().over(partition_by=f.device, order_by=f.at_s.desc()).label("rn")
    inner = (
        select(f.device, f.vendor, f.model, f.os_version, f.serial_number, f.uptime_s, f.at_s, rn)
        .where(f.device.in_(list(hosts)))
        .subquery()
    )
    c = inner.c
    rows = session.execute(
        select(
            c.device, c.vendor, c.model, c.os_version, c.serial_number, c.uptime_s, c.at_s
        ).where(c.rn == 1)
    ).all()
    return {
        d: Facts(v, m, o, s, float(u), datetime.fromtimestamp(t, UTC))
        for d, v, m, o, s, u, t in rows
    }


def _matches(d: Device, q: str) -> bool:
    q = q.lower()
    return any(
        q in (x or "").lower() for x in (d.hostname, str(d.platform), str(d.role), d.site, d.model)
    )


def device_list(
    session: Session,
    inventory: Inventory,
    *,
    page: int = 1,
    per_page: int = 50,
    q: str | None = None,
    state: str | None = None,
) -> Page[DeviceRow]:
    """Devices by hostname, filtered by ``q`` (hostname, platform, role, site, model) and
    ``state`` (``up``/``down``/``unknown``).  Two queries for the page (plus one when filtering
    by state, which needs every device's status)."""
    devices = sorted(
        (d for d in inventory.devices if not q or _matches(d, q)), key=lambda d: d.hostname
    )
    if state:
        states = _states(session, [d.hostname for d in devices]) if devices else {}

        def state_of(h: str) -> str:
            s = states.get(h)
            return "unknown" if s is None else ("up" if s.reachable else "down")

        devices = [d for d in devices if state_of(d.hostname) == state]
    pg = paginate(devices, page, per_page)
    hosts = [d.hostname for d in pg.items]
    states = _states(session, hosts) if hosts else {}
    facts = _facts(session, hosts) if hosts else {}
    rows = [
        DeviceRow(
            d.hostname,
            str(d.platform),
            str(d.role),
            d.site,
            d.model,
            len(d.interfaces),
            facts.get(d.hostname),
            states.get(d.hostname),
        )
        for d in pg.items
    ]
    return Page(rows, pg.page, pg.per_page, pg.total)


@dataclass(frozen=True)
class InterfaceRow:
    name: str
    speed_mbps: float
    description: str | None
    agency: str | None
    in_bps: float | None
    out_bps: float | None
    errors_in: int | None
    errors_out: int | None
    """Errors counted over the last 15 minutes (counter difference), None when not polled."""
    last_sample_at: datetime | None

    @property
    def utilization(self) -> float | None:
        if self.in_bps is None or self.out_bps is None or self.speed_mbps <= 0:
            return None
        return max(self.in_bps, self.out_bps) / (self.speed_mbps * 1e6)


@dataclass(frozen=True)
class PollRecord:
    started_at: datetime
    what: str
    duration_s: float
    ok: bool
    reachable: bool
    error_kind: str | None
    error: str | None


@dataclass(frozen=True)
class ConfigMeta:
    version: int
    taken_at: datetime
    sha256: str
    lines_changed: int


@dataclass(frozen=True)
class DeviceDetail:
    row: DeviceRow
    mgmt_address: str
    interfaces: tuple[InterfaceRow, ...]
    polls: tuple[PollRecord, ...]
    configs: tuple[ConfigMeta, ...]
    """Newest first."""


def _errors(session: Session, host: str, now_s: float) -> dict[str, tuple[int, int]]:
    s = InterfaceSample
    rows: Sequence[Any] = session.execute(
        select(
            s.interface,
            func.max(s.errors_in) - func.min(s.errors_in),
            func.max(s.errors_out) - func.min(s.errors_out),
        )
        .where(s.device == host, s.at_s >= now_s - RATE_WINDOW_S, s.at_s <= now_s)
        .group_by(s.interface)
    ).all()
    return {i: (max(int(a or 0), 0), max(int(b or 0), 0)) for i, a, b in rows}


def device_detail(
    session: Session, inventory: Inventory, hostname: str, now: datetime | None = None
) -> DeviceDetail:
    """One device with interfaces (rates of the latest sample of the last 15 minutes, errors in
    that window), its last polls and its configuration versions.  Raises KeyError for an unknown
    hostname.  Six queries."""
    dev = inventory.device(hostname)
    when = now or datetime.now(UTC)
    now_s = when.timestamp()
    states = _states(session, [hostname])
    facts = _facts(session, [hostname])
    rates: dict[tuple[str, str], WindowStats] = interface_windows(
        session, now_s, RATE_WINDOW_S, devices=[hostname]
    )
    errors = _errors(session, hostname, now_s)
    p = DevicePoll
    polls = session.execute(
        select(p).where(p.device == hostname).order_by(p.started_s.desc()).limit(POLL_HISTORY_ROWS)
    ).scalars()
    c = ConfigBackup
    configs: Sequence[Any] = session.execute(
        select(c.version, c.taken_s, c.sha256, c.diff)
        .where(c.device == hostname)
        .order_by(c.version.desc())
    ).all()
    ifaces = []
    for i in dev.interfaces:
        st = rates.get((hostname, i.name))
        err = errors.get(i.name)
        ifaces.append(
            InterfaceRow(
                i.name,
                i.speed_mbps,
                i.description,
                i.agency,
                st.latest_a_bps if st else None,
                st.latest_b_bps if st else None,
                err[0] if err else None,
                err[1] if err else None,
                _dt(st.last_s) if st else None,
            )
        )
    row = DeviceRow(
        dev.hostname,
        str(dev.platform),
        str(dev.role),
        dev.site,
        dev.model,
        len(dev.interfaces),
        facts.get(hostname),
        states.get(hostname),
    )
    return DeviceDetail(
        row,
        str(dev.mgmt_address),
        tuple(ifaces),
        tuple(
            PollRecord(
                datetime.fromtimestamp(x.started_s, UTC),
                x.what,
                x.duration_s,
                x.ok,
                x.reachable,
                x.error_kind,
                x.error,
            )
            for x in polls
        ),
        tuple(
            ConfigMeta(int(v), datetime.fromtimestamp(t, UTC), sha, _changed_lines(diff))
            for v, t, sha, diff in configs
        ),
    )


def _changed_lines(diff: str) -> int:
    return sum(
        1 for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff: ``op`` is ``equal``, ``replace``, ``delete`` (left only)
    or ``insert`` (right only); line numbers are 1-based, None where that side has no line."""

    op: str
    left_no: int | None
    left: str
    right_no: int | None
    right: str


@dataclass(frozen=True)
class ConfigComparison:
    device: str
    old_version: int
    new_version: int
    old_taken_at: datetime
    new_taken_at: datetime
    rows: tuple[DiffRow, ...]
    unified: str


def side_by_side(old: str, new: str, context: int | None = 3) -> list[DiffRow]:
    """Rows for a two-column diff of ``old`` and ``new`` (difflib opcodes).  ``context``: equal
    lines kept around each change (None keeps all); a gap is a row with op ``skip``.  Pure."""
    a = old.splitlines()
    b = new.splitlines()
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    groups: list[Any] = (
        [sm.get_opcodes()] if context is None else list(sm.get_grouped_opcodes(context))
    )
    out: list[DiffRow] = []
    for gi, group in enumerate(groups):
        if gi > 0 or (group and group[0][1] > 0):
            out.append(DiffRow("skip", None, "", None, ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for k in range(i2 - i1):
                    out.append(DiffRow("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k]))
            elif tag == "delete":
                for k in range(i1, i2):
                    out.append(DiffRow("delete", k + 1, a[k], None, ""))
            elif tag == "insert":
                for k in range(j1, j2):
                    out.append(DiffRow("insert", None, "", k + 1, b[k]))
            else:
                n = max(i2 - i1, j2 - j1)
                for k in range(n):
                    li, rj = i1 + k, j1 + k
                    out.append(
                        DiffRow(
                            "replace"
                            if li < i2 and rj < j2
                            else ("delete" if li < i2 else "insert"),
                            li + 1 if li < i2 else None,
                            a[li] if li < i2 else "",
                            rj + 1 if rj < j2 else None,
                            b[rj] if rj < j2 else "",
                        )
                    )
    return out


def compare_configs(
    session: Session, hostname: str, old: int, new: int, context: int | None = 3
) -> ConfigComparison:
    """Side-by-side diff of two stored (masked) versions.  KeyError names a missing version.
    One query."""
    from netops.telemetry.configs import unified_diff

    c = ConfigBackup
    found = {
        v: (cfg, t)
        for v, cfg, t in session.execute(
            select(c.version, c.config, c.taken_s).where(
                c.device == hostname, c.version.in_((old, new))
            )
        )
    }
    for v in (old, new):
        if v not in found:
            raise KeyError(f"{hostname} has no configuration version {v}")
    a, ta = found[old]
    b, tb = found[new]
    return ConfigComparison(
        hostname,
        old,
        new,
        datetime.fromtimestamp(ta, UTC),
        datetime.fromtimestamp(tb, UTC),
        tuple(side_by_side(a, b, context)),
        unified_diff(a, b, f"{hostname}@{old}", f"{hostname}@{new}"),
    )


def config_text(session: Session, hostname: str, version: int) -> str:
    """One stored (masked) version's text.  KeyError when missing.  One query."""
    c = ConfigBackup
    text = session.execute(
        select(c.config).where(c.device == hostname, c.version == version)
    ).scalar()
    if text is None:
        raise KeyError(f"{hostname} has no configuration version {version}")
    return text
