"""Describe one agency or device as stored in the database (``netops inventory show``).

Reads through SQLAlchemy; returns lines of text.  An unknown name raises :class:`NotInDatabase`
with a "did you mean" from the stored names.  A name that exists only as a retired row is shown
with the date it was retired.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from netops.errors import NetopsError
from netops.inventory.findings import suggest
from netops.storage.models import (
    Agency,
    Boost,
    Device,
    Interface,
    InventoryRow,
    Link,
    Quota,
    Site,
    Uplink,
)


class NotInDatabase(NetopsError):
    """The asked-for agency or device is not in the database."""


def _status(row: InventoryRow) -> str:
    if row.retired_at is None:
        return "current"
    return f"retired since {row.retired_at:%Y-%m-%d %H:%M} UTC"


def _quota_text(q: Quota) -> str:
    return (
        f"down {q.guaranteed_down_mbps:g}/{q.maximum_down_mbps:g} Mbit/s, "
        f"up {q.guaranteed_up_mbps:g}/{q.maximum_up_mbps:g} Mbit/s "
        f"(guaranteed/maximum), priority {q.priority}"
    )


def _boost_text(b: Boost) -> str:
    raised = []
    if b.maximum_down_mbps is not None:
        raised.append(f"down {b.maximum_down_mbps:g}")
    if b.maximum_up_mbps is not None:
        raised.append(f"up {b.maximum_up_mbps:g}")
    why = f" ({b.reason})" if b.reason else ""
    return (
        f"{b.start_at:%Y-%m-%d %H:%M} to {b.end_at:%Y-%m-%d %H:%M} UTC: maximum "
        f"{', '.join(raised)} Mbit/s{why}"
    )


def _not_found(session: Session, kind: str, plural: str, name: str, column: Any) -> NoReturn:
    known = [str(v) for v in session.scalars(select(column))]
    if not known:
        raise NotInDatabase(
            f"unknown {kind} '{name}': no {plural} in the database (run `netops inventory sync`)"
        )
    raise NotInDatabase(f"unknown {kind} '{name}'{suggest(name, known, plural)}")


def describe_agency(session: Session, code: str) -> list[str]:
    """Lines describing agency ``code``: group, subnets, quota, boosts, sites, LAN ports."""
    agency = session.scalars(select(Agency).where(Agency.code == code)).one_or_none()
    if agency is None:
        _not_found(session, "agency", "agencies", code, Agency.code)
    lines = [
        f"agency {agency.code}: {agency.name} ({agency.kind})",
        f"  status:   {_status(agency)}",
        f"  group:    {agency.group.name}",
        f"  subnets:  {', '.join(agency.subnets) or '-'}",
    ]
    if agency.quota is not None:
        lines.append(f"  quota:    {_quota_text(agency.quota)}")
        for b in agency.quota.boosts:
            if b.retired_at is None:
                lines.append(f"  boost:    {_boost_text(b)}")
    if agency.contact_name:
        extra = ", ".join(x for x in (agency.contact_phone, agency.contact_email) if x)
        lines.append(f"  contact:  {agency.contact_name}" + (f" ({extra})" if extra else ""))
    sites = session.scalars(
        select(Site.name).where(Site.agency_id == agency.id, Site.retired_at.is_(None))
    ).all()
    lines.append(f"  sites:    {', '.join(sites) or '-'}")
    ports = session.execute(
        select(Device.hostname, Interface.name)
        .join(Interface.device)
        .where(Interface.agency_id == agency.id, Interface.retired_at.is_(None))
        .order_by(Device.hostname, Interface.name)
    ).all()
    lines.append(f"  ports:    {', '.join(f'{h} {i}' for h, i in ports) or '-'}")
    return lines


def _interface_roles(session: Session, device: Device) -> dict[int, str]:
    """What each interface of ``device`` is used for: a link's far end, an uplink."""
    ids = [i.id for i in device.interfaces]
    roles: dict[int, str] = {}
    links = session.scalars(
        select(Link).where(
            Link.retired_at.is_(None),
            or_(Link.a_interface_id.in_(ids), Link.b_interface_id.in_(ids)),
        )
    ).all()
    for link in links:
        for mine, other in (
            (link.a_interface, link.b_interface),
            (link.b_interface, link.a_interface),
        ):
            if mine.id in ids:
                roles[mine.id] = (
                    f"{link.medium} link to {other.device.hostname} {other.name} "
                    f"({link.capacity_mbps:g} Mbit/s, {link.length_km:g} km)"
                )
    for uplink in session.scalars(
        select(Uplink).where(Uplink.retired_at.is_(None), Uplink.interface_id.in_(ids))
    ):
        roles[uplink.interface_id] = (
            f"uplink {uplink.name} ({uplink.provider}, {uplink.down_mbps:g}/{uplink.up_mbps:g} "
            "Mbit/s down/up)"
        )
    return roles


def describe_device(session: Session, hostname: str) -> list[str]:
    """Lines describing device ``hostname``: platform, site, credentials ref, interfaces."""
    device = session.scalars(select(Device).where(Device.hostname == hostname)).one_or_none()
    if device is None:
        _not_found(session, "device", "devices", hostname, Device.hostname)
    cred = device.credential
    lines = [
        f"device {device.hostname} ({device.platform}, {device.role})",
        f"  status:      {_status(device)}",
        f"  site:        {device.site.name}",
        f"  mgmt:        {device.mgmt_address}:{device.mgmt_port}",
        f"  model:       {device.model or '-'}",
        f"  credentials: {cred.name} (user {cred.username}, password from {cred.password_ref})",
        "  interfaces:",
    ]
    roles = _interface_roles(session, device)
    for iface in device.interfaces:
        if iface.retired_at is not None and device.retired_at is None:
            continue
        parts = [f"{iface.speed_mbps:g} Mbit/s"]
        if iface.agency is not None:
            parts.append(f"LAN of {iface.agency.code}")
        if iface.id in roles:
            parts.append(roles[iface.id])
        if iface.description:
            parts.append(f'"{iface.description}"')
        lines.append(f"    {iface.name:<22} " + "; ".join(parts))
    return lines
