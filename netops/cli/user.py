"""``netops user``: people who log in to the web UI and the API.

``add`` asks for the password twice (or reads one line from stdin with ``--password-stdin``),
``token`` prints a new API token once (only its hash is stored).  Every change is audited in
``user_events`` with the OS user as actor.

Exit codes: 0 done; 1 refused (unknown user or agency, duplicate, short password); 2 usage error.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlalchemy.orm import Session

from netops.auth.models import LANGUAGES, ROLES
from netops.cli.db import DATABASE_HELP
from netops.settings import get_settings

T = TypeVar("T")


@contextmanager
def _session(database_url: str | None) -> Iterator[Session]:
    from netops.storage.db import make_engine, session_factory, upgrade

    engine = make_engine(database_url or get_settings().resolved_database_url())
    try:
        upgrade(engine)
        with session_factory(engine)() as session:
            yield session
            session.commit()
    finally:
        engine.dispose()


def _actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


database_option = click.option("--database-url", help=DATABASE_HELP)
stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)


@click.group()
def user() -> None:
    """Users of the web UI and API: add, list, disable, passwd, token."""


def _run(database_url: str | None, op: Callable[[Session], T]) -> T:
    """Run ``op`` in one committed session on the (upgraded) database."""
    with _session(database_url) as session:
        return op(session)


@user.command()
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--agency", "agency_code", help="Agency code (role agency only).")
@click.option("--language", type=click.Choice(LANGUAGES), default="id", show_default=True)
@click.option("--name", "display_name", default="", help="Display name.")
@stdin_option
@database_option
def add(
    username: str,
    role: str,
    agency_code: str | None,
    language: str,
    display_name: str,
    password_stdin: bool,
    database_url: str | None,
) -> None:
    """Create a user with a password."""
    from netops.auth.store import add_user

    password = _password(password_stdin)
    _run(
        database_url,
        lambda s: add_user(
            s,
            username,
            role,
            password,
            agency_code=agency_code,
            language=language,
            display_name=display_name,
            actor=_actor(),
        ),
    )
    who = f" of agency {agency_code}" if agency_code else ""
    click.echo(f"user {username} added: {role}{who}")


@user.command(name="list")
@database_option
def list_(database_url: str | None) -> None:
    """Users with role, agency, language, state and last login."""
    from netops.auth.store import list_users
    from netops.bandwidth.report import table

    def rows(s: Session) -> list[list[str]]:
        return [
            [
                u.username,
                u.role,
                u.agency_code or "-",
                u.language,
                "disabled" if u.disabled else "active",
                u.last_login_at.strftime("%Y-%m-%d %H:%M UTC") if u.last_login_at else "never",
            ]
            for u in list_users(s)
        ]

    found = _run(database_url, rows)
    if not found:
        click.echo("no users (add one with: netops user add NAME --role admin)")
        return
    headers = ["user", "role", "agency", "lang", "state", "last login"]
    click.echo("\n".join(table(headers, found)))


@user.command()
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the user again instead.")
@database_option
def disable(username: str, enable: bool, database_url: str | None) -> None:
    """Stop a user from logging in (sessions and API tokens stop working)."""
    from netops.auth.store import set_disabled

    _run(database_url, lambda s: set_disabled(s, username, not enable, actor=_actor()))
    click.echo(f"user {username} {'enabled' if enable else 'disabled'}")


@user.command()
@click.argument("username")
@stdin_option
@database_option
def passwd(username: str, password_stdin: bool, database_url: str | None) -> None:
    """Set a user's password."""
    from netops.auth.store import require_user, set_password

    _run(database_url, lambda s: require_user(s, username))
    password = _password(password_stdin)
    _run(database_url, lambda s: set_password(s, username, password, actor=_actor()))
    click.echo(f"password of {username} changed")


@user.command()
@click.argument("username")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
@database_option
def token(username: str, name: str, database_url: str | None) -> None:
    """Issue an API token (printed once: send it as 'Authorization: Bearer TOKEN')."""
    from netops.auth.store import issue_token

    issued = _run(database_url, lambda s: issue_token(s, username, name, actor=_actor()))
    click.echo(issued.token)
