"""``netops lab``: run simulated devices for the inventory over SSH on loopback.

    netops lab up [-i FILE] [--foreground] [--seed N]            start; print the endpoints
    netops lab status                                            devices, endpoints, faults
    netops lab fault DEVICE KIND [--param key=value ...]         inject a fault (lab/faults.py)
    netops lab clear [DEVICE]                                    undo faults
    netops lab down                                              stop the lab
    netops lab packets up|test|status|down                       the packet lab (root; real HTB)

``up`` writes the connection map (``settings.resolved_lab_map()``, used by collectors instead of
the inventory's management addresses), ``<data_dir>/lab.pid`` and the control socket
``<data_dir>/lab.sock``; ``down`` removes all three.  Passwords come from the environment or
``NETOPS_SECRETS_FILE`` (the inventory's ``password_ref``s).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click

from netops.cli.lab_packets import packets
from netops.endpoints import require_loopback, save_endpoints
from netops.errors import LabError
from netops.settings import Settings, get_settings

READY_TIMEOUT_S = 180.0


def _paths(settings: Settings) -> tuple[Path, Path, Path, Path]:
    data = settings.data_dir
    return (
        settings.resolved_lab_map(),
        data / "lab.pid",
        data / "lab.sock",
        data / "lab.log",
    )


def lab_host_keys(settings: Settings) -> Path:
    """Where lab devices keep their host keys across restarts (``<data_dir>/lab-host-keys``)."""
    return settings.data_dir / "lab-host-keys"


def _running_pid(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


@click.group()
def lab() -> None:
    """Simulated devices for the inventory, served over SSH on 127.0.0.1."""


INVENTORY_OPT = click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="inventory.yaml (default: NETOPS_INVENTORY); the lab's files live in its data directory.",
)


def _settings(inventory_path: Path | None) -> Settings:
    """Settings whose data directory is the inventory's (never the shell's working directory)."""
    if inventory_path is None:
        return get_settings()
    return get_settings(inventory=inventory_path)


@lab.command()
@INVENTORY_OPT
@click.option("--foreground", is_flag=True, help="Serve in this process until Ctrl-C.")
@click.option("--seed", type=int, default=0, show_default=True, help="Traffic and identity seed.")
@click.option("--host", default="127.0.0.1", show_default=True, help="A 127.x.y.z address.")
def up(inventory_path: Path | None, foreground: bool, seed: int, host: str) -> None:
    """Start the lab and print where each device listens."""
    try:
        host = require_loopback(host)
    except LabError as exc:
        raise click.BadParameter(str(exc), param_hint="--host") from None
    settings = _settings(inventory_path)
    map_path, pid_file, sock, log_file = _paths(settings)
    path = settings.inventory
    if not path.is_file():
        raise click.UsageError(f"inventory file {path} does not exist")
    if _running_pid(pid_file) is not None:
        raise LabError(f"a lab is already running (pid file {pid_file}); run netops lab down")
    if foreground:
        _serve(path, seed, host, settings)
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for stale in (map_path, sock):
        stale.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "netops.cli.main", "lab", "up", "--foreground"]
    cmd += ["--inventory", str(path.resolve()), "--seed", str(seed), "--host", host]
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + READY_TIMEOUT_S
    while not (sock.exists() and map_path.exists()):
        if proc.poll() is not None:
            tail = log_file.read_text(errors="replace").strip().splitlines()[-5:]
            raise LabError("the lab did not start:\n" + "\n".join(tail))
        if time.monotonic() > deadline:
            proc.terminate()
            raise LabError(f"the lab did not start within {READY_TIMEOUT_S:.0f} s (see {log_file})")
        time.sleep(0.2)
    from lab.control import send_request

    reply = send_request(sock, {"op": "status"})
    _print_endpoints(reply["endpoints"])
    click.echo(f"lab running (pid {proc.pid}); connection map: {map_path}")


def _serve(path: Path, seed: int, host: str, settings: Settings) -> None:
    from lab.api import start_lab
    from lab.control import ControlServer
    from netops.inventory.loader import load_inventory
    from netops.secrets import SecretStore

    map_path, pid_file, sock, _log = _paths(settings)
    inventory = load_inventory(path).inventory
    secrets = SecretStore.from_env(settings.secrets_file)
    running = start_lab(
        inventory, secrets=secrets, seed=seed, host=host, host_key_dir=lab_host_keys(settings)
    )
    control = ControlServer(running, sock).start()
    stop = control.stop_requested
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        pid_file.write_text(f"{os.getpid()}\n")
        save_endpoints(map_path, running.endpoints)
        _print_endpoints({n: [e.host, e.port] for n, e in running.endpoints.items()})
        click.echo(f"serving {len(running.runtimes)} devices; Ctrl-C or `netops lab down` stops")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        control.close()
        running.stop()
        for leftover in (map_path, pid_file):
            leftover.unlink(missing_ok=True)


def _print_endpoints(endpoints: dict[str, list[object]]) -> None:
    from netops.tables import render_table

    rows = [[name, f"{endpoints[name][0]}:{endpoints[name][1]}"] for name in sorted(endpoints)]
    if rows:
        click.echo("\n".join(render_table(["device", "endpoint"], rows, header=False)))


@lab.command()
@INVENTORY_OPT
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(inventory_path: Path | None, as_json: bool) -> None:
    """Show the running lab's devices, endpoints and active faults."""
    from lab.control import send_request
    from netops.cli.output import echo_json

    _map, _pid, sock, _log = _paths(_settings(inventory_path))
    reply = send_request(sock, {"op": "status"})
    if as_json:
        echo_json(
            {
                "devices": reply["devices"],
                "endpoints": {
                    n: {"host": h, "port": p} for n, (h, p) in sorted(reply["endpoints"].items())
                },
                "faults": dict(sorted((reply.get("faults") or {}).items())),
            }
        )
        return
    click.echo(f"{reply['devices']} devices")
    _print_endpoints(reply["endpoints"])
    faults = reply.get("faults") or {}
    if not faults:
        click.echo("no active faults")
    for device, kinds in sorted(faults.items()):
        click.echo(f"fault {device}: {', '.join(kinds)}")


