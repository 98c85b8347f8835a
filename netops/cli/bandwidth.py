"""``netops bandwidth``: plan, shares, usage, diff, apply, drift, boost.

Text tables by default, ``--json`` for machines.  ``apply`` is a dry run unless ``--no-dry-run``.
Exit codes: 0 ok; 1 problems found (invalid plan, drift, failed push); 2 usage error.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netops.settings import get_settings

if TYPE_CHECKING:
    from netops.bandwidth.measured import AgencySeries
    from netops.bandwidth.plan import BandwidthPlan, Direction
    from netops.bandwidth.service import BandwidthContext
    from netops.inventory.loader import LoadedInventory

INVENTORY_OPT = click.option(
    "--inventory",
    "-i",
    type=click.Path(path_type=Path),
    default=None,
    help="inventory.yaml (default: NETOPS_INVENTORY).",
)
JSON_OPT = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
AT_OPT = click.option(
    "--at",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"]),
    default=None,
    help="Evaluate the plan at this moment (boosts), e.g. 2026-06-03T09:00:00+0800.",
)


def _load(path: Path | None) -> LoadedInventory:
    from netops.inventory.loader import load_inventory

    p = path if path is not None else get_settings().inventory
    if not p.is_file():
        raise click.UsageError(f"inventory file not found: {p}")
    return load_inventory(p)


def _when(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _context(loaded: LoadedInventory, with_db: bool = True) -> BandwidthContext:
    from netops.bandwidth.service import BandwidthContext
    from netops.secrets import SecretStore

    # The lab map and database belong to the inventory's data directory, not the shell's.
    settings = get_settings(inventory=Path(loaded.source))
    engine = None
    if with_db:
        from netops.storage.db import open_database

        engine = open_database(settings)
    return BandwidthContext(
        loaded.inventory, settings, SecretStore.from_env(settings.secrets_file), engine=engine
    )


def _emit(data: Any) -> None:
    click.echo(json.dumps(data, indent=1, default=str))


def _m(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


@click.group()
def bandwidth() -> None:
    """Agency quotas: plan, shares, usage, diff, apply, drift, boost."""


@bandwidth.command()
@INVENTORY_OPT
@AT_OPT
@JSON_OPT
def plan(inventory: Path | None, at: datetime | None, as_json: bool) -> None:
    """The uplink -> group -> agency tree with its numbers and validation problems."""
    from netops.bandwidth.entries import shaper_problems
    from netops.bandwidth.plan import build_plan, locate, validate_plan
    from netops.bandwidth.report import plan_lines

    loaded = _load(inventory)
    p = build_plan(loaded.inventory, _when(at))
    found = validate_plan(p, loaded.source) + shaper_problems(loaded.inventory, loaded.source)
    problems = locate(found, loaded.lines, loaded.source)
    if as_json:
        _emit({"nodes": [_node(n) for n in p.nodes()], "problems": [str(x) for x in problems]})
    else:
        click.echo("\n".join(plan_lines(p)))
        for x in problems:
            click.echo(str(x), err=True)
    if any(x.severity == "error" for x in problems):
        sys.exit(1)


def _node(n: Any) -> dict[str, Any]:
    d = asdict(n)
    d["subnets"] = [str(s) for s in n.subnets]
    d.pop("path", None)
    return d


@bandwidth.command()
@INVENTORY_OPT
@AT_OPT
@click.option(
    "--demand",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="JSON or YAML mapping agency code -> {down: Mbps, up: Mbps} (or a number).",
)
@click.option("--from-db", is_flag=True, help="Use the latest measured queue rates.")
@JSON_OPT
def shares(
    inventory: Path | None, at: datetime | None, demand: Path | None, from_db: bool, as_json: bool
) -> None:
    """Promised / getting now / would get at full contention, per agency."""
    from netops.bandwidth.measured import read_demand_file
    from netops.bandwidth.plan import DIRECTIONS
    from netops.bandwidth.report import shares_lines
    from netops.bandwidth.shares import fair_shares

    loaded = _load(inventory)
    when = _when(at)
    ctx = _context(loaded, with_db=from_db)
    p = ctx.plan(when)
    demands: dict[Direction, dict[str, float]] = {"down": {}, "up": {}}
    if demand is not None:
        demands = read_demand_file(demand)
    elif from_db:
        demands = _db_demand(ctx, p, when)
    tables = []
    for d in DIRECTIONS:
        given = demands[d] if (demand is not None or from_db) else None
        tables.append(fair_shares(p, d, given))
    if as_json:
        _emit([asdict(t) for t in tables])
        return
    click.echo("\n".join(shares_lines(tables, measured=demand is not None or from_db)))


def _measured(
    ctx: BandwidthContext, p: BandwidthPlan, since: datetime, until: datetime
) -> dict[str, AgencySeries]:
    """Measured per-agency rates: queue samples of any shaper platform, else LAN port counters."""
    from sqlalchemy.orm import Session

    from netops.bandwidth.measured import measured_series

    assert ctx.engine is not None
    with Session(ctx.engine) as s:
        return measured_series(s, ctx.inventory, p, since, until)


def _db_demand(
    ctx: BandwidthContext, p: BandwidthPlan, when: datetime
) -> dict[Direction, dict[str, float]]:
    from netops.bandwidth.measured import by_direction

    measured = _measured(ctx, p, when - timedelta(minutes=15), when + timedelta(seconds=1))
    series = by_direction(measured)
    return {d: {c: v[-1][1] / 1e6 for c, v in series[d].items() if v} for d in series}


@bandwidth.command()
@INVENTORY_OPT
@click.option("--agency", default=None, help="Only this agency code.")
@click.option("--period", type=click.Choice(["day", "month"]), default="day")
@AT_OPT
@JSON_OPT
def usage(
    inventory: Path | None, agency: str | None, period: str, at: datetime | None, as_json: bool
) -> None:
    """Usage against quota from measured rates; re-allocation; the uplink view.

    Rates come from the shapers' queue samples (MikroTik simple or tree, Linux tc, Cisco MQC),
    or from the agency's LAN port counters when no shaper measured it."""
    from netops.bandwidth.measured import by_direction
    from netops.bandwidth.report import table, usage_headers, usage_lines, usage_rows
    from netops.bandwidth.usage import plan_usage, suggest_reallocation, uplink_view

    loaded = _load(inventory)
    when = _when(at)
    ctx = _context(loaded)
    p = ctx.plan(when)
    since = when - (timedelta(days=1) if period == "day" else timedelta(days=30))
    measured = _measured(ctx, p, since, when)
    series = by_direction(measured)
    out: dict[str, Any] = {}
    for d in ("down", "up"):
        rows = plan_usage(p, d, series[d])
        realloc = suggest_reallocation(rows, p.root.maximum_mbps(d))
        if agency:
            rows = [r for r in rows if r.code == agency]
            realloc = [r for r in realloc if r.code == agency]
        total: dict[float, float] = {}
        for pts in series[d].values():
            for t, r in pts:
                total[t] = total.get(t, 0.0) + r
        out[d] = {
            "agencies": [{**asdict(r), "source": measured[r.code].source} for r in rows],
            "reallocation": [asdict(r) for r in realloc],
            "uplink": asdict(
                uplink_view(
                    sorted(total.items()), p.root.maximum_mbps(d) * 1e6, p.cost_idr_per_month
                )
            ),
        }
    if as_json:
        _emit(out)
        return
    for d, block in out.items():
        up = block["uplink"]
        click.echo(
            f"{d}: uplink {up['capacity_bps'] / 1e6:g} Mbps, now {up['current_bps'] / 1e6:.1f}"
            f", p95 {up['p95_bps'] / 1e6:.1f}, peak hour {up['peak_hour_wita']} WITA, "
            f"Rp {up['cost_idr_per_mbps']:,.0f} per Mbps/month"
        )
        click.echo("\n".join(table(usage_headers(period), usage_rows(block["agencies"]))))
        cap_mbps = up["capacity_bps"] / 1e6
        for line in usage_lines(block["agencies"], block["reallocation"], cap_mbps):
            click.echo(line)
        click.echo("")


