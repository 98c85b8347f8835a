"""``netops topology``: drift, paths, weak points, what-if failures, fiber plans and a picture.

Every command reads the inventory (``--inventory``, default ``NETOPS_INVENTORY``); with ``--db URL``
it also reads what the collectors discovered (neighbours, interface rates).  ``--json`` prints
machine-readable output.  Exit codes: 0 ok; 1 problems found (drift, agencies cut off or links
overloaded in a what-if, invalid input files); 2 usage errors (unknown option, device or file).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from netops.errors import TopologyError
from netops.settings import get_settings


def _inventory_option(f: Any) -> Any:
    return click.option(
        "--inventory",
        "-i",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="inventory.yaml (default: NETOPS_INVENTORY or ./inventory.yaml).",
    )(f)


def _db_option(f: Any) -> Any:
    return click.option(
        "--database-url",
        "--db",
        "db_url",
        default=None,
        help="Database URL with collector data (e.g. sqlite:///.netops/netops.db).",
    )(f)


def _json_option(f: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(f)


def _emit(as_json: bool, data: Any, text: str) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=False, default=str))
    else:
        click.echo(text)


def _load(inventory: Path | None, db_url: str | None) -> tuple[Any, Any, Any]:
    """(inventory, model, observed-or-None); usage error (exit 2) if the file is missing."""
    from netops.inventory.loader import load_inventory
    from topology.model import build_model

    path = inventory or get_settings().inventory
    if not path.exists():
        raise click.UsageError(f"inventory file not found: {path}")
    inv = load_inventory(path).inventory
    observed = None
    if db_url:
        from topology.sources import read_observed_from_url

        observed = read_observed_from_url(db_url)
        model = build_model(inv, observed.discovered, observed.rates, observed.polled_devices)
    else:
        model = build_model(inv)
    return inv, model, observed


@click.group()
def topology() -> None:
    """Paths, weak points, what-if failures and fiber plans, from the inventory (and the DB)."""


@topology.command()
@_inventory_option
@_db_option
@_json_option
def check(inventory: Path | None, db_url: str | None, as_json: bool) -> None:
    """Drift: planned links vs what LLDP/MNDP discovered (needs --db)."""
    from topology.drift import match_discovered
    from topology.report import drift_text

    inv, model, observed = _load(inventory, db_url)
    if observed is None or observed.discovered is None:
        why = "no --db given" if observed is None else "the database holds no neighbour data yet"
        msg = (
            f"{why}: planned topology only, nothing to compare. "
            f"{model.graph.number_of_nodes()} devices, {model.graph.number_of_edges()} planned "
            "links; run `netops poll` and pass --db to compare with what devices see."
        )
        _emit(as_json, {"planned_only": True, "message": msg}, msg)
        return
    report = match_discovered(inv, observed.discovered, observed.polled_devices)
    _emit(as_json, report.to_dict(), drift_text(report))
    if report.has_drift:
        sys.exit(1)


@topology.command()
@_inventory_option
@_db_option
@_json_option
def paths(inventory: Path | None, db_url: str | None, as_json: bool) -> None:
    """Each agency's route to the uplink: hops, km, bottleneck, utilization, media."""
    from topology.network import compile_network
    from topology.paths import agency_paths
    from topology.report import paths_json, paths_text

    _, model, _ = _load(inventory, db_url)
    res = agency_paths(compile_network(model))
    _emit(as_json, paths_json(res), paths_text(res))


@topology.command()
@_inventory_option
@_db_option
@_json_option
def spof(inventory: Path | None, db_url: str | None, as_json: bool) -> None:
    """Single points of failure and per-agency redundancy."""
    from topology.network import compile_network
    from topology.report import spof_json, spof_text
    from topology.weak import weak_points

    _, model, _ = _load(inventory, db_url)
    wp = weak_points(compile_network(model))
    _emit(as_json, spof_json(wp), spof_text(wp))


