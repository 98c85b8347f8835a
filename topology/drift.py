"""Drift: the planned links of the inventory against the neighbours LLDP/MNDP/CDP reported.

Both ends of a link usually report each other; names are normalised first (``dist1.kab.go.id``
matches ``dist1``, ``Gi1/0/1`` matches ``GigabitEthernet1/0/1``) with netutils' canonical
interface names.  Pure: takes the inventory and the records, returns a :class:`DriftReport`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from netutils.interface import canonical_interface_name

from netops.inventory.schema import Inventory
from topology.discovered import DiscoveredLink, link_id

Port = tuple[str, str]


@dataclass(frozen=True)
class WrongPort:
    """A planned link whose devices do see each other, but on other ports."""

    link: str
    planned: tuple[Port, Port]
    seen: tuple[Port, Port]


@dataclass(frozen=True)
class UnknownDevice:
    """A neighbour name that matches no inventory device, and where it was seen."""

    name: str
    seen_from: Port
    remote_port: str


@dataclass
class DriftReport:
    """Planned vs discovered.

    ``seen_links``: planned links confirmed (also those on wrong ports); ``unseen_links``: planned
    links that no polled end reported; ``unverified_links``: planned links whose two ends sent no
    neighbour data at all; ``unplanned_links``: adjacencies between inventory devices that the
    inventory lacks; ``wrong_ports`` and ``unknown_devices`` as named.
    """

    seen_links: list[str] = field(default_factory=list)
    unseen_links: list[str] = field(default_factory=list)
    unverified_links: list[str] = field(default_factory=list)
    unplanned_links: list[tuple[Port, Port]] = field(default_factory=list)
    wrong_ports: list[WrongPort] = field(default_factory=list)
    unknown_devices: list[UnknownDevice] = field(default_factory=list)

    @property
    def has_drift(self) -> bool:
        return bool(
            self.unseen_links or self.unplanned_links or self.wrong_ports or self.unknown_devices
        )

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _canon_port(name: str) -> str:
    try:
        return str(canonical_interface_name(name.strip())).lower()
    except Exception:  # netutils raises on odd strings; compare them verbatim instead
        return name.strip().lower()


def _resolver(names: Iterable[str]) -> dict[str, str]:
    return {n.lower(): n for n in names}


def _resolve_device(known: dict[str, str], name: str) -> str | None:
    key = name.strip().lower()
    if key in known:
        return known[key]
    first = key.split(".", 1)[0]
    return known.get(first)


def match_discovered(
    inv: Inventory,
    discovered: list[DiscoveredLink],
    polled_devices: set[str] | None = None,
) -> DriftReport:
    """Compare the plan with discovered neighbours; see :class:`DriftReport`.

    ``polled_devices`` are the devices whose neighbour tables were read (default: every device
    that reported at least one neighbour); links with no polled end are "unverified".
    """
    known = _resolver(d.hostname for d in inv.devices)
    ports: dict[str, dict[str, str]] = {
        d.hostname: {_canon_port(i.name): i.name for i in d.interfaces} for d in inv.devices
    }
    planned: dict[Port, tuple[Port, str]] = {}
    pair_links: dict[frozenset[str], list[str]] = {}
    ends: dict[str, tuple[Port, Port]] = {}
    for link in inv.links:
        a = (link.a.device, link.a.interface)
        b = (link.b.device, link.b.interface)
        lid = link_id(a, b)
        planned[a] = (b, lid)
        planned[b] = (a, lid)
        ends[lid] = (a, b)
        pair_links.setdefault(frozenset((a[0], b[0])), []).append(lid)

    def port_of(device: str, name: str) -> str:
        return ports.get(device, {}).get(_canon_port(name), name.strip())

    polled = set(polled_devices) if polled_devices is not None else set()
    confirmed: set[str] = set()
    wrong: dict[str, WrongPort] = {}
    unplanned: dict[str, tuple[Port, Port]] = {}
    unknown: dict[tuple[str, Port], UnknownDevice] = {}
    for rec in discovered:
        local_dev = _resolve_device(known, rec.device)
        if local_dev is None:
            continue  # the collectors poll inventory devices only
        if polled_devices is None:
            polled.add(local_dev)
        local = (local_dev, port_of(local_dev, rec.local_interface))
        remote_dev = _resolve_device(known, rec.remote_system_name)
        if remote_dev is None:
            key = (rec.remote_system_name, local)
            unknown.setdefault(key, UnknownDevice(rec.remote_system_name, local, rec.remote_port))
            continue
        remote = (remote_dev, port_of(remote_dev, rec.remote_port))
        plan = planned.get(local)
        if plan is not None and plan[0] == remote:
            confirmed.add(plan[1])
            continue
        same_pair = pair_links.get(frozenset((local_dev, remote_dev)), [])
        if same_pair:
            lid = plan[1] if plan is not None and plan[1] in same_pair else same_pair[0]
            confirmed.add(lid)
            seen = tuple(sorted([local, remote]))
            wrong.setdefault(lid, WrongPort(lid, ends[lid], (seen[0], seen[1])))
            continue
        unplanned.setdefault(link_id(local, remote), tuple(sorted([local, remote])))  # type: ignore[arg-type]
    report = DriftReport()
    for lid, (a, b) in ends.items():
        if lid in confirmed:
            report.seen_links.append(lid)
        elif a[0] in polled or b[0] in polled:
            report.unseen_links.append(lid)
        else:
            report.unverified_links.append(lid)
    report.unplanned_links = [unplanned[k] for k in sorted(unplanned)]
    report.wrong_ports = [wrong[k] for k in sorted(wrong)]
    report.unknown_devices = sorted(unknown.values(), key=lambda u: (u.name, u.seen_from))
    return report
