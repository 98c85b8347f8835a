"""Load ``inventory.yaml``: parse with line numbers, validate every entry, run the cross-checks, and
report every problem at once as one :class:`InventoryError`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from netops.errors import InventoryError, Problem
from netops.inventory.schema import Inventory
from netops.inventory.yamlmap import (
    LineMap,
    format_path,
    load_yaml_with_lines,
    parse_yaml_with_lines,
)


@dataclass(frozen=True)
class LoadedInventory:
    """A valid inventory, where it came from, and the warnings it raised."""

    inventory: Inventory
    source: str
    warnings: tuple[Problem, ...]
    lines: LineMap


def _shown(value: object, limit: int = 60) -> str:
    """A value quoted for a message: repr escapes control characters; long values are cut."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _pydantic_problems(exc: ValidationError, name: str, lines: LineMap) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key '{loc[-1]}'"
        elif err["type"] == "missing":
            msg = f"missing required key '{loc[-1]}'"
        elif isinstance(err.get("input"), str | int | float) and not str(loc[-1]).endswith("_ref"):
            # Never echo a *_ref value: a wrong one may be a password pasted in by mistake.
            msg = f"{msg} (got {_shown(err['input'])})"
        problems.append(Problem(name, lines.line(loc), format_path(loc), msg))
    return problems


def validate_document(
    data: Any, name: str, lines: LineMap, *, strict: bool = False
) -> LoadedInventory:
    """Validate parsed YAML; ``strict`` turns warnings into errors."""
    from netops.inventory.checks import cross_check

    if not isinstance(data, dict):
        raise InventoryError(
            [Problem(name, 1, "", "the inventory must be a YAML mapping at the top level")]
        )
    try:
        inv = Inventory.model_validate(data)
    except ValidationError as exc:
        raise InventoryError(_pydantic_problems(exc, name, lines)) from None
    findings = cross_check(inv, name, lines)
    errors = [p for p in findings if p.severity == "error" or strict]
    if errors:
        # Warnings ride along so the user sees every finding in one run.
        raise InventoryError(findings)
    return LoadedInventory(inv, name, tuple(p for p in findings if p.severity == "warning"), lines)


def load_inventory(path: Path | str, *, strict: bool = False) -> LoadedInventory:
    """Read and validate an inventory file.

    Raises :class:`InventoryError` listing every problem with file, line and document path.
    """
    p = Path(path)
    data, lines = load_yaml_with_lines(p)
    return validate_document(data, str(p), lines, strict=strict)


def load_inventory_text(
    text: str, name: str = "<inventory>", *, strict: bool = False
) -> LoadedInventory:
    """Validate inventory YAML given as text (tests, web uploads)."""
    data, lines = parse_yaml_with_lines(text, name)
    return validate_document(data, name, lines, strict=strict)