@lab.command()
@click.argument("device")
@click.argument("kind")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Fault parameter.")
@INVENTORY_OPT
def fault(device: str, kind: str, params: tuple[str, ...], inventory_path: Path | None) -> None:
    """Inject fault KIND on DEVICE (kinds: link-down, unreachable, reboot, counter-wrap, slow,
    hang, garbage, auth-fail, host-key, lldp-disagree)."""
    from lab.control import send_request

    parsed: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--param {item!r}: expected KEY=VALUE")
        parsed[key] = value
    _map, _pid, sock, _log = _paths(_settings(inventory_path))
    send_request(sock, {"op": "fault", "device": device, "kind": kind, "params": parsed})
    click.echo(f"{device}: {kind} injected")


@lab.command()
@click.argument("device", required=False)
@INVENTORY_OPT
def clear(device: str | None, inventory_path: Path | None) -> None:
    """Undo the faults on DEVICE (all devices when omitted)."""
    from lab.control import send_request

    _map, _pid, sock, _log = _paths(_settings(inventory_path))
    send_request(sock, {"op": "clear", "device": device})
    click.echo(f"faults cleared on {device or 'all devices'}")


@lab.command()
@INVENTORY_OPT
def down(inventory_path: Path | None) -> None:
    """Stop the running lab."""
    from lab.control import send_request

    settings = _settings(inventory_path)
    map_path, pid_file, sock, _log = _paths(settings)
    pid = _running_pid(pid_file)
    if pid is None and not sock.exists():
        click.echo("no lab is running")
        return
    try:
        send_request(sock, {"op": "stop"}, timeout_s=10)
    except LabError:
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while pid is not None and _running_pid(pid_file) is not None:
        if time.monotonic() > deadline:
            raise LabError(f"the lab (pid {pid}) did not stop within 30 s")
        time.sleep(0.2)
    for leftover in (map_path, pid_file, sock):
        leftover.unlink(missing_ok=True)
    click.echo("lab stopped")


lab.add_command(packets)
