"""The import contracts of pyproject.toml ([tool.importlinter], docs/architecture.md) hold on this
tree, and a deliberate reverse import into a copy of the tree is reported by ``lint-imports``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("netops", "collectors", "topology", "lab", "webui")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the packages in ``tree`` with ``tree``'s pyproject.toml, uncached."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command as c; "
            "sys.exit(c(['--no-cache']))",
        ],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(dest: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(
            ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_import_contracts_hold_on_this_tree() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken", "named"),
    [
        # storage reaching up into the CLI: against the layer stack
        (
            "netops/storage/db.py",
            "from netops.cli import main as _reverse",
            "each layer imports only the layers below it BROKEN",
            "netops.storage.db -> netops.cli.main",
        ),
        # a parser importing the bandwidth manager again (the cycle this layering removed)
        (
            "collectors/parsers/ios_qos.py",
            "from netops.bandwidth import cisco as _reverse",
            "each layer imports only the layers below it BROKEN",
            "collectors.parsers.ios_qos -> netops.bandwidth.cisco",
        ),
        # topology and bandwidth are peers
        (
            "topology/report.py",
            "from netops.bandwidth import plan as _peer",
            "neither imports the other BROKEN",
            "topology.report -> netops.bandwidth.plan",
        ),
        # the web UI opening an SSH session itself
        (
            "webui/__init__.py",
            "import netmiko as _ssh",
            "never imports an SSH or device module (it goes through the core) BROKEN",
            "webui -> netmiko",
        ),
        # the simulator borrowing the client's connection code
        (
            "lab/api.py",
            "from collectors import connect as _client",
            "BROKEN",
            "lab.api -> collectors.connect",
        ),
        # a migration importing model code
        (
            "netops/migrations/versions/0005_merge_heads.py",
            "from netops.storage import models as _models",
            "Migrations never import model code BROKEN",
            "netops.storage.models",
        ),
        # a cycle inside one package (topology.model uses topology.drift)
        (
            "topology/drift.py",
            "from topology import model as _cycle",
            "No import cycles between the modules of one package BROKEN",
            "No cycles are allowed in topology",
        ),
    ],
)
def test_a_deliberate_reverse_import_is_reported(
    tmp_path: Path, module: str, line: str, broken: str, named: str
) -> None:
    tree = _copy_tree(tmp_path)
    target = tree / module
    target.write_text(target.read_text() + f"\n{line}  # deliberate, for the test\n")
    result = _lint_imports(tree)
    out = " ".join(result.stdout.split())
    assert result.returncode == 1, result.stdout + result.stderr
    assert " ".join(broken.split()) in out
    assert named in out