@bandwidth.command()
@click.argument("device")
@INVENTORY_OPT
@AT_OPT
@JSON_OPT
def diff(device: str, inventory: Path | None, at: datetime | None, as_json: bool) -> None:
    """What DEVICE holds against the plan (exit 1 when it differs).

    A summary line, then one line per queue with both directions (guaranteed/maximum Mbps)."""
    from netops.bandwidth.report import diff_lines, diff_summary, indent
    from netops.bandwidth.service import diff_device

    ctx = _context(_load(inventory), with_db=False)
    try:
        d = diff_device(ctx, device, _when(at))
    finally:
        ctx.close()
    if as_json:
        _emit(
            {
                "device": device,
                "in_sync": d.in_sync,
                "summary": diff_summary(d),
                "changes": [c.text() for c in d.changes],
            }
        )
    else:
        click.echo(diff_summary(d))
        if d.changes:
            click.echo(indent(diff_lines(d)))
    if not d.in_sync:
        sys.exit(1)


@bandwidth.command()
@click.argument("device")
@INVENTORY_OPT
@AT_OPT
@click.option(
    "--dry-run/--no-dry-run",
    default=True,
    show_default=True,
    help="Only show the commands (default) or push them.",
)
@click.option("--actor", default=None, help="Who pushes (default: the OS user); audited.")
@click.option(
    "--show-commands",
    "-v",
    "show_commands",
    is_flag=True,
    help="Also list every change and every device command (sent, or to be sent).",
)
@JSON_OPT
def apply(
    device: str,
    inventory: Path | None,
    at: datetime | None,
    dry_run: bool,
    actor: str | None,
    show_commands: bool,
    as_json: bool,
) -> None:
    """Push the plan to DEVICE: read back, diff, send, verify; roll back if a step fails.

    Prints a summary line and the result; a dry run also lists the changes.  ``-v`` adds the
    changes and the exact commands; ``--json`` has everything."""
    from netops.bandwidth.report import apply_result_line, diff_lines, diff_summary, indent
    from netops.bandwidth.service import apply_device

    ctx = _context(_load(inventory))
    try:
        res = apply_device(ctx, device, dry_run=dry_run, actor=actor, at=_when(at))
    finally:
        ctx.close()
    if as_json:
        _emit(
            {
                "device": device,
                "result": res.result,
                "error": res.error,
                "summary": diff_summary(res.diff),
                "diff": [c.text() for c in res.diff.changes],
                "commands": list(res.commands),
                "sent": res.sent,
                "rollback_commands": list(res.rollback_commands),
            }
        )
    else:
        click.echo(diff_summary(res.diff))
        if res.diff.changes and (dry_run or show_commands or not res.ok):
            click.echo(indent(diff_lines(res.diff)))
        if res.commands and show_commands:
            click.echo("commands (dry run, not sent):" if dry_run else "commands:")
            click.echo(indent(res.commands))
        if res.rollback_commands and show_commands:
            click.echo("rollback commands:")
            click.echo(indent(res.rollback_commands))
        click.echo(apply_result_line(res, dry_run, show_commands))
    if not res.ok:
        sys.exit(1)


