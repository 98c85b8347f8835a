"""Telemetry tables: samples, rates, rollups, device status, config backups (collectors work)."""
