"""Storage: SQLAlchemy 2.0 models, engine factory, inventory sync and sample writes."""
