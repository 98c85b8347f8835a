"""``netops``: the command-line entry point.

Sub-command groups live in their own modules and are imported only when invoked, so ``netops
--help`` stays fast and no module does work at import time.

Exit codes: 0 success; 1 the command ran and found problems (invalid inventory, failed devices,
drift); 2 usage error (bad option, missing file).
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from netops.errors import InventoryError, NetopsError

# name -> "module:attribute" of a click command or group
SUBCOMMANDS: dict[str, str] = {
    "inventory": "netops.cli.inventory:inventory",
    "lab": "netops.cli.lab:lab",
    "poll": "netops.cli.poll:poll",
    "topology": "netops.cli.topology:topology",
    "bandwidth": "netops.cli.bandwidth:bandwidth",
    "demo": "netops.cli.demo:demo",
    "db": "netops.cli.db:db",
}

HELP: dict[str, str] = {
    "inventory": "Check, sync and show inventory.yaml.",
    "lab": "Run simulated devices for the inventory over SSH on loopback.",
    "poll": "Poll devices: once, or on schedule.",
    "topology": "Paths, weak points, what-if failures and fiber plans.",
    "bandwidth": "Agency quotas: plan, shares, usage, diff, apply, drift, boost.",
    "demo": "Simulated intranet from the sample inventory, polled and stored.",
    "db": "Database: upgrade to the latest schema.",
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        module = importlib.import_module(module_name)
        command = getattr(module, attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except InventoryError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} problem(s) found", err=True)
            sys.exit(1)
        except NetopsError as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            sys.exit(1)


def one_line(message: str) -> str:
    """An error as one line: a database driver's message keeps its first line, never the SQL
    statement and parameters SQLAlchemy appends (``[SQL: ...]``, ``[parameters: ...]``)."""
    head = message.split("\n[SQL:", 1)[0]
    lines = [ln.strip() for ln in head.splitlines() if ln.strip()]
    text = " ".join(lines)
    return text if len(text) <= 400 else text[:397] + "..."


@click.group(cls=LazyGroup)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.version_option(package_name="netops")
def cli(verbose: int) -> None:
    """netops: inventory, device lab, collectors, topology and bandwidth quotas for a regency
    intranet run by Diskominfo."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from netops.cli.output import configure

    configure()  # tables fit the terminal, or stay plain for pipes


if __name__ == "__main__":  # pragma: no cover
    cli()
