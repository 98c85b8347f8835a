"""``netops inventory``: check, sync and show inventory.yaml.

Exit codes: 0 valid / done; 1 invalid inventory, unknown name or database failure; 2 usage error
(bad option, missing file).  Only click and netops core are imported here; storage modules are
imported inside the commands that need them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import click

from netops.errors import InventoryError, NetopsError, Problem, StorageError
from netops.settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from netops.inventory.loader import LoadedInventory

INVENTORY_HELP = "Inventory file (default: NETOPS_INVENTORY or ./inventory.yaml)."
DATABASE_HELP = (
    "SQLAlchemy URL (default: NETOPS_DATABASE_URL or the SQLite file in NETOPS_DATA_DIR)."
)
STRICT_HELP = "Treat warnings (guarantees above capacity) as errors."


def _inventory_path(given: Path | None) -> Path:
    path = given if given is not None else get_settings().inventory
    if not path.is_file():
        # Exit code 2, like any other usage error: the command could not even start.
        raise click.UsageError(f"inventory file not found: {path}")
    return path


def _read(path: Path, strict: bool) -> tuple[LoadedInventory, str]:
    """Load the inventory from the bytes that are hashed, so the hash matches what was applied."""
    from netops.inventory.loader import load_inventory_text

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise click.UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InventoryError(
            [Problem(str(path), 0, "", f"not UTF-8 text (byte {exc.start})")]
        ) from None
    loaded = load_inventory_text(text, str(path), strict=strict)
    return loaded, hashlib.sha256(raw).hexdigest()


def _print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _fail(exc: InventoryError) -> None:
    _print_problems(exc.problems)
    errors = sum(1 for p in exc.problems if p.severity == "error")
    warnings = len(exc.problems) - errors
    click.echo(f"invalid: {errors} error(s), {warnings} warning(s)", err=True)
    raise SystemExit(1)


def _engine(database_url: str | None) -> Engine:
    from netops.storage.db import make_engine, upgrade

    url = database_url or get_settings().resolved_database_url()
    engine = make_engine(url)
    upgrade(engine)
    return engine


@click.group()
def inventory() -> None:
    """Check, sync and show inventory.yaml."""


@inventory.command()
@click.option("-i", "--inventory", "path", type=click.Path(path_type=Path), help=INVENTORY_HELP)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
def check(path: Path | None, strict: bool) -> None:
    """Validate the inventory and print every problem as FILE:LINE PATH: MESSAGE.

    Exit 0 if valid (warnings are printed), 1 if invalid, 2 if the file is missing.
    """
    source = _inventory_path(path)
    try:
        loaded, _ = _read(source, strict)
    except InventoryError as exc:
        _fail(exc)
        return
    _print_problems(loaded.warnings)
    inv = loaded.inventory
    click.echo(
        f"{source}: valid ({len(inv.devices)} devices, {len(inv.agencies)} agencies, "
        f"{len(inv.links)} links, {len(loaded.warnings)} warning(s))"
    )


@inventory.command()
@click.option("-i", "--inventory", "path", type=click.Path(path_type=Path), help=INVENTORY_HELP)
@click.option("--strict", is_flag=True, help=STRICT_HELP)
@click.option("--database-url", help=DATABASE_HELP)
@click.option("--dry-run", is_flag=True, help="Show what would change, then roll back.")
@click.option("--brief", is_flag=True, help="Counts by kind instead of one line per change.")
def sync(
    path: Path | None, strict: bool, database_url: str | None, dry_run: bool, brief: bool
) -> None:
    """Apply the inventory to the database in one transaction and print what changed.

    Entries removed from the file are retired (kept with their history), entries that come back
    are restored.  An invalid inventory changes nothing (exit 1).  A sync that changes nothing
    prints "no changes" and records no revision.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from netops.cli.output import progress
    from netops.storage.db import session_factory
    from netops.storage.sync import sync_inventory

    source = _inventory_path(path)
    try:
        with progress(f"validating {source.name}"):
            loaded, sha256 = _read(source, strict)
    except InventoryError as exc:
        _fail(exc)
        return
    _print_problems(loaded.warnings)
    engine = _engine(database_url)
    try:
        with session_factory(engine)() as session:
            try:
                with progress("syncing") as step:
                    report = sync_inventory(
                        session,
                        loaded.inventory,
                        source=str(source.resolve()),
                        sha256=sha256,
                        progress=step,
                    )
                if dry_run:
                    session.rollback()
                else:
                    session.commit()
            except BaseException:
                session.rollback()
                raise
    except SQLAlchemyError as exc:
        raise StorageError(f"sync failed, nothing was changed: {exc}") from None
    finally:
        engine.dispose()
    click.echo(report.counts() if brief else report.summary())
    if dry_run and not report.empty:
        click.echo("dry run: nothing was written")
    elif report.revision_id is not None:
        click.echo(
            f"revision {report.revision_id}: {len(report.added)} added, "
            f"{len(report.changed)} changed, {len(report.retired)} retired"
        )


@inventory.command()
@click.argument("kind", type=click.Choice(["agency", "device"]))
@click.argument("name")
@click.option("--database-url", help=DATABASE_HELP)
def show(kind: str, name: str, database_url: str | None) -> None:
    """Show an agency (by code) or a device (by hostname) as stored in the database.

    Exit 1 with a "did you mean" if the name is unknown.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from netops.storage.db import session_factory
    from netops.storage.describe import describe_agency, describe_device

    url = database_url or get_settings().resolved_database_url()
    from netops.storage.db import sqlite_file_missing

    if sqlite_file_missing(url):  # read-only: say what describe says, create no file
        plural = "agencies" if kind == "agency" else "devices"
        click.echo(
            f"error: unknown {kind} '{name}': no {plural} in the database "
            "(run `netops inventory sync`)",
            err=True,
        )
        raise SystemExit(1)
    engine = _engine(url)
    try:
        with session_factory(engine)() as session:
            describe = describe_agency if kind == "agency" else describe_device
            lines = describe(session, name)
    except NetopsError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    except SQLAlchemyError as exc:
        raise StorageError(f"cannot read the database: {exc}") from None
    finally:
        engine.dispose()
    click.echo("\n".join(lines))
