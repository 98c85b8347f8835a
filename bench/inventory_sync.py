"""Benchmark: inventory validation and sync on synthetic regencies, against a baseline in the run.

For each size (number of agencies; one site and one access device with two interfaces per agency,
one link per device to a distribution switch, a /24 per agency) it reports medians of repeated runs:

* ``parse``: plain ``yaml.safe_load`` of the text, the baseline every ratio is against;
* ``parse_c``: ``yaml.load`` with libyaml's ``CSafeLoader`` (what the loader builds on);
* ``load``: ``load_inventory_text`` (line-aware parse + pydantic schema + cross-checks);
* ``checks``: the cross-checks alone, on the validated inventory;
* ``sync_first``: ``sync_inventory`` into an empty, migrated SQLite file, committed;
* ``sync_noop``: the same inventory again (reads everything, writes nothing);
* ``sync_one``: the inventory with one agency's quota changed.

Run: ``python3 bench/inventory_sync.py [--sizes 100,1000] [--repeat 5] [--load-only]``; writes
``bench/results/inventory_sync.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from netops.inventory import load_inventory_text
from netops.inventory.checks import cross_check
from netops.inventory.schema import Inventory
from netops.storage.db import make_engine, session_factory, upgrade
from netops.storage.sync import sync_inventory

T = TypeVar("T")


def synthetic_inventory(agencies: int) -> str:
    """YAML text of a valid inventory with ``agencies`` agencies (and as many sites/devices)."""
    groups = max(1, agencies // 50)
    doc: dict[str, Any] = {
        "version": 1,
        "region": "Kabupaten Bench",
        "credentials": [{"name": "lab", "username": "netops", "password_ref": "NETOPS_LAB_PW"}],
        "uplinks": [
            {
                "name": "isp-a",
                "provider": "ISP A",
                "down_mbps": 100_000,
                "up_mbps": 100_000,
                "device": "core1",
                "interface": "wan",
            }
        ],
        "groups": [
            {
                "name": f"g{g}",
                "quota": {
                    "guaranteed_down_mbps": 1000,
                    "maximum_down_mbps": 2000,
                    "guaranteed_up_mbps": 500,
                    "maximum_up_mbps": 1000,
                },
            }
            for g in range(groups)
        ],
        "agencies": [],
        "sites": [{"name": "dc", "latitude": -8.1, "longitude": 115.1}],
        "devices": [
            {
                "hostname": "core1",
                "mgmt_address": "10.255.0.1",
                "platform": "mikrotik_routeros",
                "role": "core",
                "site": "dc",
                "credentials": "lab",
                "interfaces": [{"name": "wan"}] + [{"name": f"p{i}"} for i in range(agencies)],
            }
        ],
        "links": [],
        "shapers": [{"device": "core1", "lan_interface": "p0", "wan_interface": "wan"}],
    }
    for i in range(agencies):
        code = f"a{i}"
        doc["agencies"].append(
            {
                "code": code,
                "name": f"Dinas {i}",
                "kind": "dinas",
                "group": f"g{i % groups}",
                "subnets": [f"10.{i // 256}.{i % 256}.0/24"],
                "quota": {
                    "guaranteed_down_mbps": 10,
                    "maximum_down_mbps": 100,
                    "guaranteed_up_mbps": 5,
                    "maximum_up_mbps": 50,
                },
            }
        )
        doc["sites"].append(
            {"name": f"s{i}", "agency": code, "latitude": -8 - i / 1e4, "longitude": 115 + i / 1e4}
        )
        doc["devices"].append(
            {
                "hostname": f"d{i}",
                "mgmt_address": f"10.254.{i // 256}.{i % 256}",
                "platform": "cisco_ios",
                "role": "access",
                "site": f"s{i}",
                "credentials": "lab",
                "interfaces": [{"name": "up"}, {"name": "lan", "agency": code}],
            }
        )
        doc["links"].append(
            {
                "a": {"device": "core1", "interface": f"p{i}"},
                "b": {"device": f"d{i}", "interface": "up"},
                "medium": "fiber",
                "length_km": 1.5,
                "capacity_mbps": 1000,
            }
        )
    return yaml.safe_dump(doc, sort_keys=False)


def median_s(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def median_with_setup(fn: Callable[[T], Any], setup: Callable[[], T], repeat: int) -> float:
    """Median of ``fn(setup())`` timing only ``fn``."""
    times = []
    for _ in range(repeat):
        arg = setup()
        t = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _sync(url: str, inv: Inventory) -> int:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s, s.begin():
            report = sync_inventory(s, inv, source="bench", sha256="0" * 64, applied_by="bench")
        return len(report.added) + len(report.changed) + len(report.retired)
    finally:
        engine.dispose()


def bench_load(n: int, repeat: int) -> dict[str, float]:
    """Parse and load only (the 5,000-device figure of the loader-speed target)."""
    text = synthetic_inventory(n)
    t_parse = median_s(lambda: yaml.safe_load(text), repeat)
    t_parse_c = median_s(lambda: yaml.load(text, Loader=yaml.CSafeLoader), repeat)
    t_load = median_s(lambda: load_inventory_text(text, "bench.yaml"), repeat)
    return {
        "agencies": n,
        "parse_s": t_parse,
        "parse_c_s": t_parse_c,
        "load_s": t_load,
        "load_x_parse": t_load / t_parse,
        "load_x_parse_c": t_load / t_parse_c,
    }


def bench_size(n: int, repeat: int, workdir: Path) -> dict[str, float]:
    text = synthetic_inventory(n)
    changed_text = text.replace("guaranteed_down_mbps: 10\n", "guaranteed_down_mbps: 11\n", 1)
    t_parse = median_s(lambda: yaml.safe_load(text), repeat)
    t_load = median_s(lambda: load_inventory_text(text, "bench.yaml"), repeat)
    loaded = load_inventory_text(text, "bench.yaml")
    inv = loaded.inventory
    changed = load_inventory_text(changed_text, "bench.yaml").inventory
    t_checks = median_s(lambda: cross_check(inv, "bench.yaml", loaded.lines), repeat)

    counter = iter(range(10**6))

    def fresh_db() -> str:
        url = f"sqlite:///{workdir / f'n{n}-{next(counter)}.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        return url

    t_first = median_with_setup(lambda url: _sync(url, inv), fresh_db, repeat)
    url = fresh_db()
    rows = _sync(url, inv)
    t_noop = median_s(lambda: _sync(url, inv), repeat)
    assert _sync(url, inv) == 0

    def reset_then(url: str) -> None:
        _sync(url, changed)

    def prepared() -> str:
        _sync(url, inv)
        return url

    t_one = median_with_setup(reset_then, prepared, repeat)
    return {
        "agencies": n,
        "rows": rows,
        "parse_s": t_parse,
        "load_s": t_load,
        "checks_s": t_checks,
        "sync_first_s": t_first,
        "sync_noop_s": t_noop,
        "sync_one_s": t_one,
        "load_x_parse": t_load / t_parse,
        "checks_x_parse": t_checks / t_parse,
        "sync_first_x_parse": t_first / t_parse,
        "sync_noop_x_parse": t_noop / t_parse,
        "sync_one_x_parse": t_one / t_parse,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="agency counts, comma separated")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--load-only", action="store_true", help="parse and load, no sync")
    args = parser.parse_args()
    if args.load_only:
        print(f"{'agencies':>8} {'parse s':>8} {'parse_c s':>9} {'load s':>7} {'load x':>7}")
        for n in (int(s) for s in args.sizes.split(",")):
            r = bench_load(n, args.repeat)
            print(
                f"{n:>8} {r['parse_s']:>8.3f} {r['parse_c_s']:>9.3f} {r['load_s']:>7.3f} "
                f"{r['load_x_parse']:>7.2f}  (x = load / yaml.safe_load)"
            )
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="netops-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            results.append(bench_size(n, args.repeat, Path(tmp)))
    header = (
        f"{'agencies':>8} {'rows':>6} {'parse s':>8} {'load x':>7} {'checks x':>8} "
        f"{'sync1 x':>8} {'noop x':>7} {'one x':>7}  (x = median / parse median)"
    )
    print(header)
    for r in results:
        print(
            f"{r['agencies']:>8} {r['rows']:>6} {r['parse_s']:>8.3f} {r['load_x_parse']:>7.2f} "
            f"{r['checks_x_parse']:>8.3f} {r['sync_first_x_parse']:>8.2f} "
            f"{r['sync_noop_x_parse']:>7.2f} {r['sync_one_x_parse']:>7.2f}"
        )
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "inventory_sync.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
