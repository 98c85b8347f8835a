"""Errors are one line, exit codes follow docs/cli.md, read-only commands create no database."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from netops.cli.main import cli, one_line


def test_storage_error_prints_one_line_without_sql_or_parameters() -> None:
    message = (
        "sync failed, nothing was changed: (sqlite3.IntegrityError) UNIQUE constraint failed: "
        "agencies.key\n[SQL: INSERT INTO agencies (key) VALUES (?)]\n[parameters: ('x',)]\n"
        "(Background on this error at: https://sqlalche.me/e/20/gkpj)"
    )
    line = one_line(message)
    assert "\n" not in line and "[SQL" not in line and "parameters" not in line
    assert line.endswith("UNIQUE constraint failed: agencies.key")


def test_database_url_with_a_non_numeric_port_is_one_error_line_exit_1() -> None:
    result = CliRunner().invoke(
        cli, ["db", "current", "--database-url", "postgresql+psycopg://u@h:abc/db"]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "invalid database URL" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_read_only_commands_create_no_database_file(tmp_path: Path) -> None:
    db = tmp_path / "data" / "netops.db"
    url = f"sqlite:///{db}"
    runner = CliRunner()
    current = runner.invoke(cli, ["db", "current", "--database-url", url])
    assert current.exit_code == 1 and "no database file" in current.output
    show = runner.invoke(cli, ["inventory", "show", "device", "core1", "--database-url", url])
    assert show.exit_code == 1 and "run `netops inventory sync`" in show.output
    assert not db.exists() and not db.parent.exists()


def test_poll_once_with_a_missing_inventory_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["poll", "once", "-i", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "inventory file not found" in result.output


def test_topology_check_on_an_old_database_says_run_db_upgrade(tmp_path: Path) -> None:
    from netops.storage import db as storage
    from tests.helpers import MINI

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = storage.make_engine(url)
    try:
        storage.upgrade(engine, "0001")
    finally:
        engine.dispose()
    result = CliRunner().invoke(cli, ["topology", "check", "-i", str(MINI), "--database-url", url])
    assert result.exit_code == 1
    assert "run netops db upgrade" in result.output and "no such table" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_every_command_group_spells_inventory_and_database_options_alike() -> None:
    import click

    from netops.cli.main import cli as root

    ctx = click.Context(root)
    for group_name in root.list_commands(ctx):
        group = root.get_command(ctx, group_name)
        commands = group.commands.values() if isinstance(group, click.Group) else [group]
        for command in commands:
            for param in command.params:
                opts = set(param.opts)
                if "--inventory" in opts:
                    assert "-i" in opts, f"{group_name} {command.name}: --inventory without -i"
                if opts & {"--db", "--database", "--db-url"}:
                    assert "--database-url" in opts, f"{group_name} {command.name}: {opts}"
