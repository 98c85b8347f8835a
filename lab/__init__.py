"""netops lab: simulated devices served over SSH on loopback (see docs/lab.md).

Entry points: :func:`lab.api.start_lab` (Python), ``netops lab up`` (CLI), the pytest fixtures in
:mod:`lab.pytest_plugin`.  Importing this package does no work.
"""
