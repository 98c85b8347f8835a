"""pytest fixtures that start the device lab (filled in by the lab work)."""
