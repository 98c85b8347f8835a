"""``netops poll once`` and ``netops poll run``: poll the inventory's devices and store results.

Devices are reached through the lab connection map when one exists (``--lab-map`` or
``settings.resolved_lab_map()``), else at their management addresses.  ``poll once`` prints a
per-device table and exits 1 when any device failed (or only partly answered).

Each device's results are stored as soon as it finishes; SIGTERM (or Ctrl-C) stops either command
within a few seconds: sessions still open are closed under their jobs, a device not yet written is
dropped whole, and the process exits 143 (130 for Ctrl-C).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click

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


def report_table(report: Any) -> str:
    """A per-device table of a cycle report: device, result, duration, detail."""
    rows = [("DEVICE", "RESULT", "TIME", "DETAIL")]
    for r in sorted(report.results, key=lambda r: r.device):
        detail = r.error or ", ".join(
            f"{k}:{len(v)}" if isinstance(v, list) else k for k, v in r.data.items()
        )
        result = "ok" if r.ok else r.error_kind or "failed"
        if r.status == "partial":
            result = f"partial ({r.error_kind})"
            detail = f"{', '.join(r.data)} ok; " + "; ".join(r.getter_errors.values())
        rows.append((r.device, result, f"{r.duration_s:.2f}s", detail))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row))
        for row in rows
    )


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
def once(what: tuple[str, ...], inventory: Path | None, lab_map: Path | None) -> None:
    """Poll every device once, store the results and print a summary."""
    _, poller, _ = _setup(inventory, lab_map)
    _exit_on_signal(poller)
    try:
        report = poller.poll(list(what))
    finally:
        poller.close()
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
        # The job returns by the next counters tick: a device still out (bounded by its
        # deadline) writes its results when it ends and is left out of the next cycle meanwhile,
        # so the healthy devices keep their schedule.
        report = poller.poll(what, wait_s=max(1.0, settings.poll_counters_s * 0.9))
        busy = f", {len(report.busy)} still busy ({', '.join(report.busy)})" if report.busy else ""
        click.echo(
            f"{','.join(what)}: {len(report.results) - len(report.failed)} ok, "
            f"{len(report.failed)} failed in {report.duration_s:.1f} s{busy}"
        )

    scheduler = build_scheduler(
        settings, poll=cycle, rollup=lambda: rollup_and_expire(engine), blocking=True
    )

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
