"""Collector benchmarks: ratios measured in one run against lab devices on loopback.

    python3 bench/collectors_bench.py all            # every benchmark (several minutes)
    python3 bench/collectors_bench.py throughput --devices 200
    python3 bench/collectors_bench.py jitter --polls 1000
    python3 bench/collectors_bench.py cycle --devices 1000 --interfaces 48
    python3 bench/collectors_bench.py ingest --rows 48000

Results go to ``bench/results/collectors_<name>.json`` and a table is printed.  The lab runs in
child processes (one per shard) so the simulator and the poller each get a core.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
# set before the lab children are spawned, so they inherit the same password
PASSWORD = os.environ.setdefault("NETOPS_LAB_PASSWORD", "bench-" + os.urandom(6).hex())
os.environ["NETOPS_LOOPBACK_ONLY"] = "1"


def synthetic_inventory(n_devices: int, interfaces: int, platform: str = "mikrotik_routeros"):  # type: ignore[no-untyped-def]
    from netops.inventory.schema import Credential, Device, Interface, Inventory, Site

    prefix = {"mikrotik_routeros": "ether", "linux": "eth", "cisco_ios": "GigabitEthernet1/0/"}
    start = 1 if platform != "linux" else 0
    devices = [
        Device(
            hostname=f"bench{i:04d}",
            mgmt_address=f"10.254.{i // 250}.{i % 250 + 1}",
            platform=platform,
            role="access",
            site="dc",
            credentials="lab",
            interfaces=tuple(
                Interface(name=f"{prefix[platform]}{j + start}", speed_mbps=1000)
                for j in range(interfaces)
            ),
        )
        for i in range(n_devices)
    ]
    return Inventory(
        region="Bench",
        credentials=(
            Credential(name="lab", username="netops", password_ref="NETOPS_LAB_PASSWORD"),
        ),
        sites=(Site(name="dc", latitude=-8.1, longitude=115.1),),
        devices=tuple(devices),
    )


def _serve(inv_json: str, shard: tuple[int, int], out: str, jitter_s: float) -> None:
    from lab.api import start_lab
    from netops.endpoints import save_endpoints
    from netops.inventory.schema import Inventory

    inv = Inventory.model_validate_json(inv_json)
    lab = start_lab(inv, shard=shard)
    if jitter_s:
        for name in lab.endpoints:
            lab.fault(name, "slow", delay_s=0.0, jitter_s=jitter_s)
    save_endpoints(Path(out), lab.endpoints)
    try:
        while True:
            time.sleep(3600)
    finally:
        lab.stop()


class LabProcesses:
    """The lab in ``shards`` child processes; ``endpoints`` merges their connection maps."""

    def __init__(self, inv: Any, shards: int = 1, jitter_s: float = 0.0) -> None:
        self.tmp = tempfile.mkdtemp(prefix="netops-bench-")
        ctx = mp.get_context("spawn")
        self.procs = []
        self.maps = []
        for i in range(shards):
            out = os.path.join(self.tmp, f"map{i}.json")
            p = ctx.Process(target=_serve, args=(inv.model_dump_json(), (i, shards), out, jitter_s))
            p.start()
            self.procs.append(p)
            self.maps.append(out)
        from netops.endpoints import load_endpoints

        deadline = time.time() + 300
        while not all(os.path.exists(m) for m in self.maps):
            if time.time() > deadline or not all(p.is_alive() for p in self.procs):
                self.stop()
                raise RuntimeError("lab did not start")
            time.sleep(0.2)
        self.endpoints: dict[str, Any] = {}
        for m in self.maps:
            self.endpoints.update(load_endpoints(Path(m)))

    def stop(self) -> None:
        for p in self.procs:
            p.terminate()
            p.join(10)


def _settings(tmp: str, workers: int = 32) -> Any:
    from netops.settings import Settings

    return Settings(
        data_dir=Path(tmp), loopback_only=True, device_timeout_s=20, poll_workers=workers
    )


def _engine(tmp: str) -> Any:
    from netops.storage.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp}/bench.db")
    upgrade(engine)
    return engine


def save(name: str, result: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"collectors_{name}.json").write_text(json.dumps(result, indent=1))
    width = max(len(k) for k in result)
    print(f"\n== {name}")
    for k, v in result.items():
        print(
            f"  {k.ljust(width)}  {v:.3f}" if isinstance(v, float) else f"  {k.ljust(width)}  {v}"
        )


def bench_throughput(devices: int, cycles: int, sequential_sample: int) -> dict[str, Any]:
    """Engine (threads, sessions reused) vs a sequential netmiko loop doing the same counters
    work (connect, the stats command, disconnect per device), devices polled per second."""
    from netmiko import ConnectHandler

    from collectors.engine import Poller
    from collectors.parsers import routeros
    from netops.secrets import SecretStore

    inv = synthetic_inventory(devices, 4)
    lab = LabProcesses(inv, shards=1)
    tmp = tempfile.mkdtemp()
    try:
        seq_times = []
        for d in inv.devices[:sequential_sample]:
            ep = lab.endpoints[d.hostname]
            t0 = time.perf_counter()
            with ConnectHandler(
                device_type="mikrotik_routeros",
                host=ep.host,
                port=ep.port,
                username="netops",
                password=PASSWORD,
            ) as c:
                routeros.parse_counters_detail(d.hostname, c.send_command(routeros.CMD_COUNTERS))
            seq_times.append(time.perf_counter() - t0)
        seq_rate = 1 / statistics.median(seq_times)
        poller = Poller(
            inv, _settings(tmp), SecretStore.from_env(), lab.endpoints, engine=_engine(tmp)
        )
        cycle_s = []
        failed = 0
        for _ in range(cycles):
            rep = poller.poll(["counters"])
            cycle_s.append(rep.duration_s)
            failed += len(rep.failed)
        poller.close()
        steady = statistics.median(cycle_s[1:]) if len(cycle_s) > 1 else cycle_s[0]
        return {
            "devices": devices,
            "sequential_median_s_per_device": statistics.median(seq_times),
            "sequential_devices_per_s": seq_rate,
            "engine_first_cycle_s": cycle_s[0],
            "engine_median_cycle_s": steady,
            "engine_devices_per_s": devices / steady,
            "ratio_engine_vs_sequential": (devices / steady) / seq_rate,
            "ratio_first_cycle_vs_sequential": (devices / cycle_s[0]) / seq_rate,
            "failed_polls": failed,
        }
    finally:
        lab.stop()


def bench_jitter(polls: int, devices: int) -> dict[str, Any]:
    """``polls`` device-polls with 0-200 ms jitter injected on every command: count outputs
    that were truncated or empty yet returned as data (must be 0)."""
    from collectors.engine import Poller
    from netops.secrets import SecretStore

    inv = synthetic_inventory(devices, 8)
    lab = LabProcesses(inv, shards=1, jitter_s=0.2)
    tmp = tempfile.mkdtemp()
    expected = {d.hostname: {i.name for i in d.interfaces} for d in inv.devices}
    try:
        poller = Poller(
            inv, _settings(tmp), SecretStore.from_env(), lab.endpoints, engine=_engine(tmp)
        )
        done = bad = failed = retried = 0
        while done < polls:
            rep = poller.poll(["counters"])
            for r in rep.results:
                done += 1
                if not r.ok:
                    failed += 1
                    continue
                retried += r.attempts > 1
                names = {c.name for c in r.data["counters"]}
                if names != expected[r.device] or any(c.octets_in <= 0 for c in r.data["counters"]):
                    bad += 1
        poller.close()
        return {
            "polls": done,
            "jitter_ms": "0-200",
            "truncated_or_empty_returned": bad,
            "failed_polls": failed,
            "polls_needing_retry": retried,
        }
    finally:
        lab.stop()


def bench_cycle(devices: int, interfaces: int, shards: int) -> dict[str, Any]:
    """A counters cycle over ``devices`` x ``interfaces``, stored; peak memory of the poller."""
    from collectors.engine import Poller
    from netops.secrets import SecretStore

    inv = synthetic_inventory(devices, interfaces)
    lab = LabProcesses(inv, shards=shards)
    tmp = tempfile.mkdtemp()
    try:
        # peak RSS (ru_maxrss) rather than tracemalloc: tracing every allocation of 48 threads
        # slowed the poller several-fold and measured the tracer more than the poller
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        engine = _engine(tmp)
        poller = Poller(
            inv, _settings(tmp, 48), SecretStore.from_env(), lab.endpoints, engine=engine
        )
        cycles = []
        for i in range(3):
            t0 = time.perf_counter()
            rep = poller.poll(["counters"])
            cycles.append((time.perf_counter() - t0, len(rep.failed)))
            print(f"cycle {i}: {cycles[-1][0]:.1f} s, {cycles[-1][1]} failed", flush=True)
        poller.close()
        from sqlalchemy import text

        with engine.connect() as c:
            stored = c.execute(text("select count(*) from interface_samples")).scalar()
        return {
            "devices": devices,
            "interfaces_per_device": interfaces,
            "first_cycle_s_incl_connect": cycles[0][0],
            "steady_cycle_s_median": statistics.median(c[0] for c in cycles[1:]),
            "failed_polls": sum(c[1] for c in cycles),
            "samples_stored": stored,
            "poller_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_before_polling_mb": rss_before,
        }
    finally:
        lab.stop()


def bench_ingest(rows: int, orm_rows: int) -> dict[str, Any]:
    """Sample ingestion: write_batch (Core insert, one transaction) vs raw sqlite3 executemany
    of the same rows, and vs one ORM object + commit per row (rows/s)."""
    from sqlalchemy.orm import Session

    from netops.storage.telemetry import InterfaceSample
    from netops.telemetry.store import Batch, write_batch

    def make(n: int, t: float) -> list[dict[str, Any]]:
        return [
            {
                "device": f"bench{i // 48:04d}",
                "interface": f"ether{i % 48}",
                "at_s": t,
                "octets_in": i * 1000,
                "octets_out": i * 500,
                "packets_in": i,
                "packets_out": i,
                "errors_in": 0,
                "errors_out": 0,
                "counter_bits": 64,
                "speed_mbps": 1000.0,
                "in_bps": 1e6,
                "out_bps": 5e5,
                "status": "ok",
            }
            for i in range(n)
        ]

    out: dict[str, Any] = {"rows": rows}
    core, raw = [], []
    for rep in range(3):
        tmp = tempfile.mkdtemp()
        engine = _engine(tmp)
        data = make(rows, 1e9 + rep)
        t0 = time.perf_counter()
        write_batch(engine, Batch(samples=data))
        core.append(rows / (time.perf_counter() - t0))
        engine.dispose()
        tmp2 = tempfile.mkdtemp()
        _engine(tmp2).dispose()  # same schema, empty table: the same work as the Core insert
        con = sqlite3.connect(f"{tmp2}/bench.db")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        cols = list(data[0])
        sql = (
            f"INSERT INTO interface_samples ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)})"
        )
        tuples = [tuple(r[c] for c in cols) for r in make(rows, 2e9 + rep)]
        t0 = time.perf_counter()
        with con:
            con.executemany(sql, tuples)
        raw.append(rows / (time.perf_counter() - t0))
        con.close()
    tmp = tempfile.mkdtemp()
    engine = _engine(tmp)
    t0 = time.perf_counter()
    with Session(engine) as s:
        for r in make(orm_rows, 3e9):
            s.add(InterfaceSample(**r))
            s.commit()
    orm = orm_rows / (time.perf_counter() - t0)
    out.update(
        {
            "core_insert_rows_per_s": statistics.median(core),
            "raw_sqlite3_executemany_rows_per_s": statistics.median(raw),
            "orm_per_row_commit_rows_per_s": orm,
            "ratio_core_vs_raw_executemany": statistics.median(core) / statistics.median(raw),
            "ratio_core_vs_orm_per_row": statistics.median(core) / orm,
        }
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("which", choices=["throughput", "jitter", "cycle", "ingest", "all"])
    ap.add_argument("--devices", type=int)
    ap.add_argument("--interfaces", type=int, default=48)
    ap.add_argument("--polls", type=int, default=1000)
    ap.add_argument("--rows", type=int, default=48_000)
    ap.add_argument("--shards", type=int, default=2)
    a = ap.parse_args()
    if a.which in ("ingest", "all"):
        save("ingest", bench_ingest(a.rows, 2_000))
    if a.which in ("throughput", "all"):
        save("throughput", bench_throughput(a.devices or 200, 4, 30))
    if a.which in ("jitter", "all"):
        save("jitter", bench_jitter(a.polls, 50))
    if a.which in ("cycle", "all"):
        save("cycle", bench_cycle(a.devices or 1000, a.interfaces, a.shards))


if __name__ == "__main__":
    main()
