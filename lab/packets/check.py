"""Compare netops's computed fair shares with what real flows get through the kernel's HTB.

A :class:`Scenario` names which agencies send, in which direction and protocol; every sending
agency wants more than its maximum (TCP with several streams, or UDP above the maximum), so the
computed share is netops's HTB model with those agencies at their maximum and the others idle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lab.packets.iperf import Direction, Flow, Protocol, run_flows
from lab.packets.layout import Layout
from netops.bandwidth.plan import BandwidthPlan
from netops.bandwidth.shares import simulate
from netops.tables import render_table

TOLERANCE = 0.10
UDP_OVERDRIVE = 1.3
"""UDP senders offer 30% above their maximum so that the shaper, not the sender, limits them."""


@dataclass(frozen=True)
class Scenario:
    name: str
    codes: tuple[str, ...]
    directions: tuple[Direction, ...] = ("down", "up")
    protocol: Protocol = "tcp"


@dataclass(frozen=True)
class Row:
    scenario: str
    code: str
    direction: Direction
    protocol: Protocol
    computed_mbps: float
    measured_mbps: float

    @property
    def error_pct(self) -> float:
        return 100.0 * (self.measured_mbps - self.computed_mbps) / self.computed_mbps

    @property
    def ok(self) -> bool:
        return abs(self.error_pct) <= 100 * TOLERANCE


def computed_shares(
    plan: BandwidthPlan, scenario: Scenario, direction: Direction
) -> dict[str, float]:
    """agency code -> Mbit/s the HTB model gives each sender (idle agencies demand nothing)."""
    demand = {
        a.code: (a.maximum_mbps(direction) * 10 if a.code in scenario.codes else 0.0)
        for a in plan.agencies
    }
    result = simulate(plan, direction, demand)
    return {a.code: result.leaves_mbps[a.key] for a in plan.agencies if a.code in scenario.codes}


def run_scenario(
    lay: Layout, plan: BandwidthPlan, scenario: Scenario, *, seconds: int = 5, attempts: int = 2
) -> list[Row]:
    """Measure ``scenario``; one that is off is measured again (up to ``attempts`` runs: TCP under
    contention on a shared machine is noisy), and the last run is returned."""
    rows: list[Row] = []
    for _ in range(max(1, attempts)):
        rows = _measure(lay, plan, scenario, seconds)
        if all(r.ok for r in rows):
            break
    return rows


def _measure(lay: Layout, plan: BandwidthPlan, scenario: Scenario, seconds: int) -> list[Row]:
    maxima = {(a.code, d): a.maximum_mbps(d) for a in plan.agencies for d in ("down", "up")}
    flows = [
        Flow(code, d, scenario.protocol, udp_mbps=maxima[(code, d)] * UDP_OVERDRIVE)
        for d in scenario.directions
        for code in scenario.codes
    ]
    measured = run_flows(lay, flows, seconds=seconds)
    rows = []
    for d in scenario.directions:
        for code, share in computed_shares(plan, scenario, d).items():
            got = measured[(code, d)].wire_mbps
            rows.append(Row(scenario.name, code, d, scenario.protocol, share, got))
    return rows


def default_scenarios(plan: BandwidthPlan) -> list[Scenario]:
    """Each agency alone, every agency at once (TCP and UDP), and each group alone.

    Directions are measured one at a time: the ACKs of one direction's TCP flows ride in the other
    direction's classes (as on a real uplink), which the per-direction model does not include.
    """
    codes = tuple(a.code for a in plan.agencies)
    out = [Scenario(f"alone:{c}", (c,), (d,)) for c in codes for d in ("down", "up")]
    for proto in ("tcp", "udp"):
        out += [Scenario(f"all:{proto}", codes, (d,), proto) for d in ("down", "up")]
    for g in plan.groups:
        members = tuple(a.code for a in plan.agencies if a.parent == g.key)
        out += [Scenario(f"group:{g.key[2:]}", members, (d,)) for d in ("down", "up")]
    return out


def format_rows(rows: Sequence[Row]) -> str:
    """The rows as a table (fitted to the terminal by the CLI, see :mod:`netops.tables`)."""
    table = [
        [
            r.scenario,
            r.code,
            r.direction,
            r.protocol,
            f"{r.computed_mbps:.2f}",
            f"{r.measured_mbps:.2f}",
            f"{r.error_pct:+.1f}",
            "" if r.ok else "OFF",
        ]
        for r in rows
    ]
    headers = ["scenario", "agency", "dir", "proto", "computed", "measured", "error %", ""]
    return "\n".join(render_table(headers, table))
