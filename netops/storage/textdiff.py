"""Unified diffs of stored text (configuration versions).

The storage layer stores each configuration version with its diff and answers
:func:`netops.storage.telemetry.config_diff`; the telemetry layer computes the diff when it stores a
new version.  Both use this one function, which lives in the lower layer (docs/architecture.md);
:mod:`netops.telemetry.configs` re-exports it.  Pure.
"""

from __future__ import annotations

import difflib


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """A unified diff (``diff -u`` style) from ``old`` to ``new``; empty when equal."""
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
        )
    )
