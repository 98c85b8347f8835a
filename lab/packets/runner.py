"""What ``netops lab packets test`` and the tests do with a running packet lab, through netops.

The plan is pushed exactly as for a router in a regency data center
(:mod:`netops.bandwidth.service`: diff, apply, read back, verify, over SSH); the collectors
read the router's counters back over SSH and store rates (:class:`collectors.engine.Poller`).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from lab.packets.check import Row, Scenario, default_scenarios, run_scenario
from lab.packets.iperf import start_servers
from lab.packets.lab import PacketLab
from lab.packets.netns import PacketLabError
from netops.bandwidth.enforce import ApplyResult
from netops.bandwidth.plan import BandwidthPlan, build_plan
from netops.inventory.schema import Inventory
from netops.settings import Settings, get_settings

SERVER_START_S = 0.5


def lab_settings(plab: PacketLab) -> Settings:
    """Settings of a packet-lab run: loopback only, the lab's own data directory."""
    return get_settings(data_dir=plab.data_dir, loopback_only=True, device_timeout_s=20.0)


def push_plan(plab: PacketLab, inventory: Inventory | None = None) -> ApplyResult:
    """Apply ``inventory``'s plan (default: the lab's) to the core router; raise if it failed."""
    from netops.bandwidth.service import BandwidthContext, apply_device

    inv = inventory or plab.inventory
    ctx = BandwidthContext(inv, lab_settings(plab), plab.secrets, endpoints=plab.endpoints)
    try:
        result = apply_device(ctx, plab.layout.shaper, dry_run=False)
    finally:
        ctx.close()
    if result.result not in ("applied", "no-change"):
        raise PacketLabError(
            f"pushing the plan to {plab.layout.shaper}: {result.result} {result.error}"
        )
    return result


@contextmanager
def iperf_servers(plab: PacketLab) -> Iterator[None]:
    procs = start_servers(plab.layout)
    time.sleep(SERVER_START_S)
    try:
        yield
    finally:
        for p in procs:
            p.kill()
        for p in procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def plan_of(inventory: Inventory) -> BandwidthPlan:
    return build_plan(inventory, datetime.now(UTC))


def run_checks(
    plab: PacketLab,
    scenarios: Sequence[Scenario] | None = None,
    *,
    seconds: int = 4,
    progress: Callable[[int, int], None] | None = None,
) -> list[Row]:
    """Run ``scenarios`` (default: :func:`default_scenarios`) one after another;
    ``progress(done, total)`` after each."""
    plan = plan_of(plab.inventory)
    rows: list[Row] = []
    todo = list(scenarios or default_scenarios(plan))
    for done, sc in enumerate(todo, 1):
        rows += run_scenario(plab.layout, plan, sc, seconds=seconds)
        if progress is not None:
            progress(done, len(todo))
    return rows


def poller_engine(plab: PacketLab) -> Engine:
    from netops.storage.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{plab.data_dir / 'packet-lab.db'}")
    upgrade(engine)
    return engine


def lab_inventory(path: Path) -> Inventory:
    from netops.inventory.loader import load_inventory

    return load_inventory(path).inventory


def collector_rate_mbps(
    plab: PacketLab,
    code: str,
    direction: str,
    *,
    udp_mbps: float,
    seconds: int = 9,
    window_s: float = 5.0,
) -> tuple[float, float]:
    """One agency sends UDP at ``udp_mbps`` while netops's collectors poll the core's counters
    twice, ``window_s`` apart, inside the flow's steady part.

    Returns (the rate the collectors stored for the core's egress interface of that direction,
    iperf3's measured wire rate), both Mbit/s.
    """
    import threading

    from sqlalchemy.orm import Session

    from collectors.engine import Poller
    from lab.packets.iperf import Flow, run_flows
    from netops.storage.telemetry import latest_interface_rates

    engine = poller_engine(plab)
    # only the core has SSH: the other namespaces are planned neighbours, never polled
    poller = Poller(
        plab.inventory,
        lab_settings(plab),
        plab.secrets,
        plab.endpoints,
        engine=engine,
        devices=[plab.layout.shaper],
    )
    try:
        report = poller.poll(("counters",))  # opens the session: both timed polls reuse it
        if report.failed:
            raise PacketLabError(f"collectors could not poll the core: {report.failed[0]}")
        flow = Flow(code, direction, "udp", udp_mbps=udp_mbps)  # type: ignore[arg-type]
        measured: dict[str, float] = {}

        def send() -> None:
            measured["wire"] = run_flows(plab.layout, [flow], seconds=seconds)[
                (code, direction)  # type: ignore[index]
            ].wire_mbps

        sender = threading.Thread(target=send)
        sender.start()
        time.sleep(2.5)
        poller.poll(("counters",))
        time.sleep(window_s)
        poller.poll(("counters",))
        sender.join(timeout=seconds + 30)
        iface = plab.layout.lan if direction == "down" else plab.layout.wan
        with Session(engine) as session:
            rate = latest_interface_rates(session)[(plab.layout.shaper, iface)]
        return rate.out_bps / 1e6, measured["wire"]
    finally:
        poller.close()
        engine.dispose()