@bandwidth.command()
@INVENTORY_OPT
@AT_OPT
@JSON_OPT
def drift(inventory: Path | None, at: datetime | None, as_json: bool) -> None:
    """Every shaper against the plan: missing, extra and differing queues (exit 1 on drift)."""
    from netops.bandwidth.report import diff_lines, diff_summary, indent
    from netops.bandwidth.service import check_drift

    ctx = _context(_load(inventory))
    try:
        results = check_drift(ctx, _when(at))
    finally:
        ctx.close()
    if as_json:
        _emit(
            [
                {
                    "device": r.device,
                    "drifted": r.drifted,
                    "error": r.error,
                    "changes": [c.text() for c in r.diff.changes] if r.diff else [],
                }
                for r in results
            ]
        )
    else:
        for r in results:
            if r.error or r.diff is None:
                click.echo(f"{r.device}: error: {r.error}")
                continue
            click.echo(diff_summary(r.diff))
            if r.diff.changes:
                click.echo(indent(diff_lines(r.diff)))
    if any(r.drifted for r in results):
        sys.exit(1)


@bandwidth.group()
def boost() -> None:
    """Time-limited raises of an agency's maximum."""


@boost.command("list")
@INVENTORY_OPT
@AT_OPT
@JSON_OPT
def boost_list(inventory: Path | None, at: datetime | None, as_json: bool) -> None:
    """Boosts in the inventory with their state at --at (default now)."""
    when = _when(at)
    rows: list[dict[str, Any]] = []
    for a in _load(inventory).inventory.agencies:
        for b in a.quota.boosts:
            state = "active" if b.start <= when < b.end else "ended" if b.end <= when else "planned"
            rows.append(
                {
                    "agency": a.code,
                    "start": b.start.isoformat(),
                    "end": b.end.isoformat(),
                    "maximum_down_mbps": b.maximum_down_mbps,
                    "maximum_up_mbps": b.maximum_up_mbps,
                    "reason": b.reason or "",
                    "state": state,
                }
            )
    if as_json:
        _emit(rows)
        return
    from netops.bandwidth.report import table

    rows_text = table(
        ["agency", "start", "end", "max down", "max up", "state", "reason"],
        [
            [
                r["agency"],
                r["start"],
                r["end"],
                _m(r["maximum_down_mbps"]),
                _m(r["maximum_up_mbps"]),
                r["state"],
                r["reason"],
            ]
            for r in rows
        ],
    )
    click.echo("\n".join(rows_text))


@boost.command("add")
@click.argument("agency")
@click.option("--start", required=True, type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]))
@click.option("--end", required=True, type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]))
@click.option("--max-down", type=float, default=None, help="Maximum download Mbps while active.")
@click.option("--max-up", type=float, default=None, help="Maximum upload Mbps while active.")
@click.option("--reason", default=None)
@INVENTORY_OPT
def boost_add(
    agency: str,
    start: datetime,
    end: datetime,
    max_down: float | None,
    max_up: float | None,
    reason: str | None,
    inventory: Path | None,
) -> None:
    """Add a boost to AGENCY in inventory.yaml (validated before the file is rewritten)."""
    from netops.inventory.edit import add_boost

    path = inventory if inventory is not None else get_settings().inventory
    add_boost(
        path,
        agency,
        start=start,
        end=end,
        maximum_down_mbps=max_down,
        maximum_up_mbps=max_up,
        reason=reason,
    )
    click.echo(f"boost added to {agency} in {path}")
