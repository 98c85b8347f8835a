"""Cross-checks on names: duplicates, references to unknown entries, links and shapers."""

from __future__ import annotations

from collections.abc import Iterable

from netops.inventory.findings import Findings, suggest
from netops.inventory.schema import Inventory, LinkEnd, Platform, ShaperMode
from netops.inventory.yamlmap import PathKey


def _first_seen(
    found: Findings, items: Iterable[tuple[str, PathKey]], what: str, scope: str = ""
) -> dict[str, PathKey]:
    """Map each name to where it is first defined; report later repeats as duplicates."""
    seen: dict[str, PathKey] = {}
    for value, path in items:
        if value in seen:
            found.error(
                path,
                f"duplicate {what} '{value}'{scope} (first defined at {found.where(seen[value])})",
            )
        else:
            seen[value] = path
    return seen


def check_duplicates(inv: Inventory, found: Findings) -> dict[str, set[str]]:
    """Report repeated names; return the interface names of each hostname.

    For a duplicated hostname the interfaces of all its definitions count as known, so a link to
    one of them adds no second error derived from the first.
    """
    _first_seen(
        found,
        ((c.name, ("credentials", i, "name")) for i, c in enumerate(inv.credentials)),
        "credential name",
    )
    _first_seen(
        found, ((u.name, ("uplinks", i, "name")) for i, u in enumerate(inv.uplinks)), "uplink name"
    )
    _first_seen(
        found, ((g.name, ("groups", i, "name")) for i, g in enumerate(inv.groups)), "group name"
    )
    _first_seen(
        found,
        ((a.code, ("agencies", i, "code")) for i, a in enumerate(inv.agencies)),
        "agency code",
    )
    _first_seen(
        found, ((s.name, ("sites", i, "name")) for i, s in enumerate(inv.sites)), "site name"
    )
    _first_seen(
        found,
        ((d.hostname, ("devices", i, "hostname")) for i, d in enumerate(inv.devices)),
        "device hostname",
    )
    interfaces: dict[str, set[str]] = {}
    for i, d in enumerate(inv.devices):
        names = _first_seen(
            found,
            ((f.name, ("devices", i, "interfaces", j, "name")) for j, f in enumerate(d.interfaces)),
            "interface name",
            f" on device '{d.hostname}'",
        )
        interfaces.setdefault(d.hostname, set()).update(names)
    return interfaces


class _Refs:
    """Known names of every kind, for reference checks."""

    def __init__(self, inv: Inventory, interfaces: dict[str, set[str]]) -> None:
        self.credentials = {c.name for c in inv.credentials}
        self.groups = {g.name for g in inv.groups}
        self.agencies = {a.code for a in inv.agencies}
        self.sites = {s.name for s in inv.sites}
        self.interfaces = interfaces


def _ref(
    found: Findings, path: PathKey, value: str, known: set[str], kind: str, plural: str
) -> bool:
    if value in known:
        return True
    found.error(path, f"unknown {kind} '{value}'{suggest(value, known, plural)}")
    return False


def _iface_on(found: Findings, refs: _Refs, device: str, iface_path: PathKey, iface: str) -> bool:
    known = refs.interfaces[device]
    if iface in known:
        return True
    found.error(
        iface_path,
        f"unknown interface '{iface}' on device '{device}'"
        + suggest(iface, known, f"interfaces on {device}"),
    )
    return False


def _interface_ref(
    found: Findings, refs: _Refs, device_path: PathKey, device: str, iface_path: PathKey, iface: str
) -> bool:
    """Check a device name and an interface on it; the interface only if the device exists."""
    if not _ref(found, device_path, device, set(refs.interfaces), "device", "devices"):
        return False
    return _iface_on(found, refs, device, iface_path, iface)


