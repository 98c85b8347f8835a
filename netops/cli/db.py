"""``netops db``: bring the database to the latest schema, or show where it is.

Exit codes: 0 done (``current``: at the head); 1 the database could not be reached or migrated,
or (``current``) is behind or ahead of this netops's schema; 2 usage error.
"""

from __future__ import annotations

import click

from netops.settings import get_settings

DATABASE_HELP = (
    "SQLAlchemy URL (default: NETOPS_DATABASE_URL or the SQLite file in NETOPS_DATA_DIR)."
)


@click.group()
def db() -> None:
    """Database: upgrade to the latest schema."""


def _url(database_url: str | None) -> str:
    return database_url or get_settings().resolved_database_url()


@db.command()
@click.option("--database-url", help=DATABASE_HELP)
def upgrade(database_url: str | None) -> None:
    """Run every pending migration (Alembic, to the head)."""
    from netops.storage import db as storage

    engine = storage.make_engine(_url(database_url))
    try:
        before = storage.current_revisions(engine)
        storage.upgrade(engine)
        after = storage.current_revisions(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    if before == after:
        click.echo(f"{where}: already at {', '.join(sorted(after))}")
    else:
        was = ", ".join(sorted(before)) or "empty"
        click.echo(f"{where}: upgraded from {was} to {', '.join(sorted(after))}")


@db.command()
@click.option("--database-url", help=DATABASE_HELP)
def current(database_url: str | None) -> None:
    """Print the schema revisions the database is at, and whether it is up to date.

    Exit 0 at the head, 1 when behind (run ``netops db upgrade``) or ahead (a newer netops).
    """
    from netops.storage import db as storage

    url = _url(database_url)
    heads = storage.head_revisions()
    if storage.sqlite_file_missing(url):  # a read-only command creates no database file
        click.echo(
            f"empty (no database file): behind (latest: {', '.join(sorted(heads))}); "
            "run netops db upgrade"
        )
        raise SystemExit(1)
    engine = storage.make_engine(url)
    try:
        at = storage.current_revisions(engine)
    finally:
        engine.dispose()
    known = storage.known_revisions()
    latest = ", ".join(sorted(heads))
    if at == heads:
        click.echo(f"{', '.join(sorted(at))}: up to date")
        return
    if at - known:
        state = f"ahead: {', '.join(sorted(at - known))} unknown to this netops (latest: {latest})"
    else:
        state = f"behind (latest: {latest}); run netops db upgrade"
    click.echo(f"{', '.join(sorted(at)) or 'empty'}: {state}")
    raise SystemExit(1)
