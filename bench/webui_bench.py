"""Benchmark: the web UI's dashboard and agency page server time at 2,000 agencies / 10,000
interfaces with 7 days of 5-minute rollups each (about 20 million rows), against the same pages
at 100 interfaces, in the same run.

For each size a SQLite database is filled with bulk Core inserts (``executemany`` of one
compiled ``INSERT`` per table, in chunks): per interface 7 days of 5-minute rollups, 20 minutes
of 1-minute raw samples; per agency its shaper queue's samples; per device its status, facts,
one poll and a configuration backup.  The databases are kept in ``--workdir`` and reused (the
big one takes minutes to build; ``--rebuild`` builds again).  Then, as an engineer through
Flask's test client (the whole request: routing, access check, queries, Jinja):

* ``dashboard``: ``GET /dashboard/`` (cold: the snapshot cache emptied before each request;
  warm: the cache holding the snapshot of the current data, as between two poll cycles);
* ``dashboard.json``: ``GET /dashboard/data.json`` (what the page's auto-refresh fetches), cold;
* ``agency``: ``GET /agencies/<code>`` for an agency in the middle of the list;
* ``dashboard_after_poll``: ``GET /dashboard/`` right after a poll stored newer data, the
  dashboard warmer on (its evaluation untimed, off the request path);
* ``snapshot``: :func:`netops.queries.dashboard.snapshot` alone (no Flask).

Figures are medians of ``--repeat`` wall-clock runs (the work is SQLite and Python in this one
process) and the ratio big/small.  Run: ``python3 bench/webui_bench.py [--big 2000,10000]
[--small 20,100] [--days 7] [--repeat 7] [--workdir /tmp/netops-webui-bench]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.engine import Engine

from netops.inventory.schema import Inventory
from netops.storage.db import make_engine, session_factory, upgrade
from netops.storage.telemetry import (
    ConfigBackup,
    DevicePoll,
    DeviceStateRow,
    FactsSnapshot,
    InterfaceRollup,
    InterfaceSample,
    QueueSample,
)

NOW = datetime(2026, 6, 9, 2, 0, tzinfo=UTC)
NOW_S = NOW.timestamp()
CHUNK = 50_000


def synthetic(agencies: int, interfaces: int) -> Inventory:
    """A valid inventory: one core MikroTik (uplink, shaper, a port per agency and spares) and an
    access router per agency with a LAN port for it, ``interfaces`` ports in all."""
    per_access = max(2, (interfaces - agencies - 1) // agencies)
    core_ports = max(agencies + 1, interfaces - agencies * per_access)
    groups = max(1, agencies // 100)
    doc: dict[str, Any] = {
        "version": 1,
        "region": "Kabupaten Bench",
        "credentials": [{"name": "lab", "username": "netops", "password_ref": "NETOPS_LAB_PW"}],
        "uplinks": [
            {
                "name": "isp-a",
                "provider": "ISP A",
                "down_mbps": 20.0 * agencies,
                "up_mbps": 10.0 * agencies,
                "device": "core1",
                "interface": "p0",
                "cost_idr_per_month": 50_000_000,
            }
        ],
        "groups": [
            {
                "name": f"g{g}",
                "quota": {
                    "guaranteed_down_mbps": 10.0 * agencies / groups,
                    "maximum_down_mbps": 20.0 * agencies / groups,
                    "guaranteed_up_mbps": 5.0 * agencies / groups,
                    "maximum_up_mbps": 10.0 * agencies / groups,
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
                "interfaces": [{"name": f"p{i}", "speed_mbps": 10_000} for i in range(core_ports)],
            }
        ],
        "links": [],
        "shapers": [{"device": "core1", "lan_interface": "p1", "wan_interface": "p0"}],
    }
    for i in range(agencies):
        code = f"a{i:05d}"
        doc["agencies"].append(
            {
                "code": code,
                "name": f"Dinas {i}",
                "kind": "dinas",
                "group": f"g{i % groups}",
                "subnets": [f"10.{i // 256}.{i % 256}.0/24"],
                "quota": {
                    "guaranteed_down_mbps": 5,
                    "maximum_down_mbps": 20,
                    "guaranteed_up_mbps": 2,
                    "maximum_up_mbps": 10,
                },
            }
        )
        doc["sites"].append(
            {"name": f"s{i}", "agency": code, "latitude": -8 - i / 1e4, "longitude": 115 + i / 1e4}
        )
        ports = [{"name": "up"}, {"name": "lan", "agency": code}]
        ports += [{"name": f"spare{k}"} for k in range(per_access - 2)]
        doc["devices"].append(
            {
                "hostname": f"d{i:05d}",
                "mgmt_address": f"10.254.{i // 256}.{i % 256}",
                "platform": "cisco_ios",
                "role": "access",
                "site": f"s{i}",
                "credentials": "lab",
                "interfaces": ports,
            }
        )
        doc["links"].append(
            {
                "a": {"device": "core1", "interface": f"p{i + 1}"},
                "b": {"device": f"d{i:05d}", "interface": "up"},
                "medium": "fiber",
                "length_km": 1.5,
                "capacity_mbps": 1000,
            }
        )
    return Inventory.model_validate(doc)


def _bulk(engine: Engine, model: Any, rows: Any) -> int:
    """Insert an iterable of dicts in chunks through one compiled Core INSERT."""
    table: Table = model.__table__
    n = 0
    chunk: list[dict[str, Any]] = []
    stmt = insert(table)
    with engine.begin() as conn:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                conn.execute(stmt, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            conn.execute(stmt, chunk)
            n += len(chunk)
    return n


def _raw_insert(engine: Engine, model: Any, columns: list[str], rows: Any) -> int:
    """Tuples straight to the driver's executemany (the 20-million-row rollup table)."""
    table: Table = model.__table__
    sql = str(insert(table).compile(dialect=engine.dialect, column_keys=columns))
    n = 0
    with engine.begin() as conn:
        chunk: list[tuple[Any, ...]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                conn.exec_driver_sql(sql, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            conn.exec_driver_sql(sql, chunk)
            n += len(chunk)
    return n


def fill(engine: Engine, inv: Inventory, days: int) -> dict[str, int]:
    """Telemetry for every interface, queue and device of ``inv`` up to :data:`NOW`."""
    ports = [(d.hostname, i.name, i.speed_mbps) for d in inv.devices for i in d.interfaces]
    counts: dict[str, int] = {}
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_interface_rollups_width_start")
    raw = engine.raw_connection()  # a pragma outside the BEGIN netops's SQLite sessions emit
    try:
        raw.driver_connection.execute("PRAGMA synchronous=OFF")  # type: ignore[union-attr]
    finally:
        raw.close()
    start = int(NOW_S - days * 86_400) // 300 * 300
    buckets = range(start, int(NOW_S) - 1200, 300)  # rolled up until 20 minutes ago
    cols = [
        "device", "interface", "width_s", "start_s", "count",
        "in_min_bps", "in_avg_bps", "in_max_bps", "in_p95_bps",
        "out_min_bps", "out_avg_bps", "out_max_bps", "out_p95_bps",
    ]  # fmt: skip

    def rollups() -> Any:
        for k, (dev, name, speed) in enumerate(ports):
            base = speed * 1e6 * (0.05 + (k % 17) / 40)
            for b in buckets:
                v = base * (1 + ((b // 300) % 12) / 24)
                yield (dev, name, 300, b, 5, v * 0.8, v, v * 1.2, v * 1.15,
                       v * 0.4, v / 2, v * 0.6, v * 0.58)  # fmt: skip

    counts["rollups"] = _raw_insert(engine, InterfaceRollup, cols, rollups())
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE INDEX ix_interface_rollups_width_start ON interface_rollups (width_s, start_s)"
        )

    def samples() -> Any:
        for k, (dev, name, speed) in enumerate(ports):
            v = speed * 1e6 * (0.05 + (k % 17) / 40)
            for m in range(20):
                yield {
                    "device": dev, "interface": name, "at_s": NOW_S - (19 - m) * 60,
                    "octets_in": m * 1000, "octets_out": m * 500, "packets_in": m,
                    "packets_out": m, "errors_in": 0, "errors_out": 0, "counter_bits": 64,
                    "speed_mbps": speed, "in_bps": v, "out_bps": v / 2, "status": "ok",
                }  # fmt: skip

    counts["samples"] = _bulk(engine, InterfaceSample, samples())

    def queues() -> Any:
        for i, a in enumerate(inv.agencies):
            for m in range(20):
                yield {
                    "device": "core1", "queue_name": f"nx-a-{a.code}",
                    "target": str(a.subnets[0]), "parent": "", "at_s": NOW_S - (19 - m) * 60,
                    "limit_at_up_bps": 2_000_000, "max_limit_up_bps": 10_000_000,
                    "limit_at_down_bps": 5_000_000, "max_limit_down_bps": 20_000_000,
                    "bytes_up": m * 1000, "bytes_down": m * 4000,
                    "rate_up_bps": 1e6 + i % 7 * 1e6, "rate_down_bps": 4e6 + i % 13 * 1e6,
                    "disabled": False,
                }  # fmt: skip

    counts["queue_samples"] = _bulk(engine, QueueSample, queues())
    hosts = [d.hostname for d in inv.devices]
    counts["device_state"] = _bulk(
        engine,
        DeviceStateRow,
        (
            {
                "device": h,
                "reachable": k % 97 != 5,
                "last_poll_s": NOW_S - 30,
                "last_ok_s": NOW_S - 30 if k % 97 != 5 else NOW_S - 3600,
                "last_error_s": None if k % 97 != 5 else NOW_S - 30,
                "last_error_kind": None if k % 97 != 5 else "DeviceUnreachable",
                "last_error": None if k % 97 != 5 else "connection refused",
                "last_duration_s": 0.4,
                "consecutive_failures": 0 if k % 97 != 5 else 60,
            }  # fmt: skip
            for k, h in enumerate(hosts)
        ),
    )
    _bulk(
        engine,
        DevicePoll,
        (
            {
                "device": h,
                "what": "counters",
                "started_s": NOW_S - 30,
                "duration_s": 0.4,
                "ok": True,
                "reachable": True,
                "error_kind": None,
                "error": None,
            }  # fmt: skip
            for h in hosts
        ),
    )
    _bulk(
        engine,
        FactsSnapshot,
        (
            {
                "device": h,
                "at_s": NOW_S - 600,
                "hostname": h,
                "vendor": "Cisco",
                "model": "ISR",
                "os_version": "15.2",
                "serial_number": f"SN{k}",
                "uptime_s": 86_400.0,
            }  # fmt: skip
            for k, h in enumerate(hosts)
        ),
    )
    _bulk(
        engine,
        ConfigBackup,
        (
            {
                "device": h,
                "version": 1,
                "taken_s": NOW_S - 2 * 86_400,
                "sha256": "0" * 64,
                "config": f"hostname {h}\n",
                "diff": "",
            }  # fmt: skip
            for h in hosts
        ),
    )
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return counts


def database(workdir: Path, agencies: int, interfaces: int, days: int, rebuild: bool) -> str:
    path = workdir / f"webui-{agencies}-{interfaces}-{days}d.db"
    done = path.with_suffix(".done")
    if rebuild or not done.exists():
        for p in (path, done):
            p.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        t0 = time.perf_counter()
        counts = fill(engine, synthetic(agencies, interfaces), days)
        engine.dispose()
        took = time.perf_counter() - t0
        done.write_text(json.dumps({**counts, "build_s": round(took, 1)}))
        print(f"built {path.name}: {counts} in {took:.0f} s", file=sys.stderr)
    return f"sqlite:///{path}"


def median_s(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up: imports, template compilation, SQLite page cache
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(url: str, inv: Inventory, repeat: int, workdir: Path) -> dict[str, float]:
    """Median seconds of each measured operation for one database."""
    from netops.queries.dashboard import snapshot

    engine = make_engine(url)
    sessions = session_factory(engine)
    out: dict[str, float] = {}

    def snap() -> None:
        with sessions() as s:
            snapshot(s, inv, NOW)

    out["snapshot"] = median_s(snap, repeat)
    out.update(measure_pages(url, inv, repeat, workdir))
    engine.dispose()
    return out


def _prepare_app(url: str, inv: Inventory, workdir: Path) -> Any:
    """The web UI on the bench database: the inventory synced into it (agency pages read it
    from SQL) and written as YAML (the app reads the file), an engineer user, the clock fixed
    at :data:`NOW` (the data's time)."""
    import yaml

    import webui.agencies.views
    import webui.dashboard.data
    from netops.auth.store import add_user, get_user
    from netops.storage.sync import sync_inventory
    from webui import create_app

    path = workdir / f"inventory-{len(inv.agencies)}.yaml"
    if not path.exists():
        path.write_text(yaml.safe_dump(inv.model_dump(mode="json", exclude_defaults=True)))
    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as s:
        seeded = get_user(s, "bench-eng") is not None
    if not seeded:
        with session_factory(engine)() as s:  # the sync's writer lock begins the transaction
            sync_inventory(s, inv, source=str(path), sha256="0" * 64)
            add_user(s, "bench-eng", "engineer", "bench-password-123")
            s.commit()
    engine.dispose()
    webui.dashboard.data.now = lambda: NOW  # type: ignore[assignment]
    webui.agencies.views._now = lambda: NOW  # type: ignore[assignment]
    app = create_app(
        {
            "SECRET_KEY": "bench-secret-key-0123456789",
            "DATABASE_URL": url,
            "INVENTORY": str(path),
            "RATELIMIT_ENABLED": False,
        }  # fmt: skip
    )
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = html.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    resp = client.post(
        "/login",
        data={"username": "bench-eng", "password": "bench-password-123", "csrf_token": token},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return app, client


def _after_poll(app: Any, client: Any, inv: Inventory, repeat: int) -> float:
    """Median seconds of ``GET /dashboard/`` right after a poll stored newer data, with the
    dashboard warmer on (as ``netops web`` and the demo run it): before each timed request,
    untimed, one warmer tick evaluates the current data and then a poll is stored; the page
    view comes before the warmer's next tick, as the first view after each poll does."""
    from sqlalchemy import func, select, update

    from netops.storage.telemetry import DeviceStateRow
    from webui.dashboard.data import snapshot_cache

    app.extensions["netops_dashboard_stale_s"] = 15.0  # 3 x the default 5 s warm interval
    engine = app.extensions["netops"].engine
    sessions = session_factory(engine)
    times = []
    for i in range(repeat + 1):
        with app.app_context(), sessions() as s:  # the warmer's tick
            snapshot_cache().get(s, app.extensions["netops"].inventory(), NOW)
        with engine.begin() as conn:  # the poller stores a cycle
            newest = conn.execute(select(func.max(DeviceStateRow.last_poll_s))).scalar() or 0.0
            conn.execute(update(DeviceStateRow).values(last_poll_s=float(newest) + 60.0))
        t0 = time.perf_counter()
        resp = client.get("/dashboard/")
        elapsed = time.perf_counter() - t0
        assert resp.status_code == 200
        if i:  # the first is the warm-up
            times.append(elapsed)
    app.extensions.pop("netops_dashboard_stale_s")
    return statistics.median(times)


def measure_pages(url: str, inv: Inventory, repeat: int, workdir: Path) -> dict[str, float]:
    """Server time of the pages through the app's test client (the whole request)."""
    app, client = _prepare_app(url, inv, workdir)
    code = inv.agencies[len(inv.agencies) // 2].code

    def get(path: str) -> Callable[[], None]:
        def run() -> None:
            resp = client.get(path)
            assert resp.status_code == 200, (path, resp.status_code)

        return run

    def cold(path: str) -> Callable[[], None]:
        def run() -> None:
            app.extensions.pop("netops_dashboard", None)
            get(path)()

        return run

    out = {
        "dashboard_cold": median_s(cold("/dashboard/"), repeat),
        "dashboard_warm": median_s(get("/dashboard/"), repeat),
        "dashboard_json_cold": median_s(cold("/dashboard/data.json"), repeat),
        "agency": median_s(get(f"/agencies/{code}"), repeat),
        "dashboard_after_poll": _after_poll(app, client, inv, repeat),
    }
    app.extensions["netops"].engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--big", default="2000,10000", help="agencies,interfaces")
    ap.add_argument("--small", default="20,100", help="agencies,interfaces")
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/netops-webui-bench"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the figures as JSON")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for label, spec in (("small", args.small), ("big", args.big)):
        agencies, interfaces = (int(x) for x in spec.split(","))
        inv = synthetic(agencies, interfaces)
        n_if = sum(len(d.interfaces) for d in inv.devices)
        url = database(args.workdir, agencies, interfaces, args.days, args.rebuild)
        with make_engine(url).connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM interface_rollups")).scalar()
        sizes[label] = {
            "agencies": agencies,
            "interfaces": n_if,
            "rollup_rows": rows,
            **measure(url, inv, args.repeat, args.workdir),
        }
    result: dict[str, Any] = {"sizes": sizes, "ratio_big_over_small": {}}
    for key in sizes["small"]:
        if key in ("agencies", "interfaces", "rollup_rows"):
            continue
        small, big = sizes["small"][key], sizes["big"][key]
        result["ratio_big_over_small"][key] = round(big / small, 2) if small else None
    for label, row in sizes.items():
        figures = ", ".join(
            f"{k} {v * 1000:.1f} ms"
            for k, v in row.items()
            if k not in ("agencies", "interfaces", "rollup_rows")
        )
        print(
            f"{label}: {row['agencies']} agencies, {row['interfaces']} interfaces, "
            f"{row['rollup_rows']:,} rollup rows: {figures}"
        )
    print("big / small:", json.dumps(result["ratio_big_over_small"]))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
