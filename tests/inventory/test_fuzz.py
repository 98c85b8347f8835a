"""Property-based tests: mutated inventories (deleted keys, changed types, swapped references,
hostile strings, deep nesting, garbage YAML) only ever produce InventoryError from the loader, and
a ``netops inventory sync`` with an invalid one leaves the database exactly as it was."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.engine import Engine

import netops.storage.bandwidth_tables  # noqa: F401  (tables in the dump)
import netops.storage.telemetry  # noqa: F401
from netops.cli.main import cli
from netops.errors import InventoryError
from netops.inventory import load_inventory_text
from netops.storage.base import Base
from netops.storage.db import make_engine
from tests.helpers import MINI

MINI_TEXT = MINI.read_text(encoding="utf-8")
MINI_DOC: dict[str, Any] = yaml.safe_load(MINI_TEXT)

HOSTILE_STRINGS = [
    "; reboot",
    "$(rm -rf /)",
    "`id`",
    "a\nb",
    "x\r\n/system reset-configuration",
    "../../etc/passwd",
    "' OR 1=1 --",
    "\x00",
    "\x1b[2J",
    "é" * 70,
    "dist-sawan",
    "1e400",
    "NaN",
    "10.10.1.0/33",
    "2026-13-45T99:00:00",
    "core1",
    "ether2",
    "opd",
    "",
]


GARBAGE = [":", "- ", "[", "{", "\t", "&a", "*a", "!!python/name:os.system", "%", '"', "\n  "]
GARBAGE += ["\x00", "}", "]]]", "<<: *a", "? ", "|", ">-", "---\n", "\ufeff"]


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


hostile_values = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=80),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.integers(min_value=5, max_value=150).map(_nested),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_paths(value, (*prefix, i)))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def _mutate(doc: Any, draw: st.DrawFn) -> Any:
    paths = [p for p in _paths(doc) if p]
    if not paths:
        return draw(hostile_values)
    path = draw(st.sampled_from(paths))
    parent = _get(doc, path[:-1])
    last = path[-1]
    op = draw(st.sampled_from(["delete", "replace", "swap", "duplicate", "rename"]))
    if op == "delete":
        del parent[last]
    elif op == "replace":
        parent[last] = draw(hostile_values)
    elif op == "swap":
        other = draw(st.sampled_from(paths))
        try:
            other_parent = _get(doc, other[:-1])
            a, b = parent[last], other_parent[other[-1]]
            parent[last], other_parent[other[-1]] = b, a
        except (KeyError, IndexError, TypeError):
            pass  # the other path vanished in an earlier swap: nothing to do
    elif op == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    elif op == "rename" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["nmae", "hostname", "code", "x" * 70, "1"]))] = parent.pop(
            last
        )
    return doc


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """YAML text: the mini inventory with 1-3 structural mutations, or with its text garbled."""
    if draw(st.integers(0, 4)) == 0:
        text = MINI_TEXT
        for _ in range(draw(st.integers(1, 4))):
            pos = draw(st.integers(0, len(text)))
            junk = draw(st.sampled_from(GARBAGE))
            cut = draw(st.integers(0, 3))
            text = text[:pos] + junk + text[pos + cut :]
        return text
    doc = copy.deepcopy(MINI_DOC)
    for _ in range(draw(st.integers(1, 3))):
        doc = _mutate(doc, draw)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _assert_clean(exc: InventoryError, name: str) -> None:
    assert exc.problems, "an InventoryError must say what is wrong"
    for problem in exc.problems:
        assert problem.file == name
        assert problem.line >= 0
        assert problem.message
        assert str(problem).startswith(name)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_documents())
def test_loader_only_ever_raises_inventory_error(text: str) -> None:
    try:
        loaded = load_inventory_text(text, "inventory.yaml")
    except InventoryError as exc:
        _assert_clean(exc, "inventory.yaml")
    else:
        assert loaded.inventory.region


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_loader_survives_arbitrary_text(text: str) -> None:
    try:
        load_inventory_text(text, "inventory.yaml")
    except InventoryError as exc:
        _assert_clean(exc, "inventory.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "a: " + "{b: " * 20_000 + "1" + "}" * 20_000,
        "- " * 30_000 + "x",
        # Billion laughs: 10 levels of 10 aliases, 10^10 nodes if followed naively.
        "a0: &a0 [" + ", ".join(["x"] * 10) + "]\n"
        + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)),
    ],
    ids=["deep-flow-list", "deep-flow-mapping", "deep-block-list", "billion-laughs"],
)
def test_pathological_yaml_is_an_inventory_error(text: str) -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory_text(text, "inventory.yaml")
    _assert_clean(info.value, "inventory.yaml")


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table netops defines (all modules Alembic's env imports)."""
    with engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in Base.metadata.sorted_tables
        }


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=mutated_documents())
def test_sync_of_a_mutated_inventory_changes_nothing_unless_it_is_valid(
    db_url: str, tmp_path: Path, text: str
) -> None:
    # One database for all examples: each example compares against the state before it.
    path = tmp_path / "inventory.yaml"
    sync: Callable[[], Any] = lambda: CliRunner().invoke(  # noqa: E731
        cli, ["inventory", "sync", "-i", str(path), "--database-url", db_url]
    )
    engine = make_engine(db_url)
    try:
        if not path.exists():
            path.write_text(MINI_TEXT, encoding="utf-8")
            assert sync().exit_code == 0
        before = _dump(engine)
        path.write_text(text, encoding="utf-8")
        result = sync()
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert _dump(engine) == before
    finally:
        engine.dispose()
