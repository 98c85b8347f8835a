"""Telemetry domain logic, pure of I/O: counter rates, rollups, config masking and diffs."""
