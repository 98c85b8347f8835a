"""Benchmark: fiber planner quality against the exact optimum and networkx, same instances.

Random intranets small enough to solve exactly (a tree plus a few extra links, one uplink, an
agency on most devices, 2 candidate segments per device and a few poles).  For each instance:

* ``planner``: :func:`topology.planner.plan_redundancy` (greedy cover + prune, with networkx's
  pruned answer as a fallback when cheaper);
* ``greedy``: our own search alone (greedy cover, prune, local search), before the networkx
  fallback;
* ``networkx``: ``nx.k_edge_augmentation(G, 2, avail=...)`` on the same candidates, as networkx
  returns it (it makes every device 2-edge-connected, so it is run on instances where every
  device hosts an agency, where both solve the same problem);
* ``exact``: the MILP of :mod:`topology.exact` (HiGHS).

Reports the mean and worst ratio to the optimum (target: mean within 5 %) and how often the
planner is worse than networkx (target: never).

Run: ``python3 bench/topology_planner.py [--instances 100] [--nodes 8-14]``; writes
``bench/results/topology_planner.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from topology.exact import exact_redundancy
from topology.network import compile_network
from topology.planner import plan_redundancy
from topology.synth import E, model_from_edges, random_plan_instance


def _every_device_an_agency(model):  # type: ignore[no-untyped-def]
    edges = [E(u, v, d["length_km"]) for u, v, d in model.graph.edges(data=True)]
    ags = {f"ag-{v}": (v, 10.0) for v in model.graph.nodes if v not in model.uplink_devices}
    return model_from_edges(edges, model.uplink_devices, ags)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--instances", type=int, default=100)
    ap.add_argument("--nodes", default="8-14")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    lo, hi = (int(x) for x in args.nodes.split("-"))
    rows = []
    for i in range(args.instances):
        n = lo + i % (hi - lo + 1)
        model, cands = random_plan_instance(n, 2 * n, args.seed + i, n_points=2)
        if i % 2:
            model = _every_device_an_agency(model)
        net = compile_network(model)
        t = time.perf_counter()
        plan = plan_redundancy(net, cands)
        t_plan = time.perf_counter() - t
        t = time.perf_counter()
        best = exact_redundancy(net, cands)
        t_exact = time.perf_counter() - t
        if best is None:
            continue
        rows.append(
            {
                "all_devices": bool(i % 2),
                "planner": plan.cost_idr,
                "greedy": plan.greedy_cost_idr,
                # networkx's cost counts only where it reaches the same protection
                "networkx": plan.networkx_cost_idr if plan.networkx_protects_all else None,
                "exact": best.cost_idr,
                "t_plan": t_plan,
                "t_exact": t_exact,
            }
        )

    def ratio(key: str, subset: list[dict]) -> list[float]:  # type: ignore[type-arg]
        return [r[key] / r["exact"] if r["exact"] else 1.0 for r in subset if r[key] is not None]

    same_problem = [r for r in rows if r["all_devices"]]
    print(f"{len(rows)} instances, {lo}-{hi} devices, {2 * lo}-{2 * hi} segments + 2 poles each")
    for key in ("planner", "greedy"):
        rs = ratio(key, rows)
        print(
            f"  {key:<8} cost / optimum: mean {statistics.mean(rs):.4f}, worst {max(rs):.4f}, "
            f"optimal in {sum(1 for x in rs if x < 1 + 1e-9)}/{len(rs)}"
        )
    rs = ratio("networkx", same_problem)
    print(
        f"  networkx cost / optimum (every device an agency, {len(same_problem)} instances): "
        f"mean {statistics.mean(rs):.4f}, worst {max(rs):.4f}"
    )
    worse = sum(
        1 for r in rows if r["networkx"] is not None and r["planner"] > r["networkx"] + 1e-6
    )
    greedy_worse = sum(
        1 for r in same_problem if r["networkx"] is not None and r["greedy"] > r["networkx"] + 1e-6
    )
    print(f"  planner worse than networkx: {worse}/{len(rows)} instances")
    print(f"  greedy alone worse than networkx (same problem): {greedy_worse}/{len(same_problem)}")
    print(
        f"  median time: planner {statistics.median(r['t_plan'] for r in rows) * 1e3:.1f} ms, "
        f"exact MILP {statistics.median(r['t_exact'] for r in rows) * 1e3:.1f} ms"
    )
    print("targets: planner mean within 5 % of optimum, never worse than networkx")
    out = Path(__file__).parent / "results" / "topology_planner.json"
    out.parent.mkdir(exist_ok=True)
    summary = {
        "instances": len(rows),
        "planner_mean_ratio": statistics.mean(ratio("planner", rows)),
        "planner_worst_ratio": max(ratio("planner", rows)),
        "greedy_mean_ratio": statistics.mean(ratio("greedy", rows)),
        "networkx_mean_ratio_same_problem": statistics.mean(rs),
        "planner_worse_than_networkx": worse,
        "rows": rows,
    }
    out.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
