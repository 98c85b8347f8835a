"""``netops poll once`` and ``netops poll run``: poll the inventory's devices and store results.

Two explicit modes.  Lab mode (the default): every device is reached through the lab connection
map (``--lab-map``, else ``lab-map.json`` in the inventory's data directory), on loopback only; no
map is an error, and a device the map does not name is refused.  Real-network mode
(``--real-network`` or ``NETOPS_REAL_NETWORK=1``): the inventory's management addresses.
``poll once`` prints a per-device table and exits 1 when any device failed or only partly
answered (``partial``), 2 on a usage error (missing inventory).

Each device's results are stored as soon as it finishes; SIGTERM (or Ctrl-C) stops either command
within a few seconds: sessions still open are closed under their jobs, a device not yet written is
dropped whole, and the process exits 143 (130 for Ctrl-C).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from netops.cli.output import echo_json, progress
from netops.tables import render_table

INVENTORY_OPT = click.option(
    "-i",
    "--inventory",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="inventory.yaml (default: NETOPS_INVENTORY); its data directory holds the lab map.",
)
LAB_MAP_OPT = click.option(
    "--lab-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Lab connection map (default: lab-map.json in the inventory's data directory).",
)
REAL_NETWORK_OPT = click.option(
    "--real-network",
    is_flag=True,
    help="Poll the inventory's management addresses (not the lab). Never a fallback.",
)

WHAT = ("counters", "facts", "interfaces", "neighbors", "config", "queues", "all")


def _setup(
    inventory: Path | None, lab_map: Path | None, real_network: bool
) -> tuple[Any, Any, Any]:
    from collectors.engine import Poller
    from netops.endpoints import load_endpoints
    from netops.errors import NetopsError
    from netops.inventory.loader import load_inventory
    from netops.secrets import SecretStore
    from netops.settings import get_settings
    from netops.storage.db import open_database

    overrides: dict[str, object] = {"inventory": inventory} if inventory is not None else {}
    if real_network:
        overrides["real_network"] = True
    settings = get_settings(**overrides)
    if not settings.inventory.is_file():
        raise click.UsageError(f"inventory file not found: {settings.inventory}")
    inv = load_inventory(settings.inventory).inventory
    if settings.real_network:
        if lab_map is not None:
            raise click.UsageError("--lab-map and real-network mode exclude each other")
        endpoints = None
    else:
        map_path = lab_map or settings.resolved_lab_map()
        if not map_path.exists():
            raise NetopsError(
                f"lab mode: no lab connection map at {map_path} (start the lab with "
                "`netops lab up`, or poll the real network deliberately with --real-network)"
            )
        endpoints = load_endpoints(map_path)
    engine = open_database(settings)
    poller = Poller(
        inv, settings, SecretStore.from_env(settings.secrets_file), endpoints, engine=engine
    )
    return settings, poller, engine


def _result(r: Any) -> str:
    if r.status == "partial":
        return f"partial ({r.error_kind})"
    return "ok" if r.ok else r.error_kind or "failed"


def _detail(r: Any) -> str:
    read = ", ".join(f"{k}:{len(v)}" if isinstance(v, list) else k for k, v in r.data.items())
    if r.status == "partial":
        return f"{read} ok; " + "; ".join(r.getter_errors.values())
    return r.error or read


def report_table(report: Any) -> str:
    """A per-device table of a cycle report: device, result, duration, detail."""
    rows = [
        [r.device, _result(r), f"{r.duration_s:.2f}s", _detail(r)]
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
                "status": r.status,
                "getter_errors": r.getter_errors,
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
@INVENTORY_OPT
@LAB_MAP_OPT
@REAL_NETWORK_OPT
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def once(
    what: tuple[str, ...],
    inventory: Path | None,
    lab_map: Path | None,
    real_network: bool,
    as_json: bool,
) -> None:
    """Poll every device once, store the results and print a summary."""
    _, poller, _ = _setup(inventory, lab_map, real_network)
    _exit_on_signal(poller)
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


def poll_scheduler(
    settings: Any,
    poll: Callable[[list[str]], object],
    rollup: Callable[[], object],
    *,
    blocking: bool = False,
) -> Any:
    """The scheduler ``netops poll run`` runs: the polling jobs, rollup, and every bandwidth job
    (boosts, drift, pending rollbacks) at the cadences in settings."""
    from netops.bandwidth.jobs import bandwidth_jobs
    from netops.scheduler import build_scheduler

    return build_scheduler(
        settings,
        poll=poll,
        rollup=rollup,
        extra_jobs=bandwidth_jobs(settings),
        blocking=blocking,
    )


@poll.command("run")
@INVENTORY_OPT
@LAB_MAP_OPT
@REAL_NETWORK_OPT
def run(inventory: Path | None, lab_map: Path | None, real_network: bool) -> None:
    """Run the polling schedule in the foreground until interrupted (Ctrl-C or SIGTERM)."""
    from netops.scheduler import shutdown
    from netops.telemetry.store import rollup_and_expire

    settings, poller, engine = _setup(inventory, lab_map, real_network)

    def cycle(what: list[str]) -> None:
        # The job returns by the next counters tick: a device still out (bounded by its
        # deadline) writes its results when it ends and is left out of the next cycle meanwhile,
        # so the healthy devices keep their schedule.
        report = poller.poll(what, wait_s=max(1.0, settings.poll_counters_s * 0.9))
        busy = f", {len(report.busy)} still busy ({', '.join(report.busy)})" if report.busy else ""
        click.echo(
            f"{','.join(what)}: {len(report.results) - len(report.failed)} ok, "
            f"{len(report.failed)} failed in {report.duration_s:.1f} s{busy}"
        )

    scheduler = poll_scheduler(settings, cycle, lambda: rollup_and_expire(engine), blocking=True)

    _exit_on_signal(poller, lambda: shutdown(scheduler, wait=False))
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


def _exit_on_signal(poller: Any, before: Any = None) -> None:
    """On SIGTERM/SIGINT: stop the poller at once and exit (143 / 130) within a few seconds.

    Device jobs may sit in a blocking SSH read: :meth:`~collectors.engine.Poller.abort` closes
    their sessions; the process then exits without waiting for worker threads (every stored
    device was committed in its own transaction; one in the middle of its write is rolled back).
    """

    def stop(signum: int, frame: Any) -> None:
        def finish() -> None:
            if before is not None:
                before()
            poller.abort()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(128 + signum)

        # never block inside the handler: the main thread may hold locks the abort needs
        threading.Thread(target=finish, name="netops-stop", daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
