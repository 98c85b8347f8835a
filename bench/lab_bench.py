"""Device-lab benchmark: how many simulated devices one lab process serves, and how fast.

For each size (default 50, 200 and 500 devices, a synthetic tree of Cisco IOS, MikroTik RouterOS
and Linux devices) a lab is started in its own process (as ``netops lab up`` runs it) and a pool
of netmiko client threads (default 32) connects to every device once, runs one command
(``show version`` / ``/system resource print`` / ``uname -a``), checks the output and disconnects.

Reported per size: devices served, lab start time, connections per second (devices / wall time),
median and p95 connect+command latency, failures, and the median latency as a ratio of the
smallest size's median measured in the same run (the baseline).  Medians over ``--rounds``.

    python3 bench/lab_bench.py                       # 50, 200, 500 devices, 32 threads
    python3 bench/lab_bench.py --sizes 50 --rounds 3 --json results/lab.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

PASSWORD = "bench-lab-password"
COMMANDS = {
    "cisco_ios": ("show version", "uptime is"),
    "mikrotik_routeros": ("/system resource print", "uptime"),
    "linux": ("uname -a", "Linux"),
}


def _serve(n_devices: int, conn: Connection) -> None:
    """Lab process: start, report endpoints and start time, serve until told to stop."""
    from lab.api import start_lab
    from lab.synth import synthetic_inventory
    from netops.secrets import SecretStore

    inventory = synthetic_inventory(n_devices, interfaces_per_device=6)
    t0 = time.perf_counter()
    lab = start_lab(inventory, secrets=SecretStore({"NETOPS_LAB_PASSWORD": PASSWORD}, {}))
    started_s = time.perf_counter() - t0
    platforms = {d.hostname: str(d.platform) for d in inventory.devices}
    conn.send(
        {
            "started_s": started_s,
            "endpoints": {n: (e.host, e.port, platforms[n]) for n, e in lab.endpoints.items()},
        }
    )
    conn.recv()
    lab.stop()


def _one(host: str, port: int, platform: str) -> tuple[float, bool]:
    from netmiko import ConnectHandler

    command, expected = COMMANDS[platform]
    t0 = time.perf_counter()
    try:
        c = ConnectHandler(
            device_type=platform,
            host=host,
            port=port,
            username="netops",
            password=PASSWORD,
            conn_timeout=30,
            auth_timeout=30,
            banner_timeout=30,
        )
        out = c.send_command(command, read_timeout=30)
        c.disconnect()
        ok = expected in out
    except Exception:  # a failed device counts as a failure, the run goes on
        ok = False
    return time.perf_counter() - t0, ok


def run_size(n_devices: int, workers: int) -> dict[str, Any]:
    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=_serve, args=(n_devices, child), daemon=True)
    proc.start()
    try:
        info = parent.recv()
        endpoints = info["endpoints"]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda e: _one(*e), endpoints.values()))
        wall_s = time.perf_counter() - t0
    finally:
        parent.send("stop")
        proc.join(timeout=60)
    latencies = sorted(r[0] for r in results)
    return {
        "devices": len(endpoints),
        "start_s": info["started_s"],
        "wall_s": wall_s,
        "conn_per_s": len(endpoints) / wall_s,
        "median_s": statistics.median(latencies),
        "p95_s": latencies[int(0.95 * (len(latencies) - 1))],
        "failures": sum(1 for r in results if not r[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    os.environ["NETOPS_LOOPBACK_ONLY"] = "1"
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes:
        rounds = [run_size(size, args.workers) for _ in range(args.rounds)]
        row = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]}
        row["failures"] = sum(r["failures"] for r in rounds)
        rows.append(row)
    base = rows[0]["median_s"]
    print(
        f"{'devices':>8} {'start s':>8} {'conn/s':>8} {'median s':>9} {'p95 s':>7} "
        f"{'ratio':>6} {'fail':>5}   (netmiko, {args.workers} threads, medians of {args.rounds})"
    )
    for row in rows:
        row["ratio_to_smallest"] = row["median_s"] / base
        print(
            f"{row['devices']:>8.0f} {row['start_s']:>8.2f} {row['conn_per_s']:>8.1f} "
            f"{row['median_s']:>9.3f} {row['p95_s']:>7.3f} {row['ratio_to_smallest']:>6.2f} "
            f"{row['failures']:>5.0f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"workers": args.workers, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
