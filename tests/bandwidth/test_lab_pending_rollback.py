"""A device that hangs in the middle of an apply, for longer than the command timeout, ends on
exactly the old plan: the rollback that could not reach it is recorded as pending and the drift
job finishes it the moment the device answers (real SSH, netmiko, the lab's hang fault)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from netops.bandwidth import audit
from netops.bandwidth.enforce import read_entries
from netops.bandwidth.service import apply_device, check_drift
from netops.inventory.schema import Inventory
from netops.storage.bandwidth_tables import BandwidthPush

from .labkit import AT, ShaperLab, lowered, tree_shaper, with_shapers

pytestmark = [pytest.mark.lab]

# (shaper inventory, device, commands answered before the hang: the reads, then some sends)
CASES: dict[str, tuple[Callable[[Inventory], Inventory], str, int]] = {
    # 3 reads, then the first of three "set"s answers; the second hangs (it was executed)
    "routeros-simple": (lambda inv: with_shapers(inv, "core1"), "core1", 4),
    # 3 reads, then one mangle/queue command answers before the hang
    "routeros-tree": (tree_shaper, "core1", 4),
    # show running-config, then netmiko's configure terminal and a few lines
    "cisco": (lambda inv: with_shapers(inv, "dist1"), "dist1", 4),
    # 4 reads, then the single tc -batch command runs whole and its output never ends
    "linux-tc": (lambda inv: with_shapers(inv, "rsud-gw"), "rsud-gw", 4),
}


def plan_b(inv: Inventory) -> Inventory:
    """Three agencies' maxima change: several commands on every platform."""
    return lowered(lowered(lowered(inv, "rsud", 25), "kec-utara", 15), "diskominfo", 20)


def audit_log(engine: Any, device: str) -> list[str]:
    with Session(engine) as s:
        rows = s.scalars(
            select(BandwidthPush).where(BandwidthPush.device == device).order_by(BandwidthPush.id)
        )
        return [f"{r.actor:<18} {r.result:<15} {r.error or ''}"[:160] for r in rows]


@pytest.mark.parametrize("case", list(CASES))
def test_a_hang_mid_apply_ends_on_exactly_the_old_plan_once_the_device_answers(
    shaper_lab: ShaperLab, engine: Any, case: str
) -> None:
    make, device, answered = CASES[case]
    lab = shaper_lab.lab
    inv_a = make(shaper_lab.inventory)
    ctx = shaper_lab.context(inv_a, engine)
    ctx.settings = ctx.settings.model_copy(
        update={
            "device_timeout_s": 2.0,
            "bandwidth_rollback_retries": 1,
            "bandwidth_rollback_backoff_s": 0.1,
        }
    )
    try:
        assert apply_device(ctx, device, dry_run=False, at=AT, actor="tester").result == "applied"
        target_a = ctx.target(device, AT)
        before = read_entries(ctx.io(device), target_a)
        ctx.inventory = plan_b(inv_a)
        lab.fault(device, "hang", after_commands=answered)
        res = apply_device(ctx, device, dry_run=False, at=AT, actor="tester")
        assert res.result == "rollback-failed", res
        [pending] = audit.pending_rollbacks(engine, device)
        assert pending.attempts == 1
        # the device still hangs: the drift job's try fails and is recorded, nothing changes
        ctx.close()
        [drift] = check_drift(ctx, AT)
        assert drift.error is not None
        [still] = audit.pending_rollbacks(engine, device)
        assert still.attempts == 2 and still.next_attempt_at > pending.next_attempt_at
        # the device answers again: the next drift run finishes the rollback first
        lab.clear_faults(device)
        ctx.close()
        [drift] = check_drift(ctx, AT)
        assert audit.pending_rollbacks(engine, device) == []
        ctx.close()
        after = read_entries(ctx.io(device), target_a)  # read back over SSH
    finally:
        ctx.close()
    assert after == before  # exactly the old plan, not a mix
    log = audit_log(engine, device)
    print(f"\naudit log, {case}:\n" + "\n".join(log))
    assert [line.split()[:2] for line in log] == [
        ["tester", "applied"],
        ["tester", "rollback-failed"],
        ["scheduler:rollback", "rollback-failed"],
        ["scheduler:rollback", "rolled-back"],
    ]
