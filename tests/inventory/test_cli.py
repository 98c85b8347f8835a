"""``netops inventory`` and ``netops db`` through click, against real databases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from netops.cli.main import cli
from tests.helpers import edit_file, line_of


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    # Defaults (inventory path, data dir) must never point at the developer's own files.
    monkeypatch.setenv("NETOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NETOPS_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


# --- check -------------------------------------------------------------------------------------


def test_check_valid_inventory_exits_0(run: Callable[..., Result], mini_copy: Path) -> None:
    result = run("inventory", "check", "--inventory", str(mini_copy))
    assert result.exit_code == 0
    assert result.stdout == (f"{mini_copy}: valid (4 devices, 3 agencies, 3 links, 0 warning(s))\n")


def test_check_uses_inventory_yaml_in_current_directory_by_default(
    run: Callable[..., Result], mini_copy: Path
) -> None:
    result = run("inventory", "check")
    assert result.exit_code == 0
    assert "inventory.yaml: valid" in result.stdout


def test_check_invalid_inventory_exits_1_and_prints_every_problem(
    run: Callable[..., Result], mini_copy: Path
) -> None:
    edit_file(
        mini_copy, "b: {device: rsud-gw, interface: eth0}", "b: {device: rsud-g, interface: eth0}"
    )
    edit_file(mini_copy, "    down_mbps: 200\n", "    down_mbps: 150\n")
    result = run("inventory", "check", "-i", str(mini_copy))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{mini_copy}:{line_of(mini_copy, '- name: opd')} groups: warning: guaranteed download of "
        "the groups adds up to 160 Mbit/s (opd 120, kecamatan 40), above the uplinks' "
        "150 Mbit/s (isp-a 150)",
        f"{mini_copy}:{line_of(mini_copy, 'rsud-g,')} links[1].b.device: unknown device 'rsud-g' "
        "(did you mean 'rsud-gw'?)",
        "invalid: 1 error(s), 1 warning(s)",
    ]


def test_check_warnings_exit_0_but_strict_exits_1(
    run: Callable[..., Result], mini_copy: Path
) -> None:
    edit_file(mini_copy, "    down_mbps: 200\n", "    down_mbps: 150\n")
    relaxed = run("inventory", "check", "-i", str(mini_copy))
    assert relaxed.exit_code == 0
    assert "warning: guaranteed download of the groups" in relaxed.stderr
    assert "1 warning(s)" in relaxed.stdout
    strict = run("inventory", "check", "-i", str(mini_copy), "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "invalid: 0 error(s), 1 warning(s)"


def test_check_missing_file_exits_2(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("inventory", "check", "-i", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert f"inventory file not found: {tmp_path / 'nope.yaml'}" in result.stderr


def test_check_binary_garbage_is_a_clear_error(run: Callable[..., Result], tmp_path: Path) -> None:
    path = tmp_path / "inventory.yaml"
    path.write_bytes(b"version: 1\n\xff\xfe\x00garbage")
    result = run("inventory", "check", "-i", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path} not UTF-8 text (byte 11)"


def test_unknown_option_is_a_usage_error(run: Callable[..., Result]) -> None:
    assert run("inventory", "check", "--nope").exit_code == 2


def _command_paths() -> list[tuple[str, ...]]:
    """Every group and command reachable from ``netops``, walked through click itself."""
    found: list[tuple[str, ...]] = []

    def walk(group: click.Group, ctx: click.Context, path: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None, f"{' '.join((*path, name))} is listed but does not load"
            found.append((*path, name))
            if isinstance(cmd, click.Group):
                walk(cmd, click.Context(cmd, info_name=name, parent=ctx), (*path, name))

    walk(cli, click.Context(cli, info_name="netops"), ())
    return found


def test_command_walk_reaches_every_documented_group() -> None:
    groups = {path[0] for path in _command_paths()}
    assert {"inventory", "db", "lab", "poll", "topology", "bandwidth", "demo"} <= groups


@pytest.mark.parametrize("args", _command_paths(), ids=" ".join)
def test_help_on_every_command(run: Callable[..., Result], args: tuple[str, ...]) -> None:
    result = run(*args, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: cli {' '.join(args)}")


# --- sync and show ------------------------------------------------------------------------------


def test_sync_then_sync_again_prints_no_changes(
    run: Callable[..., Result], mini_copy: Path, db_url: str
) -> None:
    first = run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url)
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0] == "added (34):"
    assert "  device core1" in lines
    assert lines[-1] == "revision 1: 34 added, 0 changed, 0 retired"
    second = run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url)
    assert second.exit_code == 0
    assert second.stdout == "no changes\n"


def test_sync_prints_changed_and_retired_with_names(
    run: Callable[..., Result], mini_copy: Path, db_url: str
) -> None:
    assert run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url).exit_code == 0
    edit_file(mini_copy, "      - {name: ether4, speed_mbps: 1000, agency: diskominfo}\n", "")
    edit_file(mini_copy, "    model: LHG 5 ac\n", "    model: LHG 5 ac XL\n")
    result = run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "changed (1):",
        "  device ptp-utara (model)",
        "retired (1):",
        "  interface core1:ether4",
        "revision 2: 0 added, 1 changed, 1 retired",
    ]


def test_sync_brief_prints_counts_by_kind(
    run: Callable[..., Result], mini_copy: Path, db_url: str
) -> None:
    result = run("inventory", "sync", "--brief", "-i", str(mini_copy), "--database-url", db_url)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "added: 1 credential, 2 group, 3 agency, 5 quota, 1 boost, 3 site, 4 device, "
        "10 interface, 1 uplink, 3 link, 1 shaper"
    )
    assert lines[-1] == "revision 1: 34 added, 0 changed, 0 retired"


def test_sync_of_invalid_inventory_exits_1_and_writes_nothing(
    run: Callable[..., Result], mini_copy: Path, db_url: str
) -> None:
    assert run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url).exit_code == 0
    edit_file(mini_copy, "    model: LHG 5 ac\n", "    model: LHG 5 ac XL\n")
    edit_file(mini_copy, "    site: kec-utara\n", "    site: kec-utar\n")
    result = run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url)
    assert result.exit_code == 1
    assert "unknown site 'kec-utar' (did you mean 'kec-utara'?)" in result.stderr
    shown = run("inventory", "show", "device", "ptp-utara", "--database-url", db_url)
    assert "  model:       LHG 5 ac\n" in shown.stdout


def test_sync_dry_run_writes_nothing(
    run: Callable[..., Result], mini_copy: Path, db_url: str
) -> None:
    dry = run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url, "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout.splitlines()[-1] == "dry run: nothing was written"
    real = run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url)
    # Everything is added again: the dry run left nothing behind (on PostgreSQL the rolled-back
    # revision still used up its sequence number, so the id is not checked).
    assert real.stdout.splitlines()[0] == "added (34):"
    assert real.stdout.splitlines()[-1].endswith(": 34 added, 0 changed, 0 retired")


def test_sync_uses_the_default_sqlite_database(
    run: Callable[..., Result], mini_copy: Path, tmp_path: Path
) -> None:
    assert run("inventory", "sync").exit_code == 0
    assert (tmp_path / "data" / "netops.db").is_file()
    shown = run("inventory", "show", "agency", "rsud")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[0] == "agency rsud: RSUD Kabupaten Contoh (rsud)"


def test_show_agency_and_device(run: Callable[..., Result], mini_copy: Path, db_url: str) -> None:
    assert run("inventory", "sync", "-i", str(mini_copy), "--database-url", db_url).exit_code == 0
    agency = run("inventory", "show", "agency", "kec-utara", "--database-url", db_url)
    assert agency.exit_code == 0
    assert agency.stdout.splitlines() == [
        "agency kec-utara: Kecamatan Utara (kecamatan)",
        "  status:   current",
        "  group:    kecamatan",
        "  subnets:  10.20.1.0/24",
        "  quota:    down 20/60 Mbit/s, up 10/30 Mbit/s (guaranteed/maximum), priority 4",
        "  boost:    2026-05-31 16:00 to 2026-06-07 16:00 UTC: maximum down 90 Mbit/s (PPDB)",
        "  sites:    kec-utara",
        "  ports:    ptp-utara ether1",
    ]
    device = run("inventory", "show", "device", "ptp-utara", "--database-url", db_url)
    assert device.exit_code == 0
    assert device.stdout.splitlines() == [
        "device ptp-utara (mikrotik_routeros, wireless-ptp)",
        "  status:      current",
        "  site:        kec-utara",
        "  mgmt:        10.255.0.4:22",
        "  model:       LHG 5 ac",
        "  credentials: lab (user netops, password from NETOPS_LAB_PASSWORD)",
        "  interfaces:",
        "    wlan1                  300 Mbit/s; wireless link to core1 ether3 (300 Mbit/s, "
        '6.5 km); "ptp to core1"',
        "    ether1                 100 Mbit/s; LAN of kec-utara",
    ]


def test_show_retired_device_says_since_when(
    run: Callable[..., Result], mini_copy: Path, sqlite_url: str
) -> None:
    assert (
        run("inventory", "sync", "-i", str(mini_copy), "--database-url", sqlite_url).exit_code == 0
    )
    text = mini_copy.read_text(encoding="utf-8")
    start, end = text.index("  - hostname: ptp-utara"), text.index("\nlinks:") + 1
    text = text[:start] + text[end:]
    mini_copy.write_text(
        text.replace("  - {a: {device: core1, interface: ether3}", "  # "), "utf-8"
    )
    assert (
        run("inventory", "sync", "-i", str(mini_copy), "--database-url", sqlite_url).exit_code == 0
    )
    shown = run("inventory", "show", "device", "ptp-utara", "--database-url", sqlite_url)
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[1].startswith("  status:      retired since ")


def test_show_unknown_name_exits_1_with_did_you_mean(
    run: Callable[..., Result], mini_copy: Path, sqlite_url: str
) -> None:
    assert (
        run("inventory", "sync", "-i", str(mini_copy), "--database-url", sqlite_url).exit_code == 0
    )
    result = run("inventory", "show", "agency", "rsd", "--database-url", sqlite_url)
    assert result.exit_code == 1
    assert result.stderr == "error: unknown agency 'rsd' (did you mean 'rsud'?)\n"


def test_show_on_empty_database_says_to_sync(run: Callable[..., Result], sqlite_url: str) -> None:
    result = run("inventory", "show", "device", "core1", "--database-url", sqlite_url)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown device 'core1': no devices in the database (run `netops inventory sync`)\n"
    )


def test_show_rejects_other_kinds(run: Callable[..., Result]) -> None:
    assert run("inventory", "show", "site", "dc").exit_code == 2


# --- db -----------------------------------------------------------------------------------------


def test_db_upgrade_then_current_is_up_to_date(run: Callable[..., Result], db_url: str) -> None:
    first = run("db", "upgrade", "--database-url", db_url)
    assert first.exit_code == 0
    assert "upgraded from empty to " in first.stdout
    again = run("db", "upgrade", "--database-url", db_url)
    assert "already at " in again.stdout
    current = run("db", "current", "--database-url", db_url)
    assert current.stdout.rstrip().endswith(": up to date")


def test_db_upgrade_unreachable_server_exits_1_without_traceback(
    run: Callable[..., Result],
) -> None:
    result = run(
        "db",
        "upgrade",
        "--database-url",
        "postgresql+psycopg://u:pw@127.0.0.1:1/x?connect_timeout=2",
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: cannot ")
    assert "Traceback" not in result.output
    assert ":pw@" not in result.output
