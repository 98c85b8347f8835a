"""The topology model: devices and links from the inventory, overlaid with what was discovered.

:func:`build_model` turns an :class:`~netops.inventory.schema.Inventory` (the plan), the LLDP/MNDP
neighbours the collectors saw (:class:`DiscoveredLink`) and the measured interface rates
(:class:`InterfaceRate`, bit/s) into a :class:`TopologyModel`: a ``networkx.MultiGraph`` with one
edge per physical link, plus the agencies and where they attach.  No I/O happens here; the thin
adapter in :mod:`topology.sources` reads the inputs from the database.

Edge attributes of the multigraph (key = link id ``"dev:if--dev:if"``): ``medium`` (``fiber``,
``wireless``, ``copper`` or ``unknown``), ``length_km``, ``capacity_mbps``, ``utilization_bps``
(busiest direction, bit/s, 0 when unknown), ``planned`` (in the inventory), ``seen`` (``True`` /
``False`` / ``None`` when neither end was polled) and the two ends ``a`` and ``b`` as
``(device, interface)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from netops.errors import TopologyError
from netops.inventory.schema import Inventory, Role

# Shared with topology.drift, which this module uses: both live a step below (topology.discovered).
from topology.discovered import DiscoveredLink, link_id
from topology.drift import match_discovered
from topology.links import LinkColumns

ROOT = "__internet__"
"""The virtual node every uplink device hangs from; never a real device name (names cannot
start with an underscore)."""

MEDIA = ("fiber", "wireless", "copper", "unknown")
_ROLE_ORDER = {Role.CORE: 0, Role.DISTRIBUTION: 1, Role.ACCESS: 2, Role.WIRELESS_PTP: 3}


@dataclass(frozen=True)
class InterfaceRate:
    """Measured traffic of one interface, bit/s in each direction (from the collectors)."""

    in_bps: float
    out_bps: float


Utilization = Mapping[tuple[str, str], InterfaceRate]
"""``(device, interface) -> InterfaceRate``; interfaces absent from the mapping are unknown."""


@dataclass(frozen=True)
class AgencyAttachment:
    """An agency, the devices it hangs from, and the Mbit/s it is guaranteed (down/up)."""

    code: str
    name: str
    devices: tuple[str, ...]
    guaranteed_down_mbps: float
    guaranteed_up_mbps: float
    current_down_mbps: float | None = None
    """Measured on the agency's LAN interfaces (sum of the device->agency direction), if known."""


class TopologyModel:
    """The intranet as a graph: planned links overlaid with discovered ones.

    ``graph`` is a ``MultiGraph`` over device hostnames (one edge per physical link); ``agencies``
    maps agency code to its attachment; ``uplink_devices`` are the devices holding an uplink;
    ``coordinates`` maps each device to its site's ``(latitude, longitude)``.

    A model is built as :class:`~topology.links.LinkColumns` (``links``) and its ``graph`` is
    made from them the first time it is asked for: the analyses compile from the columns and
    never need it.  Once the graph exists it is the model's truth (it may have been changed),
    and the columns are no longer used.
    """

    def __init__(
        self,
        graph: nx.MultiGraph | None = None,
        agencies: dict[str, AgencyAttachment] | None = None,
        uplink_devices: tuple[str, ...] = (),
        coordinates: dict[str, tuple[float, float]] | None = None,
        device_site: dict[str, str] | None = None,
        site_coordinates: dict[str, tuple[float, float]] | None = None,
        link_by_port: dict[tuple[str, str], str] | None = None,
        *,
        links: LinkColumns | None = None,
    ) -> None:
        if (graph is None) == (links is None):
            raise TypeError("TopologyModel needs exactly one of graph= and links=")
        self._graph = graph
        self._links = links
        self.agencies: dict[str, AgencyAttachment] = agencies or {}
        self.uplink_devices = uplink_devices
        self.coordinates: dict[str, tuple[float, float]] = coordinates or {}
        self.device_site: dict[str, str] = device_site or {}
        self.site_coordinates: dict[str, tuple[float, float]] = site_coordinates or {}
        self.link_by_port: dict[tuple[str, str], str] = link_by_port or {}
        """``(device, interface) -> link id`` for both ends of every link (for ``--fail-link``)."""

    @property
    def graph(self) -> nx.MultiGraph:
        """The model as a ``networkx.MultiGraph`` (built from the columns on first use)."""
        if self._graph is None:
            assert self._links is not None
            self._graph = self._links.to_networkx()
            self._links = None
        return self._graph

    @graph.setter
    def graph(self, g: nx.MultiGraph) -> None:
        self._graph = g
        self._links = None

    @property
    def link_columns(self) -> LinkColumns | None:
        """The columns the model was built as, while its graph has not been made (else None)."""
        return self._links

    def link_for(self, ref: str) -> str:
        """Resolve ``"DEV:IF"`` (or a link id) to a link id; raise :class:`TopologyError`."""
        cols = self._links
        keys = cols.key if cols is not None else [k for _, _, k in self.graph.edges(keys=True)]
        if ref in keys:
            return ref
        if ":" not in ref:
            raise TopologyError(f"link {ref!r}: expected DEVICE:INTERFACE, e.g. core1:ether2")
        device, interface = ref.split(":", 1)
        if device not in (cols.position if cols is not None else self.graph):
            raise TopologyError(f"link {ref!r}: unknown device {device!r}")
        try:
            return self.link_by_port[(device, interface)]
        except KeyError:
            ports = sorted(i for d, i in self.link_by_port if d == device)
            raise TopologyError(
                f"link {ref!r}: no link on {device} {interface}; linked ports: "
                + (", ".join(ports) or "none")
            ) from None

    def site_device(self, site: str) -> str:
        """The device that represents ``site`` (highest role, then name); raise if none."""
        devices = [d for d, s in self.device_site.items() if s == site]
        if not devices:
            raise TopologyError(f"site {site!r} has no device")
        cols = self._links
        if cols is not None:
            roles = {d: a["role"] for d, a in cols.nodes.items() if "role" in a}
        else:
            roles = nx.get_node_attributes(self.graph, "role")
        return min(devices, key=lambda d: (_ROLE_ORDER.get(roles.get(d, Role.ACCESS), 9), d))


