"""Bandwidth tables: push audit, applied boosts, drift reports (bandwidth work)."""
