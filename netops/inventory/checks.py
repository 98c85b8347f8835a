"""Cross-entry rules of the inventory (references, duplicates, overlaps, capacity).

The schema checks each entry on its own; these rules look across entries.  Every finding is
returned (not only the first), each located at ``file:line path``.  Errors make the inventory
invalid; warnings (guarantees above capacity) are reported and become errors with ``--strict``.
"""

from __future__ import annotations

from netops.errors import Problem
from netops.inventory.check_capacity import (
    check_boosts,
    check_groups,
    check_subnets,
    check_uplink_capacity,
)
from netops.inventory.check_hazards import check_hazards
from netops.inventory.check_refs import (
    check_duplicates,
    check_links,
    check_references,
    check_shaper_duplicates,
    check_shaper_modes,
)
from netops.inventory.findings import Findings
from netops.inventory.schema import Inventory
from netops.inventory.yamlmap import LineMap


def cross_check(inv: Inventory, name: str, lines: LineMap) -> list[Problem]:
    """Return every cross-entry problem (errors and warnings), in document order."""
    found = Findings(name, lines)
    interfaces = check_duplicates(inv, found)
    check_references(inv, found, interfaces)
    check_links(inv, found, interfaces)
    check_shaper_duplicates(inv, found)
    check_shaper_modes(inv, found)
    check_subnets(inv, found)
    check_groups(inv, found)
    check_boosts(inv, found)
    check_uplink_capacity(inv, found)
    check_hazards(inv, found)
    return found.in_document_order()
