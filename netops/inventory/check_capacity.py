"""Cross-checks on addresses and numbers: overlapping subnets, guarantees against capacity,
agency limits against their group, overlapping boosts."""

from __future__ import annotations

import ipaddress

from netops.inventory.findings import MAX_LISTED, Findings, fmt_mbps
from netops.inventory.schema import Agency, Boost, Group, Inventory, Quota
from netops.inventory.yamlmap import PathKey

DIRECTIONS = (("down", "download"), ("up", "upload"))


def check_subnets(inv: Inventory, found: Findings) -> None:
    """No two agency subnets (of the same or different agencies) may overlap.

    Sorted sweep, O(n log n): a network overlaps an earlier one exactly when it starts before the
    furthest end seen so far.
    """
    entries: list[tuple[ipaddress.IPv4Network, str, PathKey]] = []
    for i, a in enumerate(inv.agencies):
        for j, net in enumerate(a.subnets):
            entries.append((net, a.code, ("agencies", i, "subnets", j)))
    # Document order decides which of two overlapping entries is reported (the later one).
    entries.sort(key=lambda e: (int(e[0].network_address), -int(e[0].broadcast_address)))
    reach: tuple[ipaddress.IPv4Network, str, PathKey] | None = None
    for entry in entries:
        net, code, path = entry
        if reach is not None and net.network_address <= reach[0].broadcast_address:
            earlier, later = sorted((reach, entry), key=lambda e: found.line(e[2]))
            owner = f"agency '{earlier[1]}'" if earlier[1] != later[1] else "the same agency"
            found.error(
                later[2],
                f"subnet {later[0]} overlaps {earlier[0]} of {owner} "
                f"(at {found.where(earlier[2])})",
            )
        if reach is None or net.broadcast_address > reach[0].broadcast_address:
            reach = entry


def _guaranteed(q: Quota, d: str) -> float:
    return float(getattr(q, f"guaranteed_{d}_mbps"))


def _maximum(q: Quota | Boost, d: str) -> float | None:
    value = getattr(q, f"maximum_{d}_mbps")
    return None if value is None else float(value)


def _listing(parts: list[tuple[str, float]]) -> str:
    if len(parts) > MAX_LISTED:
        return f"{len(parts)} entries"
    return ", ".join(f"{name} {value:g}" for name, value in parts)


def check_uplink_capacity(inv: Inventory, found: Findings) -> None:
    """Guarantees no uplink can carry: agencies' and groups' sums above the uplinks (warnings)."""
    if not inv.uplinks:
        return
    down, up = inv.uplink_capacity_mbps()
    capacity = {"down": down, "up": up}
    uplinks = {
        d: ", ".join(f"{u.name} {getattr(u, f'{d}_mbps'):g}" for u in inv.uplinks)
        for d, _ in DIRECTIONS
    }
    for d, word in DIRECTIONS:
        total = sum(_guaranteed(a.quota, d) for a in inv.agencies)
        if total > capacity[d]:
            found.warning(
                ("agencies",),
                f"guaranteed {word} of all {len(inv.agencies)} agencies adds up to "
                f"{fmt_mbps(total)}, above the uplinks' {fmt_mbps(capacity[d])} ({uplinks[d]}): "
                "not every guarantee can be met at once",
            )
        total = sum(_guaranteed(g.quota, d) for g in inv.groups)
        if total > capacity[d]:
            parts = [(g.name, _guaranteed(g.quota, d)) for g in inv.groups]
            found.warning(
                ("groups",),
                f"guaranteed {word} of the groups adds up to {fmt_mbps(total)} "
                f"({_listing(parts)}), above the uplinks' {fmt_mbps(capacity[d])} ({uplinks[d]})",
            )


def _check_group_members(
    found: Findings, gi: int, group: Group, members: list[tuple[int, Agency]]
) -> None:
    for d, word in DIRECTIONS:
        parts = [(a.code, _guaranteed(a.quota, d)) for _, a in members]
        total = sum(v for _, v in parts)
        group_g = _guaranteed(group.quota, d)
        if total > group_g:
            found.warning(
                ("groups", gi, "quota", f"guaranteed_{d}_mbps"),
                f"agencies in group '{group.name}' are guaranteed {fmt_mbps(total)} {word} in "
                f"total ({_listing(parts)}), above the group's guaranteed_{d}_mbps "
                f"{group_g:g}",
            )
        group_max = _maximum(group.quota, d)
        assert group_max is not None
        for ai, a in members:
            agency_max = _maximum(a.quota, d)
            assert agency_max is not None
            if agency_max > group_max:
                found.error(
                    ("agencies", ai, "quota", f"maximum_{d}_mbps"),
                    f"maximum_{d}_mbps {agency_max:g} is above the maximum_{d}_mbps "
                    f"{group_max:g} of group '{group.name}'",
                )
            for bi, boost in enumerate(a.quota.boosts):
                boost_max = _maximum(boost, d)
                if boost_max is not None and boost_max > group_max:
                    found.warning(
                        ("agencies", ai, "quota", "boosts", bi, f"maximum_{d}_mbps"),
                        f"boost maximum_{d}_mbps {boost_max:g} is above the maximum_{d}_mbps "
                        f"{group_max:g} of group '{group.name}': the group limit caps it",
                    )


def check_groups(inv: Inventory, found: Findings) -> None:
    """Agencies against their group: guarantees summed (warning), maximums (error)."""
    members: dict[str, list[tuple[int, Agency]]] = {}
    for i, a in enumerate(inv.agencies):
        members.setdefault(a.group, []).append((i, a))
    seen: set[str] = set()
    for gi, g in enumerate(inv.groups):
        if g.name in seen:  # a duplicate, already reported
            continue
        seen.add(g.name)
        _check_group_members(found, gi, g, members.get(g.name, []))


def _check_boosts(found: Findings, base: PathKey, quota: Quota) -> None:
    ordered = sorted(enumerate(quota.boosts), key=lambda e: e[1].start)
    reach: tuple[int, Boost] | None = None  # the boost ending last so far
    for j, boost in ordered:
        if reach is not None and boost.start < reach[1].end:
            i, first = reach
            found.error(
                (*base, "quota", "boosts", j),
                f"boost from {boost.start.isoformat()} overlaps the boost from "
                f"{first.start.isoformat()} to {first.end.isoformat()} "
                f"(at {found.where((*base, 'quota', 'boosts', i))})",
            )
        if reach is None or boost.end > reach[1].end:
            reach = (j, boost)


def check_boosts(inv: Inventory, found: Findings) -> None:
    """Boosts of one quota must not overlap in time (which maximum would apply?)."""
    for gi, g in enumerate(inv.groups):
        _check_boosts(found, ("groups", gi), g.quota)
    for ai, a in enumerate(inv.agencies):
        _check_boosts(found, ("agencies", ai), a.quota)
