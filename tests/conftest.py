"""Shared fixtures: databases (SQLite file and PostgreSQL) and the device lab plugin."""

pytest_plugins = ["lab.pytest_plugin"]
