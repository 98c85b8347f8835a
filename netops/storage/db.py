"""Engines, sessions and schema upgrades.

SQLite (a file under ``NETOPS_DATA_DIR``) is the default; it is opened with foreign keys on, WAL
journaling and a busy timeout so the poller and the CLI can share it.  PostgreSQL is selected with
``NETOPS_DATABASE_URL=postgresql+psycopg://user@host/dbname``.  The schema is managed by Alembic;
:func:`upgrade` runs the migrations shipped in ``netops/migrations`` with no ``alembic.ini``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from netops.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

    from netops.settings import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 10_000
WRITER_LOCK_KEY = 0x6E6F  # "no": with the schema's hash, the PostgreSQL advisory lock of writers
_SQLITE_BEGIN = {"": "BEGIN", "IMMEDIATE": "BEGIN IMMEDIATE"}


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    # pysqlite's own transaction handling commits before DDL and never BEGINs for it: turn it
    # off and let the "begin" listener emit BEGIN, so migrations are transactional on SQLite
    # (SQLAlchemy's documented recipe for SQLite transactional DDL).
    dbapi_connection.isolation_level = None
    # Foreign keys are off by default in SQLite, per connection; WAL lets readers (web UI, CLI)
    # run while the poller writes.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` (``sqlite:///path.db`` or ``postgresql+psycopg://...``).

    For a SQLite file the parent directory is created.  Raises :class:`StorageError` if the URL is
    malformed or names a driver that is not installed.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise StorageError(f"invalid database URL: {exc}") from None
    kwargs: dict[str, Any] = {}
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite:
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create directory for {database}: {exc}") from None
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError, SQLAlchemyError) as exc:
        raise StorageError(
            f"cannot use database URL {parsed.render_as_string(hide_password=True)}: {exc}"
        ) from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(conn: Connection) -> None:
    mode = str(conn.get_execution_options().get("sqlite_begin", ""))
    conn.exec_driver_sql(_SQLITE_BEGIN[mode])


def writer_connection(conn: Connection) -> Connection:
    """``conn`` set up so its next transaction is the database's only writer: on SQLite it
    starts with ``BEGIN IMMEDIATE`` (others wait up to the busy timeout).  Call
    :func:`lock_writers` right after the transaction began (PostgreSQL advisory lock)."""
    if conn.dialect.name == "sqlite":
        return conn.execution_options(sqlite_begin="IMMEDIATE")
    return conn


def lock_writers(conn: Connection) -> None:
    """Serialise schema upgrades and inventory syncs until this transaction ends.

    PostgreSQL: a transaction-scoped advisory lock (``pg_advisory_xact_lock``) per schema, so
    netops databases in other schemas of the server do not wait.  SQLite: the transaction must
    have been begun by a :func:`writer_connection` (``BEGIN IMMEDIATE``).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(current_schema()))"),
            {"key": WRITER_LOCK_KEY},
        )


def lock_session_writers(session: Session) -> None:
    """:func:`lock_writers` for a session; call it before the session's first statement (on
    SQLite the transaction then begins with ``BEGIN IMMEDIATE``)."""
    conn = session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    lock_writers(conn)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A sessionmaker bound to ``engine``; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no ``alembic.ini`` needed).

    With ``engine`` given, ``env.py`` runs on a connection of that engine.
    """
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` to ``revision`` (default: the one head).

    Raises :class:`StorageError` if the database cannot be reached or a migration fails.
    """
    from alembic import command
    from alembic.util import CommandError

    cfg = alembic_config(engine)
    try:
        command.upgrade(cfg, revision)
    except (SQLAlchemyError, CommandError) as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot upgrade database {url}: {exc}") from None


def current_revisions(engine: Engine) -> set[str]:
    """The Alembic revisions the database is at (empty before the first upgrade)."""
    from alembic.runtime.migration import MigrationContext

    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        url = engine.url.render_as_string(hide_password=True)
        raise StorageError(f"cannot read schema version of {url}: {exc}") from None


def head_revisions() -> set[str]:
    """The head revisions shipped with this version of netops."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def sqlite_file_missing(url: str) -> bool:
    """True when ``url`` names an SQLite file that does not exist (read-only commands then
    report an empty database instead of creating the file)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return False
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return False
    return not database.startswith("file:") and not Path(database).expanduser().exists()


def known_revisions() -> set[str]:
    """Every revision shipped with this version of netops."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions(base="base", head="heads")}


def open_database(settings: Settings) -> Engine:
    """Engine for ``settings.resolved_database_url()``, upgraded to the latest schema."""
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    return engine
