"""Alembic migrations for every netops table (run by ``netops.storage.db.upgrade``)."""
