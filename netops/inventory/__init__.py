"""inventory.yaml: schema, loading with line numbers, cross-checks."""

from netops.inventory.loader import LoadedInventory, load_inventory, load_inventory_text
from netops.inventory.schema import Inventory

__all__ = ["Inventory", "LoadedInventory", "load_inventory", "load_inventory_text"]
