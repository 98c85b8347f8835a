"""The ``netops`` command line."""
