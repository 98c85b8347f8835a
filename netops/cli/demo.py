"""``netops demo``: a simulated intranet from the sample inventory, polled, stored and analysed.

One command a new user runs to see every part of netops work together, on loopback only:

1. check ``inventory.yaml`` and sync it into the embedded SQLite database;
2. bring every device up in the lab (real SSH servers on 127.0.0.1) with fresh random passwords
   written to ``<data-dir>/demo-secrets.yaml`` (mode 0600; never in the inventory);
3. poll every device once (facts, interfaces, counters, LLDP, configs, queues) and store it;
4. topology: single points of failure, drift between planned and discovered links, a picture;
5. bandwidth: the plan, the diff against the core router's queues, apply it, fair shares;
6. keep polling counters on the APScheduler schedule, printing agency usage, until Ctrl-C
   (or ``--cycles N``).

Each step runs the same code as the ``netops`` sub-command of that name.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import yaml

from netops.settings import get_settings


def _banner(text: str) -> None:
    click.echo("")
    click.secho(f"== {text} ", bold=True)


def _run(args: Sequence[str]) -> int:
    """Run a ``netops`` sub-command in this process; return its exit code (never exit)."""
    from netops.cli.main import cli

    click.secho("$ netops " + " ".join(args), fg="cyan")
    try:
        cli.main(list(args), prog_name="netops", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0


def _failed(args: Sequence[str]) -> list[str]:
    """Run a sub-command; ``["netops ARGS"]`` when it exited non-zero, else ``[]``."""
    return [f"netops {' '.join(args)}"] if _run(args) != 0 else []


def _demo_secrets(inventory_path: Path, data_dir: Path) -> Path:
    """Write (once) a random secret for every credential reference of the inventory."""
    from netops.inventory.loader import load_inventory

    path = data_dir / "demo-secrets.yaml"
    existing: dict[str, str] = {}
    if path.exists():
        os.chmod(path, 0o600)  # an older demo's file may have been left readable by others
        from netops.secrets import read_secrets_file

        existing = read_secrets_file(path)
    inv = load_inventory(inventory_path).inventory
    refs = {c.password_ref for c in inv.credentials} | {
        c.enable_ref for c in inv.credentials if c.enable_ref
    }
    values = {ref: existing.get(ref) or secrets.token_urlsafe(16) for ref in sorted(refs)}
    data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # O_CREAT's mode applies to new files only
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        yaml.safe_dump(values, fh)
    return path


@click.command()
@click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Inventory to simulate (default: ./inventory.yaml).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the database, lab map and demo secrets live (default: ./.netops).",
)
@click.option(
    "--interval", type=click.IntRange(min=1), default=10, show_default=True, help="Seconds."
)
@click.option(
    "--cycles",
    type=click.IntRange(min=0),
    default=None,
    help="Stop after this many scheduled counter cycles (default: run until Ctrl-C).",
)
def demo(
    inventory_path: Path | None, data_dir: Path | None, interval: int, cycles: int | None
) -> None:
    """A simulated intranet from the sample inventory: checked, synced, polled, analysed."""
    base = get_settings()
    data = (data_dir or base.data_dir).resolve()
    inventory = (inventory_path or base.inventory).resolve()
    if not inventory.exists():
        raise click.UsageError(f"inventory file {inventory} does not exist")
    secrets_file = _demo_secrets(inventory, data)
    # Every step below reads its settings from the environment: point them at the demo.
    os.environ.update(
        {
            "NETOPS_DATA_DIR": str(data),
            "NETOPS_INVENTORY": str(inventory),
            "NETOPS_SECRETS_FILE": str(secrets_file),
            "NETOPS_LOOPBACK_ONLY": "1",
            "NETOPS_POLL_COUNTERS_S": str(interval),
        }
    )
    settings = get_settings()
    click.echo(f"netops demo: {inventory} -> {settings.resolved_database_url()}")

    _banner("1. Inventory: check and sync")
    if _run(["inventory", "check"]) != 0:
        raise SystemExit(1)
    failed = _failed(["inventory", "sync", "--brief"])

    _banner("2. Device lab: every device over SSH on 127.0.0.1")
    lab = _start_lab(settings)
    try:
        failed += _steps(settings, lab, interval, cycles)
    finally:
        lab.stop()
        settings.resolved_lab_map().unlink(missing_ok=True)
        click.echo("lab stopped")
    if failed:
        # A demo that printed failures must not look like a success to a script or CI.
        click.secho(f"demo: {len(failed)} step(s) failed: {'; '.join(failed)}", fg="red", err=True)
        raise SystemExit(1)


def _start_lab(settings: Any) -> Any:
    from lab.api import start_lab
    from netops.cli.lab import lab_host_keys
    from netops.endpoints import save_endpoints
    from netops.inventory.loader import load_inventory
    from netops.secrets import SecretStore

    inv = load_inventory(settings.inventory).inventory
    t0 = time.perf_counter()
    lab = start_lab(
        inv,
        secrets=SecretStore.from_env(settings.secrets_file),
        host_key_dir=lab_host_keys(settings),
    )
    save_endpoints(settings.resolved_lab_map(), lab.endpoints)
    click.echo(
        f"{len(lab.endpoints)} devices listening on 127.0.0.1 "
        f"(started in {time.perf_counter() - t0:.1f} s; map: {settings.resolved_lab_map()})"
    )
    return lab


def _steps(settings: Any, lab: Any, interval: int, cycles: int | None) -> list[str]:
    """Steps 3-6; returns the ones that failed."""
    from collectors.engine import Poller
    from netops.cli.poll import report_table
    from netops.endpoints import load_endpoints
    from netops.secrets import SecretStore
    from netops.storage.db import open_database

    engine = open_database(settings)
    poller = Poller(
        _inventory(settings),
        settings,
        SecretStore.from_env(settings.secrets_file),
        load_endpoints(settings.resolved_lab_map()),
        engine=engine,
    )
    failed: list[str] = []
    try:
        _banner("3. Collectors: poll every device once (facts, counters, LLDP, configs, queues)")
        report = poller.poll(["all"])
        click.echo(report_table(report))
        click.echo(f"{len(report.results) - len(report.failed)} ok, {len(report.failed)} failed")
        if report.failed:
            failed.append(f"poll: {len(report.failed)} device(s) failed")

        _banner("4. Topology: weak points, drift, picture")
        db = settings.resolved_database_url()
        # spof and check report findings with exit 1 by design: their output is the demo.
        _run(["topology", "spof", "--db", db])
        _run(["topology", "check", "--db", db])
        png = str(settings.data_dir / "topology.png")
        failed += _failed(["topology", "render", "--db", db, "--out", png])

        _banner("5. Bandwidth: plan, diff, apply to the shaper, fair shares")
        failed += _failed(["bandwidth", "plan"])
        for device in [s.device for s in _inventory(settings).shapers]:
            _run(["bandwidth", "diff", device])  # exit 1 = a difference, which apply then fixes
            apply = ["bandwidth", "apply", device, "--no-dry-run", "--actor", "netops-demo"]
            failed += _failed(apply)
        failed += _failed(["bandwidth", "shares"])

        _banner(f"6. On schedule: counters and queues every {interval} s (Ctrl-C to stop)")
        _schedule(settings, poller, engine, cycles)
    finally:
        poller.close()
        engine.dispose()
    failed += _failed(["bandwidth", "usage"])
    failed += _failed(["bandwidth", "shares", "--from-db"])
    return failed


def _inventory(settings: Any) -> Any:
    from netops.inventory.loader import load_inventory

    return load_inventory(settings.inventory).inventory


def _schedule(settings: Any, poller: Any, engine: Any, cycles: int | None) -> None:
    """The real APScheduler schedule (counters, rollups, bandwidth boosts and drift) for
    ``cycles`` counter cycles, or until Ctrl-C."""
    from netops.bandwidth.jobs import bandwidth_jobs
    from netops.scheduler import build_scheduler, shutdown
    from netops.telemetry.store import rollup_and_expire

    done = threading.Event()
    runs = 0

    def cycle(what: list[str]) -> None:
        nonlocal runs
        report = poller.poll(what)
        runs += 1 if "counters" in what else 0
        click.echo(
            f"{time.strftime('%H:%M:%S')} {','.join(what)}: "
            f"{len(report.results) - len(report.failed)} ok, {len(report.failed)} failed "
            f"in {report.duration_s:.1f} s"
        )
        if cycles is not None and runs >= cycles:
            done.set()

    scheduler = build_scheduler(
        settings,
        poll=cycle,
        rollup=lambda: rollup_and_expire(engine),
        extra_jobs=bandwidth_jobs(settings),
    )
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, lambda *_: done.set())
    try:
        if cycles != 0:
            scheduler.start()
            click.echo(
                "jobs: "
                + ", ".join(f"{j.id} every {j.trigger.interval}" for j in scheduler.get_jobs())
            )
            done.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
        shutdown(scheduler, wait=True)