@topology.command()
@_inventory_option
@_db_option
@_json_option
@click.option("--fail-link", "fail_links", multiple=True, metavar="DEV:IF", help="Repeatable.")
@click.option("--fail-device", "fail_devices", multiple=True, metavar="DEV", help="Repeatable.")
@click.option(
    "--demand",
    type=click.Choice(["guaranteed", "current"]),
    default="guaranteed",
    show_default=True,
    help="Load each agency puts on its path: its guarantee, or the measured rate (--db).",
)
def whatif(
    inventory: Path | None,
    db_url: str | None,
    as_json: bool,
    fail_links: tuple[str, ...],
    fail_devices: tuple[str, ...],
    demand: str,
) -> None:
    """Fail links and devices together: who is cut off, which links overload after failover."""
    from topology.network import compile_network
    from topology.report import whatif_json, whatif_text
    from topology.whatif import what_if

    if not fail_links and not fail_devices:
        raise click.UsageError("give at least one --fail-link DEV:IF or --fail-device DEV")
    _, model, _ = _load(inventory, db_url)
    try:
        links = [model.link_for(x) for x in fail_links]
    except TopologyError as exc:
        raise click.BadParameter(str(exc), param_hint="--fail-link") from None
    for d in fail_devices:
        if d not in model.graph:
            raise click.BadParameter(f"unknown device {d!r}", param_hint="--fail-device")
    res = what_if(compile_network(model), links, fail_devices, demand=demand)
    _emit(as_json, whatif_json(res), whatif_text(res))
    if res.cut_off or res.overloaded:
        sys.exit(1)


@topology.command()
@_inventory_option
@_db_option
@_json_option
@click.option(
    "--routes",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("routes.yaml"),
    show_default=True,
    help="Candidate segments: routes.yaml (it may name GeoJSON files) or a .geojson file.",
)
@click.option("--budget-idr", type=click.FloatRange(min=0), default=None, help="Rupiah.")
@click.option("--agencies", default=None, help="Comma-separated agency codes (default: all).")
@click.option("--connect", "connect", default=None, metavar="SITE", help="Route a new site in.")
@click.option(
    "--protect",
    type=click.Choice(["links", "devices"]),
    default=None,
    help="Failures to survive: single cable cuts (links, the default), or also any single "
    "device other than the agency's own (devices).  With --connect: protect the new site too.",
)
@click.option(
    "--time-limit-s",
    type=click.FloatRange(min=0),
    default=None,
    help="Solver time for the proven-optimal plan before the heuristic answers "
    "(default NETOPS_TOPOLOGY_EXACT_TIME_LIMIT_S, 10); 0: heuristic only.",
)
def plan(
    inventory: Path | None,
    db_url: str | None,
    as_json: bool,
    routes: Path,
    budget_idr: float | None,
    agencies: str | None,
    connect: str | None,
    protect: str | None,
    time_limit_s: float | None,
) -> None:
    """Fiber plan: protect agencies against failures, within a budget, or route a new site."""
    from netops.cli.output import progress
    from topology.network import compile_network
    from topology.planner import connect_site, plan_budget, plan_redundancy
    from topology.report import augmentation_text, budget_text, route_plan_text
    from topology.routes import resolve_candidates

    if not routes.exists():
        raise click.UsageError(f"routes file not found: {routes}")
    _, model, _ = _load(inventory, db_url)
    cands = resolve_candidates(model, routes)
    net = compile_network(model)
    codes = [c.strip() for c in agencies.split(",") if c.strip()] if agencies else None
    unknown = [c for c in codes or [] if c not in model.agencies]
    if unknown:
        raise click.BadParameter(f"unknown agency {', '.join(unknown)}", param_hint="--agencies")
    limit = get_settings().topology_exact_time_limit_s if time_limit_s is None else time_limit_s
    if connect:
        try:
            rp = connect_site(net, cands, connect, protect=protect, time_limit_s=limit)
        except TopologyError as exc:
            raise click.BadParameter(str(exc), param_hint="--connect") from None
        _emit(as_json, asdict(rp), route_plan_text(rp))
    elif budget_idr is not None:
        with progress("planning within the budget", as_json=as_json) as step:
            bp = plan_budget(
                net, cands, budget_idr, codes, progress=step, protect=protect or "links"
            )
        _emit(as_json, asdict(bp), budget_text(bp))
    else:
        solver = "auto" if limit > 0 else "heuristic"
        with progress("planning redundancy", as_json=as_json) as step:
            ap = plan_redundancy(
                net,
                cands,
                codes,
                progress=step,
                protect=protect or "links",
                solver=solver,
                time_limit_s=limit,
            )
        _emit(as_json, asdict(ap), augmentation_text(ap))


@topology.command()
@_inventory_option
@_db_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("topology.svg"),
    show_default=True,
    help="Output file, .svg or .png.",
)
def render(inventory: Path | None, db_url: str | None, out: Path) -> None:
    """Draw the graph with sites at their coordinates, coloured by medium and utilization."""
    from topology.render import render as draw

    if out.suffix.lower() not in (".svg", ".png"):
        raise click.BadParameter("must end in .svg or .png", param_hint="--out")
    inv, model, _ = _load(inventory, db_url)
    draw(model, out, title=f"{inv.region}: intranet topology")
    click.echo(f"wrote {out}")
