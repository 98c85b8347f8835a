"""``netops poll once`` and ``netops poll run``: poll the inventory's devices and store results.

Devices are reached through the lab connection map when one exists (``--lab-map`` or
``settings.resolved_lab_map()``), else at their management addresses.  ``poll once`` prints a
per-device table and exits 1 when any device failed.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

import click

from netops.cli.output import echo_json, progress
from netops.tables import render_table

WHAT = ("counters", "facts", "interfaces", "neighbors", "config", "queues", "all")


def _setup(inventory: Path | None, lab_map: Path | None) -> tuple[Any, Any, Any]:
    from collectors.engine import Poller
    from netops.endpoints import load_endpoints
    from netops.inventory.loader import load_inventory
    from netops.secrets import SecretStore
    from netops.settings import get_settings
    from netops.storage.db import open_database

    settings = get_settings()
    inv = load_inventory(inventory or settings.inventory).inventory
    map_path = lab_map or settings.resolved_lab_map()
    endpoints = load_endpoints(map_path) if (lab_map or map_path.exists()) else {}
    engine = open_database(settings)
    poller = Poller(
        inv, settings, SecretStore.from_env(settings.secrets_file), endpoints, engine=engine
    )
    return settings, poller, engine


def _detail(r: Any) -> str:
    return r.error or ", ".join(
        f"{k}:{len(v)}" if isinstance(v, list) else k for k, v in r.data.items()
    )


def report_table(report: Any) -> str:
    """A per-device table of a cycle report: device, result, duration, detail."""
    rows = [
        [r.device, "ok" if r.ok else r.error_kind or "failed", f"{r.duration_s:.2f}s", _detail(r)]
        for r in sorted(report.results, key=lambda r: r.device)
    ]
    return "\n".join(render_table(["DEVICE", "RESULT", "TIME", "DETAIL"], rows))


def report_json(report: Any) -> dict[str, Any]:
    """``poll once --json``: the cycle and, per device, its outcome and what each getter read
    (item counts for lists)."""
    return {
        "what": list(report.what),
        "duration_s": report.duration_s,
        "ok": len(report.results) - len(report.failed),
        "failed": len(report.failed),
        "devices": [
            {
                "device": r.device,
                "ok": r.ok,
                "error_kind": r.error_kind,
                "error": r.error,
                "duration_s": r.duration_s,
                "attempts": r.attempts,
                "reachable": r.reachable,
                "skipped": r.skipped,
                "read": {k: len(v) if isinstance(v, list) else 1 for k, v in r.data.items()},
            }
            for r in sorted(report.results, key=lambda r: r.device)
        ],
    }


@click.group()
def poll() -> None:
    """Poll devices: once, or on schedule."""


@poll.command("once")
@click.option(
    "--what",
    type=click.Choice(WHAT),
    multiple=True,
    default=("all",),
    show_default=True,
    help="Which getters (repeatable).",
)
@click.option("--inventory", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lab-map", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def once(
    what: tuple[str, ...], inventory: Path | None, lab_map: Path | None, as_json: bool
) -> None:
    """Poll every device once, store the results and print a summary."""
    _, poller, _ = _setup(inventory, lab_map)
    try:
        with progress("polling", as_json=as_json) as step:
            report = poller.poll(list(what), progress=step)
    finally:
        poller.close()
    if as_json:
        echo_json(report_json(report))
        sys.exit(1 if report.failed else 0)
    click.echo(report_table(report))
    failed = report.failed
    click.echo(
        f"{len(report.results) - len(failed)} ok, {len(failed)} failed in {report.duration_s:.1f} s"
    )
    sys.exit(1 if failed else 0)


@poll.command("run")
@click.option("--inventory", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lab-map", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def run(inventory: Path | None, lab_map: Path | None) -> None:
    """Run the polling schedule in the foreground until interrupted (Ctrl-C or SIGTERM)."""
    from netops.scheduler import build_scheduler, shutdown
    from netops.telemetry.store import rollup_and_expire

    settings, poller, engine = _setup(inventory, lab_map)

    def cycle(what: list[str]) -> None:
        report = poller.poll(what)
        click.echo(
            f"{','.join(what)}: {len(report.results) - len(report.failed)} ok, "
            f"{len(report.failed)} failed in {report.duration_s:.1f} s"
        )

    scheduler = build_scheduler(
        settings, poll=cycle, rollup=lambda: rollup_and_expire(engine), blocking=True
    )

    def stop(signum: int, frame: Any) -> None:
        shutdown(scheduler, wait=False)

    signal.signal(signal.SIGTERM, stop)
    click.echo("polling on schedule; Ctrl-C to stop")
    cycle(["all"])
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        shutdown(scheduler, wait=False)
        poller.close()
        engine.dispose()
