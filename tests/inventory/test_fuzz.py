"""Property-based tests: mutated inventories (deleted keys, changed types, swapped references,
hostile strings, deep nesting, garbage YAML, naive and aware datetimes, huge integers, values at
each column's limit, YAML 1.1 booleans and sexagesimals in numeric fields, alias chains) only ever
produce InventoryError from the loader; ``inventory check`` and ``inventory sync`` agree on every
backend, and a sync of an invalid one leaves the database exactly as it was."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import UTC, timedelta, timezone
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


# at, and one past, each column's limit (names 63, interfaces 64, text 200, refs 128, int4, int8)
AT_LIMITS = ["n" * 63, "n" * 64, "i" * 65, "t" * 200, "t" * 201, "R" * 128, "R" * 129]
AT_LIMITS += [2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1]
# YAML 1.1 spellings that PyYAML's default resolver turns into booleans and sexagesimal numbers
YAML11 = ["yes", "no", "on", "off", "y", "n", "22:22", "1:30:00", "190:20:30.15", "0b101", "0o17"]
YAML11_MARK = re.compile(r"'?@@Y11:([^@]*)@@'?")

hostile_values = st.one_of(
    st.sampled_from(AT_LIMITS),
    st.datetimes(),
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))])),
    st.dates(),
    st.integers(min_value=2**70, max_value=2**200) | st.integers(max_value=-(2**70)),
    st.sampled_from(YAML11).map(lambda t: f"@@Y11:{t}@@"),
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
    op = draw(st.sampled_from(["delete", "replace", "swap", "duplicate", "rename", "yaml11"]))
    if op == "yaml11":
        # aim at a numeric field: where quiet coercion would turn the token into a number
        numeric = [p for p in paths if isinstance(_get(doc, p), int | float)]
        if numeric:
            target = draw(st.sampled_from(numeric))
            _get(doc, target[:-1])[target[-1]] = f"@@Y11:{draw(st.sampled_from(YAML11))}@@"
    elif op == "delete":
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
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    text = YAML11_MARK.sub(lambda m: m.group(1), text)  # the raw token, unquoted
    if draw(st.integers(0, 5)) == 0:
        text = _alias_chain(text, draw(st.integers(2, 12)), draw(st.integers(2, 12)))
    return text


def _alias_chain(text: str, levels: int, width: int) -> str:
    """``text`` with a chain of ``levels`` anchors, each a list of ``width`` aliases of the last,
    under an unknown top-level key: refused, as unknown key or as too many expanded nodes."""
    lines = ["zz0: &zz0 [lol]"]
    for i in range(1, levels):
        lines.append(f"zz{i}: &zz{i} [" + ", ".join([f"*zz{i - 1}"] * width) + "]")
    return text + "\n".join(lines) + "\n"


def _assert_clean(exc: InventoryError, name: str) -> None:
    assert exc.problems, "an InventoryError must say what is wrong"
    for problem in exc.problems:
        assert problem.file == name
        assert problem.line >= 1, f"no line in {problem}"
        assert str(problem).startswith(f"{name}:{problem.line}")
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
        loaded = load_inventory_text(text, "inventory.yaml")
    except InventoryError as exc:
        _assert_clean(exc, "inventory.yaml")
    else:
        # accepted: then it is a whole inventory, valid again when written back out
        again = loaded.inventory.model_validate(loaded.inventory.model_dump())
        assert again == loaded.inventory and again.region


def _laughs(levels: int, width: int) -> str:
    """A 'billion laughs': ``levels`` anchors, each a list of ``width`` aliases of the one before;
    ``width ** levels`` nodes if followed naively (10 levels of 10: 10^10)."""
    text = "a0: &a0 [" + ", ".join(["x"] * width) + "]\n"
    for i in range(1, levels):
        text += f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]\n"
    return text


def _line_of(fragment: str) -> int:
    return MINI_TEXT[: MINI_TEXT.index(fragment)].count("\n") + 1


def _laughs_in_subnets(levels: int, width: int) -> str:
    """The mini inventory with the first agency's subnets replaced by a flow-style alias chain."""
    chain = ["&a0 [" + ", ".join(["10.10.1.0/24"] * width) + "]"]
    for i in range(1, levels):
        chain.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return MINI_TEXT.replace("subnets: [10.10.1.0/24]", "subnets: [" + ", ".join(chain) + "]", 1)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("[" * 100_000, 1, "nesting too deep"),
        ("a: " + "{b: " * 20_000 + "1" + "}" * 20_000, 1, "nesting too deep"),
        ("- " * 30_000 + "x", 1, "nesting too deep"),
        # 10 levels of 10 aliases: refused by the alias bound while composing, long before
        # 10^10 nodes; the line is the first alias past the bound (a4 is 10^5 nodes).
        (_laughs(10, 10), 5, "aliases expand to more than 100,000 nodes"),
        # the same chain inside a valid inventory, as an agency's subnets (a key the schema knows)
        (_laughs_in_subnets(10, 10), _line_of("subnets: [10.10.1.0/24]"), "aliases expand"),
    ],
    ids=[
        "deep-flow-list",
        "deep-flow-mapping",
        "deep-block-list",
        "billion-laughs",
        "billion-laughs-in-valid-inventory",
    ],
)
def test_pathological_yaml_is_refused_by_its_bound_naming_file_and_line(
    text: str, line: int | None, message: str
) -> None:
    with pytest.raises(InventoryError) as info:
        load_inventory_text(text, "inventory.yaml")
    _assert_clean(info.value, "inventory.yaml")
    (problem,) = info.value.problems
    assert message in problem.message
    if line is not None:
        assert problem.line == line


def test_aliases_within_the_bound_load_as_their_values() -> None:
    text = MINI_TEXT.replace(
        "subnets: [10.10.1.0/24]\n    quota: {", "subnets: [10.10.1.0/24]\n    quota: &q {", 1
    )
    rsud_quota = text.index("quota: {", text.index("code: rsud"))
    text = text[:rsud_quota] + "quota: *q\n" + text[text.index("\n", rsud_quota) + 1 :]
    loaded = load_inventory_text(text, "inventory.yaml")
    by_code = {a.code: a for a in loaded.inventory.agencies}
    assert by_code["rsud"].quota == by_code["diskominfo"].quota
    assert by_code["rsud"].quota.guaranteed_down_mbps == 50


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
def test_check_and_sync_agree_and_an_invalid_sync_changes_nothing(
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
        check = CliRunner().invoke(cli, ["inventory", "check", "-i", str(path)])
        result = sync()
        # what check accepts, sync stores, on this backend; what it refuses, sync refuses
        assert check.exit_code == result.exit_code, check.output + result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert _dump(engine) == before
    finally:
        engine.dispose()
