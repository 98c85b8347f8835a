"""Desired vs actual queue entries: what to add, change and remove, as data and as text.

Compared fields: subnets (as a set), rate, ceil, prio (leaves only: HTB ignores inner prio),
parent, whether the device entry is disabled, and (where the platform stores it: RouterOS
comments) the agency's name, so a rename reaches the router.  Rates compare within 0.5 %
because platforms print rates in rounded units.  Entries found
on the device that netops did not create (``managed=False``) are reported as ``foreign`` and never
removed by ``apply``.  Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from netops.bandwidth.entries import QueueEntry

Op = Literal["add", "change", "remove", "foreign"]
RATE_TOLERANCE = 0.005


@dataclass(frozen=True)
class Change:
    """One difference; ``fields`` names what differs for a ``change``."""

    op: Op
    desired: QueueEntry | None
    actual: QueueEntry | None
    fields: tuple[str, ...] = ()

    @property
    def entry(self) -> QueueEntry:
        e = self.desired or self.actual
        assert e is not None
        return e

    def text(self) -> str:
        e = self.entry
        head = f"{e.key} {e.direction}"
        if self.op == "add":
            return f"+ {head} {_describe(e)}"
        if self.op in ("remove", "foreign"):
            tag = " (not created by netops; left alone)" if self.op == "foreign" else ""
            return f"- {head} {_describe(e)}{tag}"
        assert self.desired is not None and self.actual is not None
        parts = [f"{f} {_value(self.actual, f)} -> {_value(self.desired, f)}" for f in self.fields]
        return f"~ {head}: " + ", ".join(parts)


@dataclass(frozen=True)
class QueueDiff:
    device: str
    changes: tuple[Change, ...] = field(default_factory=tuple)

    @property
    def actionable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.op != "foreign")

    @property
    def in_sync(self) -> bool:
        return not self.actionable

    def text(self) -> str:
        if not self.changes:
            return f"{self.device}: in sync with the plan"
        lines = [f"{self.device}: {len(self.actionable)} change(s)"]
        lines.extend("  " + c.text() for c in self.changes)
        return "\n".join(lines)

    def counts(self) -> dict[str, int]:
        out = {"add": 0, "change": 0, "remove": 0, "foreign": 0}
        for c in self.changes:
            out[c.op] += 1
        return out


def _mbps(bps: int) -> str:
    return f"{bps / 1e6:g}M"


def _value(e: QueueEntry, f: str) -> str:
    if f in ("rate_bps", "ceil_bps"):
        return _mbps(getattr(e, f))
    if f == "subnets":
        return ",".join(str(s) for s in e.subnets) or "-"
    if f == "disabled":
        return "yes" if e.disabled else "no"
    if f == "label":
        return repr(e.label)
    return str(getattr(e, f))


def _describe(e: QueueEntry) -> str:
    if e.key.startswith("m:"):
        # tree mode: an agency's mangle marks, which have subnets and no rates
        return f"marks subnets {_value(e, 'subnets')}"
    parent = f" parent {e.parent}" if e.parent else ""
    prio = f" prio {e.prio}" if e.prio else ""
    # tree-mode queues classify by mark, not subnet: say nothing rather than "subnets -"
    subnets = f" subnets {_value(e, 'subnets')}" if e.subnets else ""
    return f"rate {_mbps(e.rate_bps)} ceil {_mbps(e.ceil_bps)}{prio}{parent}{subnets}"


def _close(a: int, b: int) -> bool:
    return abs(a - b) <= RATE_TOLERANCE * max(abs(a), abs(b), 1)


def comparable_label(label: str) -> str:
    """An agency name as every platform that stores it can read it back: control characters
    are spaces (RouterOS tree mode writes them so), surrounding spaces dropped."""
    return "".join(" " if ch < " " or ch == "\x7f" else ch for ch in label).strip()


def differing_fields(
    desired: QueueEntry, actual: QueueEntry, *, labels: bool = False
) -> tuple[str, ...]:
    """Names of the fields that differ.  ``labels``: the platform stores agency names (RouterOS
    comments), so a renamed agency's leaf and marks differ by ``label`` too."""
    out = []
    if actual.disabled != desired.disabled:
        out.append("disabled")
    if set(desired.subnets) != set(actual.subnets):
        out.append("subnets")
    if not _close(desired.rate_bps, actual.rate_bps):
        out.append("rate_bps")
    if not _close(desired.ceil_bps, actual.ceil_bps):
        out.append("ceil_bps")
    if desired.is_leaf and desired.prio and desired.prio != actual.prio:
        out.append("prio")
    if desired.parent != actual.parent:
        out.append("parent")
    if (
        labels
        and desired.key.startswith(("a:", "m:"))
        and comparable_label(desired.label) != comparable_label(actual.label)
    ):
        out.append("label")
    return tuple(out)


def diff_entries(
    device: str,
    desired: Iterable[QueueEntry],
    actual: Iterable[QueueEntry],
    *,
    labels: bool = False,
) -> QueueDiff:
    """Changes that turn ``actual`` into ``desired``: adds in desired order (parents first),
    changes, then removals children first.  ``labels``: compare agency names too (platforms
    whose queues carry them, see :func:`differing_fields`)."""
    want = {e.ident(): e for e in desired}
    have = {e.ident(): e for e in actual}
    changes: list[Change] = []
    for ident, d in want.items():
        a = have.get(ident)
        if a is None:
            changes.append(Change("add", d, None))
            continue
        fields = differing_fields(d, a, labels=labels)
        if fields:
            changes.append(Change("change", d, a, fields))
    extra = [a for ident, a in have.items() if ident not in want]
    # children before parents so a removal never orphans a queue
    extra.sort(key=lambda e: 0 if e.is_leaf else 1 if e.key.startswith("g:") else 2)
    for a in extra:
        changes.append(Change("remove" if a.managed else "foreign", None, a))
    return QueueDiff(device, tuple(changes))
