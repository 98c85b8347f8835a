"""Helpers for the lab integration tests: inventories with shapers on every platform, contexts,
and reading a lab device's queue state directly (no SSH) to check what really arrived.

:class:`ShaperLab` (fixture ``shaper_lab`` in conftest.py) is the arrange step most lab tests
share: a running lab of the mini inventory, a context for a shaper inventory, the plan applied,
then hand edits on the router::

    with shaper_lab.applied(with_shapers(shaper_lab.inventory, "core1"), "core1") as ctx:
        shaper_lab.edit("core1", '/queue simple remove [find name="nx-a-rsud"]')
        [report] = check_drift(ctx, AT)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netops.bandwidth.service import BandwidthContext, apply_device
from netops.inventory.schema import Inventory, Shaper
from netops.secrets import SecretStore
from netops.settings import Settings

AT = datetime(2026, 1, 15, 2, 0, tzinfo=UTC)  # 10:00 WITA on a Thursday: office peak
PEAK_S = datetime(2026, 1, 15, 2, 30, tzinfo=UTC).timestamp()

SHAPERS = {
    "core1": Shaper(device="core1", lan_interface="ether2", wan_interface="ether1"),
    "dist1": Shaper(
        device="dist1", lan_interface="GigabitEthernet1/0/2", wan_interface="GigabitEthernet1/0/1"
    ),
    "rsud-gw": Shaper(device="rsud-gw", lan_interface="eth1", wan_interface="eth0"),
}


def with_shapers(inv: Inventory, *names: str) -> Inventory:
    return inv.model_copy(update={"shapers": tuple(SHAPERS[n] for n in names)})


def context(
    inv: Inventory, lab: Any, secrets: SecretStore, tmp: Path, engine: Any = None
) -> BandwidthContext:
    settings = Settings(
        loopback_only=True, data_dir=tmp, device_timeout_s=8.0, known_hosts=tmp / "known_hosts"
    )
    return BandwidthContext(inv, settings, secrets, engine=engine, endpoints=lab.endpoints)


def ros_queues(lab: Any, hostname: str) -> dict[str, dict[str, str]]:
    """name -> properties (plus comment/disabled) of the lab RouterOS's simple queues."""
    cfg = lab.runtime(hostname).personality.config
    return {
        i.get("name"): {**i.values, "comment": i.comment, "disabled": str(i.disabled)}
        for i in cfg.simple.items
    }


def tree_shaper(inv: Inventory, hostname: str = "core1") -> Inventory:
    """``inv`` with one MikroTik shaper in queue tree + mangle mode."""
    shaper = Shaper.model_validate({**SHAPERS[hostname].model_dump(), "mode": "tree"})
    return inv.model_copy(update={"shapers": (shaper,)})


def ros_tree(lab: Any, hostname: str) -> dict[str, dict[str, str]]:
    """name -> properties (plus comment/disabled) of the lab RouterOS's queue tree."""
    cfg = lab.runtime(hostname).personality.config
    return {
        i.get("name"): {**i.values, "comment": i.comment, "disabled": str(i.disabled)}
        for i in cfg.tree.items
    }


def ros_mangle(lab: Any, hostname: str) -> list[dict[str, str]]:
    """The lab RouterOS's mangle rules in order (properties plus comment/disabled)."""
    cfg = lab.runtime(hostname).personality.config
    return [
        {**i.values, "comment": i.comment, "disabled": str(i.disabled)} for i in cfg.mangle.items
    ]


def lowered(inv: Inventory, code: str, down_mbps: float) -> Inventory:
    """``inv`` with agency ``code`` capped at ``down_mbps`` down (and guaranteed 10 Mbit/s)."""
    agencies = tuple(
        a.model_copy(
            update={
                "quota": a.quota.model_copy(
                    update={"maximum_down_mbps": down_mbps, "guaranteed_down_mbps": 10}
                )
            }
        )
        if a.code == code
        else a
        for a in inv.agencies
    )
    return inv.model_copy(update={"agencies": agencies})


@dataclass
class ShaperLab:
    """A running lab of ``inventory`` (the mini inventory) and what a test needs to push plans to
    it: the secrets, the lab password (for hand edits over SSH) and a private directory."""

    lab: Any
    inventory: Inventory
    secrets: SecretStore
    password: str
    tmp: Path

    def context(self, inv: Inventory, engine: Any = None) -> BandwidthContext:
        """A context for ``inv`` on this lab (the caller closes it)."""
        return context(inv, self.lab, self.secrets, self.tmp, engine)

    @contextmanager
    def applied(
        self, inv: Inventory, device: str, engine: Any = None
    ) -> Iterator[BandwidthContext]:
        """A context for ``inv`` whose plan at :data:`AT` is already applied to ``device``
        (asserted ``"applied"``); closed when the block ends."""
        ctx = self.context(inv, engine)
        try:
            res = apply_device(ctx, device, dry_run=False, at=AT)
            assert res.result == "applied", res.error
            yield ctx
        finally:
            ctx.close()

    def apply(self, inv: Inventory, device: str, engine: Any = None) -> None:
        """Apply ``inv``'s plan at :data:`AT` to ``device`` (asserted ``"applied"``)."""
        with self.applied(inv, device, engine):
            pass

    def edit(self, device: str, *commands: str) -> list[str]:
        """Hand edits: ``commands`` sent to ``device`` in one fresh netmiko session."""
        from tests.helpers import send_to

        return send_to(self.lab, device, self.password, *commands)


def edited(target: Any, changes: Mapping[tuple[str, str], Mapping[str, Any]]) -> Any:
    """``target`` (a device plan) with the entries named ``(key, direction)`` in ``changes``
    replaced field by field, e.g. ``{("a:rsud", "down"): {"ceil_bps": 90_000_000}}``."""
    entries = tuple(
        replace(e, **changes[(e.key, e.direction)]) if (e.key, e.direction) in changes else e
        for e in target.entries
    )
    return replace(target, entries=entries)
