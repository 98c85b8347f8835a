"""Alembic environment for netops.

Run programmatically by :func:`netops.storage.db.upgrade` (which passes its engine in
``config.attributes["engine"]``), or from the command line for developers::

    NETOPS_DATABASE_URL=sqlite:////tmp/dev.db alembic -c netops/migrations/alembic.ini upgrade head

Without an engine the URL is ``sqlalchemy.url`` from the ini file if set, else the netops settings
(``NETOPS_DATABASE_URL`` or the default SQLite file).
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import TypeDecorator
from sqlalchemy.engine import Connection, Engine

# Every module defining tables must be imported so autogenerate sees them.
import netops.storage.bandwidth_tables  # noqa: F401
import netops.storage.models  # noqa: F401
import netops.storage.telemetry  # noqa: F401
from netops.storage.base import Base
from netops.storage.db import lock_writers, make_engine, writer_connection

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Migrations must not import model code (it changes; migrations are frozen): render our
    # TypeDecorators (e.g. UTCDateTime) as the plain SQLAlchemy type they store as.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
        # SQLite runs DDL in a transaction (db.py turns pysqlite's own handling off): a kill
        # midway leaves the database as it was, never tables without an alembic_version.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from netops.settings import get_settings

    return get_settings().resolved_database_url()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given: Engine | None = config.attributes.get("engine")
    owned = given is None
    engine = given if given is not None else make_engine(_url())
    try:
        with writer_connection(engine.connect()) as connection, connection.begin():
            # One upgrade at a time: the second waits, then finds the schema at the head.
            lock_writers(connection)
            _configure_and_run(connection)
    finally:
        if owned:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
