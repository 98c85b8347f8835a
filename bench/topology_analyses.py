"""Benchmark: topology analyses on synthetic intranets against bare networkx in the same run.

For each size (default 1k, 10k, 100k devices: trees + rings + wireless spurs) it reports medians
of repeated runs and the ratios the issue asks for:

* all agency paths (route, bottleneck, widest path, media) / one networkx single-source Dijkstra
  (target <= 1.2x);
* weak points (bridges, articulation points, per-failure agencies and Mbps, redundancy) / networkx
  ``bridges`` + ``articulation_points`` (target <= 2x);
* impact of every single link and device failure / one networkx ``bridges`` call (target <= 3x);
  the same pass *is* the weak-point pass, so this is the same timing on another baseline;
* at 2k devices: the naive remove-and-recompute loop / the fast pass (target >= 100x), with the
  results compared agency by agency.

Run: ``python3 bench/topology_analyses.py [--sizes 1000,10000,100000] [--repeat 5]``; writes
``bench/results/topology_analyses.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from topology.bruteforce import single_failure_cutoffs
from topology.model import ROOT
from topology.network import compile_network
from topology.paths import agency_paths
from topology.synth import synthetic_intranet
from topology.weak import weak_points


def median_s(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_size(n: int, repeat: int, seed: int) -> dict[str, float]:
    model = synthetic_intranet(n, seed=seed)
    t_compile = median_s(lambda: compile_network(model), max(1, repeat // 2))
    net = compile_network(model)
    g = net.to_networkx()
    t_dij = median_s(lambda: nx.single_source_dijkstra(g, ROOT, weight="length_km"), repeat)
    t_paths = median_s(lambda: agency_paths(net), repeat)
    t_bridges = median_s(lambda: list(nx.bridges(g)), repeat)
    t_ap = median_s(lambda: list(nx.articulation_points(g)), repeat)
    t_weak = median_s(lambda: weak_points(net), repeat)
    return {
        "devices": net.n_nodes - 1,
        "links": int(net.multiplicity.sum()),
        "agencies": len(net.agency_codes),
        "compile_s": t_compile,
        "dijkstra_s": t_dij,
        "paths_s": t_paths,
        "paths_ratio": t_paths / t_dij,
        "paths_with_compile_ratio": (t_paths + t_compile) / t_dij,
        "bridges_s": t_bridges,
        "bridges_ap_s": t_bridges + t_ap,
        "weak_s": t_weak,
        "weak_ratio": t_weak / (t_bridges + t_ap),
        "impacts_ratio": t_weak / t_bridges,
    }


def bench_naive(n: int, seed: int) -> dict[str, float]:
    net = compile_network(synthetic_intranet(n, seed=seed))
    t = time.perf_counter()
    links, devices = single_failure_cutoffs(net)
    t_naive = time.perf_counter() - t
    t_fast = median_s(lambda: weak_points(net), 5)
    wp = weak_points(net)
    same = {k: set(wp.agencies_cut(v)) for k, v in wp.all_links.items()} == links and {
        k: set(wp.agencies_cut(v)) for k, v in wp.all_devices.items()
    } == devices
    if not same:
        raise SystemExit("fast single-failure impacts differ from remove-and-recompute")
    return {
        "devices": net.n_nodes - 1,
        "failures": len(links) + len(devices),
        "naive_s": t_naive,
        "fast_s": t_fast,
        "speedup": t_naive / t_fast,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--naive-size", type=int, default=2000)
    args = ap.parse_args()
    print(
        f"{'devices':>8} {'links':>7} {'agencies':>8} | {'dijkstra':>9} {'paths':>8} {'ratio':>6}"
        f" {'+compile':>8} | {'br+ap':>8} {'weak':>8} {'ratio':>6} | {'bridges':>8} {'impacts':>7}"
    )
    results: dict[str, Any] = {"sizes": []}
    for n in (int(x) for x in args.sizes.split(",")):
        r = bench_size(n, args.repeat if n < 50_000 else max(3, args.repeat // 2), args.seed)
        print(
            f"{r['devices']:>8} {r['links']:>7} {r['agencies']:>8} | "
            f"{r['dijkstra_s'] * 1e3:>7.1f}ms {r['paths_s'] * 1e3:>6.1f}ms"
            f" {r['paths_ratio']:>5.2f}x"
            f" {r['paths_with_compile_ratio']:>7.2f}x | {r['bridges_ap_s'] * 1e3:>6.1f}ms"
            f" {r['weak_s'] * 1e3:>6.1f}ms {r['weak_ratio']:>5.2f}x |"
            f" {r['bridges_s'] * 1e3:>6.1f}ms {r['impacts_ratio']:>6.2f}x"
        )
        results["sizes"].append(r)
    nv = bench_naive(args.naive_size, args.seed)
    print(
        f"\nevery single failure at {nv['devices']} devices ({nv['failures']} failures): naive "
        f"remove-and-recompute {nv['naive_s']:.2f}s, fast {nv['fast_s'] * 1e3:.1f}ms, "
        f"{nv['speedup']:.0f}x faster, identical results"
    )
    print("targets: paths <= 1.2x, weak <= 2x, impacts <= 3x, speedup >= 100x")
    results["naive"] = nv
    out = Path(__file__).parent / "results" / "topology_analyses.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
