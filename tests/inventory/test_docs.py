"""docs/inventory.md stays in step with the schema: its complete example is valid, every key and
every enumerated value of the schema is shown, every snippet is YAML."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from netops.inventory import load_inventory_text, schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "inventory.md"


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def _models() -> list[type[BaseModel]]:
    return [
        obj
        for obj in vars(schema).values()
        if isinstance(obj, type)
        and issubclass(obj, BaseModel)
        and obj.__module__ == schema.__name__
        and not obj.__name__.startswith("_")
    ]


def test_complete_example_is_valid_without_warnings() -> None:
    example = _yaml_blocks()[0]
    loaded = load_inventory_text(example, "docs/inventory.md", strict=True)
    assert loaded.inventory.region == "Kabupaten Contoh"
    # The complete example exercises every section.
    for section in ("credentials", "uplinks", "groups", "agencies", "sites", "devices", "links"):
        assert getattr(loaded.inventory, section), section
    assert loaded.inventory.shapers


@pytest.mark.parametrize("model", _models(), ids=lambda m: m.__name__)
def test_every_schema_key_has_an_example(model: type[BaseModel]) -> None:
    yaml_text = "\n".join(_yaml_blocks())
    missing = [
        name
        for name in model.model_fields
        if not re.search(rf"(^|[\s{{,-]){re.escape(name)}:", yaml_text, flags=re.M)
    ]
    assert missing == [], f"docs/inventory.md has no example of {model.__name__}.{missing}"


@pytest.mark.parametrize(
    "enum",
    [
        obj
        for obj in vars(schema).values()
        if isinstance(obj, type) and issubclass(obj, StrEnum) and obj is not StrEnum
    ],
    ids=lambda e: e.__name__,
)
def test_every_enumerated_value_is_documented(enum: type[StrEnum]) -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [m.value for m in enum if m.value not in text]
    assert missing == []


def test_every_snippet_is_yaml() -> None:
    for block in _yaml_blocks():
        yaml.safe_load(block)
