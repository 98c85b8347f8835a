"""Pure parsers: device command text in, typed collector records out (no I/O)."""
