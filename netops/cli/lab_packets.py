"""``netops lab packets``: the packet lab (a real Linux router in network namespaces), root only.

    netops lab packets up [-i FILE]     build it, push the plan; keep it until Ctrl-C / SIGTERM
    netops lab packets test [-i FILE]   build, push, measure every scenario, remove; exit 1 if an
                                        agency is off its computed share by more than 10%
    netops lab packets status           what exists now (namespaces of any packet lab)
    netops lab packets down             remove whatever a packet lab left (after a killed run)

The default inventory is the packet lab's own (``lab/packets/inventory.yaml``).
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from netops.settings import get_settings

INVENTORY_OPTION = click.option(
    "-i",
    "--inventory",
    "inventory_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Inventory with one Linux shaper (default: the packet lab's own).",
)


def _inventory(path: Path | None) -> Path:
    import lab.packets

    return path or Path(lab.packets.__file__).parent / "inventory.yaml"


@click.group()
def packets() -> None:
    """Real packets: the bandwidth plan on the kernel's HTB, measured with iperf3."""


@packets.command()
@INVENTORY_OPTION
def up(inventory_path: Path | None) -> None:
    """Build the packet lab, push the plan, and keep it until Ctrl-C."""
    from lab.packets.lab import PacketLab
    from lab.packets.runner import lab_inventory, push_plan

    inv = lab_inventory(_inventory(inventory_path))
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with PacketLab(inv, get_settings().data_dir) as plab:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        result = push_plan(plab)
        port = plab.endpoints[plab.layout.shaper].port
        click.echo(
            f"packet lab up: {len(plab.layout.namespaces)} namespaces, "
            f"{plab.layout.shaper} over SSH at 127.0.0.1:{port}; plan {result.result}"
        )
        click.echo("Ctrl-C removes it")
        stop.wait()
    click.echo("packet lab removed")


@packets.command()
@INVENTORY_OPTION
@click.option("--seconds", default=4, show_default=True, help="Length of each iperf3 run.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def test(inventory_path: Path | None, seconds: int, as_json: bool) -> None:
    """Measure every agency against its computed share (TCP and UDP, both directions)."""
    from lab.packets.check import format_rows
    from lab.packets.lab import PacketLab
    from lab.packets.runner import iperf_servers, lab_inventory, push_plan, run_checks
    from netops.cli.output import echo_json, progress

    inv = lab_inventory(_inventory(inventory_path))
    with PacketLab(inv, get_settings().data_dir) as plab:
        push_plan(plab)
        with iperf_servers(plab), progress("measuring", as_json=as_json) as step:
            rows = run_checks(plab, seconds=seconds, progress=step)
    off = [r for r in rows if not r.ok]
    if as_json:
        echo_json(
            [
                {
                    "scenario": r.scenario,
                    "agency": r.code,
                    "direction": r.direction,
                    "protocol": r.protocol,
                    "computed_mbps": r.computed_mbps,
                    "measured_mbps": r.measured_mbps,
                    "error_pct": r.error_pct,
                    "ok": r.ok,
                }
                for r in rows
            ]
        )
        raise SystemExit(1 if off else 0)
    click.echo(format_rows(rows))
    click.echo(f"{len(rows) - len(off)} of {len(rows)} within 10% of the computed share")
    if off:
        raise SystemExit(1)


@packets.command()
def status() -> None:
    """Namespaces of a packet lab that exist now."""
    from lab.packets.netns import stale_namespaces

    names = stale_namespaces()
    click.echo(f"{len(names)} packet-lab namespace(s)" + (": " + ", ".join(names) if names else ""))


@packets.command()
def down() -> None:
    """Remove every namespace, process and the account a packet lab left."""
    from lab.packets.lab import remove_stale

    removed = remove_stale()
    click.echo(f"removed {len(removed)} namespace(s)")