def _attachments(inv: Inventory) -> dict[str, list[str]]:
    """Agency code -> devices holding an interface with ``agency: code`` (else its site's)."""
    by_port: dict[str, list[str]] = {}
    for d in inv.devices:
        for i in d.interfaces:
            if i.agency and d.hostname not in by_port.setdefault(i.agency, []):
                by_port[i.agency].append(d.hostname)
    out: dict[str, list[str]] = {}
    for a in inv.agencies:
        if a.code in by_port:
            out[a.code] = by_port[a.code]
            continue
        sites = [s.name for s in inv.sites if s.agency == a.code]
        devices = [
            d
            for d in sorted(inv.devices, key=lambda d: (_ROLE_ORDER.get(d.role, 9), d.hostname))
            if d.site in sites
        ]
        out[a.code] = [devices[0].hostname] if devices else []
    return out


def _link_rate_bps(util: Utilization, a: tuple[str, str], b: tuple[str, str]) -> float:
    """Busiest direction of a link from whichever ends were measured (bit/s)."""
    ra, rb = util.get(a), util.get(b)
    a_to_b = max(ra.out_bps if ra else 0.0, rb.in_bps if rb else 0.0)
    b_to_a = max(rb.out_bps if rb else 0.0, ra.in_bps if ra else 0.0)
    return max(a_to_b, b_to_a)


def build_model(
    inv: Inventory,
    discovered: Iterable[DiscoveredLink] | None = None,
    utilization: Utilization | None = None,
    polled_devices: set[str] | None = None,
) -> TopologyModel:
    """Build the model from the plan, the discovered neighbours and measured rates.

    ``discovered=None`` means "no discovery data" (every planned link has ``seen=None``); links
    seen but not planned between two inventory devices are added with ``planned=False``.
    ``polled_devices``: devices whose neighbour tables were read (see
    :func:`topology.drift.match_discovered`).
    Raises :class:`TopologyError` if the inventory has no uplink.
    """
    util = utilization or {}
    cols = LinkColumns()
    site_xy = {s.name: (s.latitude, s.longitude) for s in inv.sites}
    coordinates: dict[str, tuple[float, float]] = {}
    for d in inv.devices:
        cols.add_node(d.hostname, role=d.role, site=d.site, platform=str(d.platform))
        if d.site in site_xy:
            coordinates[d.hostname] = site_xy[d.site]
    speeds = {(d.hostname, i.name): i.speed_mbps for d in inv.devices for i in d.interfaces}
    by_port: dict[tuple[str, str], str] = {}
    index_of: dict[str, int] = {}
    for link in inv.links:
        a = (link.a.device, link.a.interface)
        b = (link.b.device, link.b.interface)
        lid = link_id(a, b)
        index_of[lid] = cols.add_link(
            a[0],
            b[0],
            lid,
            a=a,
            b=b,
            medium=str(link.medium),
            length_km=float(link.length_km),
            capacity_mbps=float(link.capacity_mbps),
            utilization_bps=_link_rate_bps(util, a, b),
            planned=True,
            seen=None,
        )
        by_port[a] = lid
        by_port[b] = lid
    if discovered is not None:
        matched = match_discovered(inv, list(discovered), polled_devices)
        for lid in matched.seen_links:
            cols.seen[index_of[lid]] = True
        for lid in matched.unseen_links:
            cols.seen[index_of[lid]] = False
        for a, b in matched.unplanned_links:
            lid = link_id(a, b)
            cap = min(speeds.get(a, 1000.0), speeds.get(b, 1000.0))
            cols.add_link(
                a[0],
                b[0],
                lid,
                a=a,
                b=b,
                medium="unknown",
                length_km=0.0,
                capacity_mbps=float(cap),
                utilization_bps=_link_rate_bps(util, a, b),
                planned=False,
                seen=True,
            )
            by_port.setdefault(a, lid)
            by_port.setdefault(b, lid)
    uplinks = tuple(dict.fromkeys(u.device for u in inv.uplinks if u.device in cols.position))
    if not uplinks:
        raise TopologyError("the inventory has no uplink on a known device: nothing to route to")
    agencies: dict[str, AgencyAttachment] = {}
    attach = _attachments(inv)
    lan_ports: dict[str, list[tuple[str, str]]] = {}
    for d in inv.devices:
        for i in d.interfaces:
            if i.agency:
                lan_ports.setdefault(i.agency, []).append((d.hostname, i.name))
    for ag in inv.agencies:
        current: float | None = None
        rates = [util[p] for p in lan_ports.get(ag.code, ()) if p in util]
        if rates:
            current = sum(r.out_bps for r in rates) / 1e6
        agencies[ag.code] = AgencyAttachment(
            code=ag.code,
            name=ag.name,
            devices=tuple(attach.get(ag.code, [])),
            guaranteed_down_mbps=ag.quota.guaranteed_down_mbps,
            guaranteed_up_mbps=ag.quota.guaranteed_up_mbps,
            current_down_mbps=current,
        )
    return TopologyModel(
        links=cols,
        agencies=agencies,
        uplink_devices=uplinks,
        coordinates=coordinates,
        device_site={d.hostname: d.site for d in inv.devices},
        site_coordinates=site_xy,
        link_by_port=by_port,
    )
