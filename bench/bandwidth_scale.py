"""Benchmark: the bandwidth plan, fair shares and rendering for N agencies in a 3-level tree
(uplink -> groups of 100 agencies -> agencies), against a sort of the same data in the same run.

For each size it reports the median of ``--repeat`` runs of:

* plan: ``build_plan`` + ``validate_plan`` from an Inventory object (schema objects prebuilt);
* shares: ``fair_shares`` in both directions with measured demands (two HTB allocations each:
  getting now and full contention);
* render: normalized entries + MikroTik, Cisco and Linux tc commands for one shaper holding all;
* render_tree: the same shaper in MikroTik queue tree + mangle mode (2 queues, 4 rules per agency);
* baseline: ``sorted()`` of the agencies' (group, prio, rate, ceil, demand) tuples.

Times are CPU seconds of this process (``time.process_time``): the benchmark is single-threaded
and CPU-bound, and on a shared machine wall time mostly measures the neighbours.  Each cost is also
given as a ratio to the baseline; a ratio that stays flat as N grows means the
cost grows like the sort, n log n.  Run: ``python bench/bandwidth_scale.py [--sizes
1000,2500,5000,10000] [--repeat 5] [--out bench/results/bandwidth_scale.json]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netops.bandwidth import cisco, linux_tc, mikrotik, mikrotik_tree
from netops.bandwidth.entries import (
    ShaperTarget,
    flat_agency_entries,
    plan_entries,
    tree_mode_entries,
)
from netops.bandwidth.plan import build_plan, validate_plan
from netops.bandwidth.shares import fair_shares
from netops.inventory.schema import Inventory, Platform, ShaperMode

AT = datetime(2026, 1, 15, tzinfo=UTC)
PER_GROUP = 100


def synthetic(n: int, seed: int = 7) -> tuple[Inventory, dict[str, dict[str, float]]]:
    """A valid inventory with ``n`` agencies in groups of 100, and a demand per agency (Mbit/s)."""
    rng = random.Random(seed)
    groups = max(1, n // PER_GROUP)
    uplink = 10.0 * n
    g_rate = uplink / groups
    agencies = []
    demand: dict[str, dict[str, float]] = {"down": {}, "up": {}}
    for i in range(n):
        g = i % groups
        rate = round(rng.uniform(0.5, g_rate / PER_GROUP * 0.9), 1)
        ceil = round(rate * rng.uniform(1.5, 4), 1)
        code = f"a{i}"
        agencies.append(
            {
                "code": code,
                "name": f"Agency {i}",
                "kind": "dinas",
                "group": f"g{g}",
                "subnets": [f"10.{i // 256 % 256}.{i % 256}.0/24" if i < 65536 else "10.0.0.0/24"],
                "quota": {
                    "guaranteed_down_mbps": rate,
                    "maximum_down_mbps": ceil,
                    "guaranteed_up_mbps": rate / 2,
                    "maximum_up_mbps": ceil / 2,
                    "priority": rng.randint(1, 8),
                },
            }
        )
        demand["down"][code] = rng.uniform(0, ceil * 1.2)
        demand["up"][code] = rng.uniform(0, ceil * 0.6)
    doc = {
        "region": "Bench",
        "uplinks": [
            {
                "name": "isp",
                "provider": "ISP",
                "down_mbps": uplink,
                "up_mbps": uplink / 2,
                "device": "core1",
                "interface": "ether1",
            }
        ],
        "groups": [
            {
                "name": f"g{g}",
                "quota": {
                    "guaranteed_down_mbps": g_rate * 0.95,
                    "maximum_down_mbps": g_rate * 3,
                    "guaranteed_up_mbps": g_rate * 0.95 / 2,
                    "maximum_up_mbps": g_rate * 1.5,
                },
            }
            for g in range(groups)
        ],
        "agencies": agencies,
    }
    return Inventory.model_validate(doc), demand


def median_s(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        # CPU time of this process: the machine is shared, wall time measures the neighbours
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def run(n: int, repeat: int) -> dict[str, float]:
    inv, demand = synthetic(n)
    plan = build_plan(inv, AT)
    rows = [
        (a.parent, a.priority, a.guaranteed_down_mbps, a.maximum_down_mbps, demand["down"][a.code])
        for a in plan.agencies
    ]

    def do_plan() -> None:
        p = build_plan(inv, AT)
        validate_plan(p)

    def do_shares() -> None:
        fair_shares(plan, "down", demand["down"])
        fair_shares(plan, "up", demand["up"])

    def do_render() -> None:
        entries = plan_entries(plan)
        mikrotik.render_full(
            ShaperTarget("r", Platform.MIKROTIK_ROUTEROS, "e2", "e1", tuple(entries))
        )
        cisco.render_full(
            ShaperTarget("c", Platform.CISCO_IOS, "Gi1", "Gi2", tuple(flat_agency_entries(entries)))
        )
        linux_tc.render_full(ShaperTarget("l", Platform.LINUX, "eth1", "eth0", tuple(entries)))

    def do_render_tree() -> None:
        # MikroTik queue tree + mangle (shapers[].mode: tree): 2 queues and 4 rules per agency
        entries = tuple(tree_mode_entries(plan_entries(plan)))
        mikrotik_tree.render_full(
            ShaperTarget("t", Platform.MIKROTIK_ROUTEROS, "e2", "e1", entries, ShaperMode.TREE)
        )

    # the sort takes milliseconds: more runs keep its median steady at the timer's resolution
    out = {"n": n, "baseline_sort_s": median_s(lambda: sorted(rows), max(repeat, 31))}
    steps = (
        ("plan", do_plan),
        ("shares", do_shares),
        ("render", do_render),
        ("render_tree", do_render_tree),
    )
    for name, fn in steps:
        out[f"{name}_s"] = median_s(fn, repeat)
        out[f"{name}_ratio"] = out[f"{name}_s"] / out["baseline_sort_s"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,2500,5000,10000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    results = [run(int(s), args.repeat) for s in args.sizes.split(",")]
    print(
        f"{'n':>6} {'sort ms':>9} {'plan ms':>9} {'x':>6} {'shares ms':>10} {'x':>6} "
        f"{'render ms':>10} {'x':>6} {'tree ms':>9} {'x':>6}"
    )
    for r in results:
        print(
            f"{r['n']:>6} {r['baseline_sort_s'] * 1e3:>9.2f} {r['plan_s'] * 1e3:>9.1f} "
            f"{r['plan_ratio']:>6.0f} {r['shares_s'] * 1e3:>10.1f} {r['shares_ratio']:>6.0f} "
            f"{r['render_s'] * 1e3:>10.1f} {r['render_ratio']:>6.0f} "
            f"{r['render_tree_s'] * 1e3:>9.1f} {r['render_tree_ratio']:>6.0f}"
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