def check_references(inv: Inventory, found: Findings, interfaces: dict[str, set[str]]) -> None:
    """Every name that points at another entry must exist."""
    refs = _Refs(inv, interfaces)
    for i, a in enumerate(inv.agencies):
        _ref(found, ("agencies", i, "group"), a.group, refs.groups, "group", "groups")
    for i, s in enumerate(inv.sites):
        if s.agency is not None:
            _ref(found, ("sites", i, "agency"), s.agency, refs.agencies, "agency", "agencies")
    for i, d in enumerate(inv.devices):
        _ref(found, ("devices", i, "site"), d.site, refs.sites, "site", "sites")
        _ref(
            found,
            ("devices", i, "credentials"),
            d.credentials,
            refs.credentials,
            "credential",
            "credentials",
        )
        for j, f in enumerate(d.interfaces):
            if f.agency is not None:
                path = ("devices", i, "interfaces", j, "agency")
                _ref(found, path, f.agency, refs.agencies, "agency", "agencies")
    for i, u in enumerate(inv.uplinks):
        _interface_ref(
            found,
            refs,
            ("uplinks", i, "device"),
            u.device,
            ("uplinks", i, "interface"),
            u.interface,
        )
    for i, sh in enumerate(inv.shapers):
        base: PathKey = ("shapers", i)
        if _ref(found, (*base, "device"), sh.device, set(refs.interfaces), "device", "devices"):
            _iface_on(found, refs, sh.device, (*base, "lan_interface"), sh.lan_interface)
            _iface_on(found, refs, sh.device, (*base, "wan_interface"), sh.wan_interface)
        if sh.lan_interface == sh.wan_interface:
            found.error(
                (*base, "wan_interface"),
                f"wan_interface '{sh.wan_interface}' is the same as lan_interface: download and "
                "upload must be shaped on different interfaces",
            )
        for k, g in enumerate(sh.groups):
            _ref(found, (*base, "groups", k), g, refs.groups, "group", "groups")


def _end_key(end: LinkEnd) -> tuple[str, str]:
    return (end.device, end.interface)


def check_links(inv: Inventory, found: Findings, interfaces: dict[str, set[str]]) -> None:
    """Link ends must exist; an interface carries at most one link; no link loops to itself."""
    refs = _Refs(inv, interfaces)
    used: dict[tuple[str, str], PathKey] = {}
    for i, link in enumerate(inv.links):
        ends = (("a", link.a), ("b", link.b))
        ok = True
        for side, end in ends:
            ok = (
                _interface_ref(
                    found,
                    refs,
                    ("links", i, side, "device"),
                    end.device,
                    ("links", i, side, "interface"),
                    end.interface,
                )
                and ok
            )
        if not ok:
            continue
        if _end_key(link.a) == _end_key(link.b):
            found.error(
                ("links", i, "b"),
                f"link connects {link.a.device} {link.a.interface} to itself",
            )
            continue
        for side, end in ends:
            key = _end_key(end)
            if key in used:
                found.error(
                    ("links", i, side),
                    f"interface {end.device} {end.interface} is already used by "
                    f"{found.where(used[key])}",
                )
            else:
                used[key] = ("links", i)


def check_shaper_duplicates(inv: Inventory, found: Findings) -> None:
    """Two shapers on the same device and LAN interface would fight over one queue tree."""
    seen: dict[tuple[str, str], PathKey] = {}
    for i, s in enumerate(inv.shapers):
        key = (s.device, s.lan_interface)
        if key in seen:
            found.error(
                ("shapers", i),
                f"duplicate shaper for {s.device} {s.lan_interface} "
                f"(first defined at {found.where(seen[key])})",
            )
        else:
            seen[key] = ("shapers", i)


# Renderings each platform has: MikroTik simple queues or queue tree + mangle; Cisco MQC and
# Linux tc have one rendering each, which ``mode: simple`` stands for.
SHAPER_MODES: dict[Platform, frozenset[ShaperMode]] = {
    Platform.MIKROTIK_ROUTEROS: frozenset({ShaperMode.SIMPLE, ShaperMode.TREE}),
}


def shaper_mode_error(mode: ShaperMode, device: str, platform: Platform) -> str | None:
    """Why ``mode`` cannot run on ``device`` (a ``platform``), or None when it can, e.g.
    ``"mode 'tree' exists only on mikrotik_routeros; dist1 is cisco_ios: use mode: simple"``."""
    if mode in SHAPER_MODES.get(platform, frozenset({ShaperMode.SIMPLE})):
        return None
    where = ", ".join(sorted(p.value for p, modes in SHAPER_MODES.items() if mode in modes))
    return (
        f"mode {mode.value!r} exists only on {where}; {device} is {platform.value}: "
        "use mode: simple"
    )


def check_shaper_modes(inv: Inventory, found: Findings) -> None:
    """A shaper's ``mode`` must be one its device's platform has (``tree`` only on MikroTik).
    A shaper on an unknown device is reported by :func:`check_references` alone."""
    platforms: dict[str, Platform] = {}
    for d in inv.devices:
        platforms.setdefault(d.hostname, d.platform)
    for i, s in enumerate(inv.shapers):
        platform = platforms.get(s.device)
        message = shaper_mode_error(s.mode, s.device, platform) if platform else None
        if message is not None:
            found.error(("shapers", i, "mode"), message)
