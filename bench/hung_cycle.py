"""Cycle time of the sample inventory with one hung device, against the same cycle with none.

    python3 bench/hung_cycle.py [--rounds 3] [--timeout-s 8] [--deadline-s 12]

Each round polls the 72 devices of ``inventory.yaml`` (counters) over real SSH against the lab,
once healthy and once with ``dist-ring1`` hung (lab ``hang`` fault: it answers two commands,
then the prompt never comes back), each with a fresh Poller (connections included).  Prints the
medians, their difference and the target: the hung cycle may cost at most the per-device deadline
more, not a multiple of it (before the deadline: 3 attempts x the command timeout).  Results go to
``bench/results/hung_cycle.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets as _secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
HUNG = "dist-ring1"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--timeout-s", type=float, default=8.0)
    ap.add_argument("--deadline-s", type=float, default=12.0)
    args = ap.parse_args()
    os.environ["NETOPS_LOOPBACK_ONLY"] = "1"

    from collectors.engine import Poller
    from lab.api import start_lab
    from netops.inventory.loader import load_inventory
    from netops.secrets import SecretStore
    from netops.settings import Settings

    inv = load_inventory(ROOT / "inventory.yaml").inventory
    refs = {c.password_ref for c in inv.credentials}
    refs |= {c.enable_ref for c in inv.credentials if c.enable_ref}
    secrets = SecretStore({r: "lab-" + _secrets.token_urlsafe(12) for r in refs}, {})
    lab = start_lab(inv, secrets=secrets)
    times: dict[str, list[float]] = {"none": [], "hung": []}
    others_done: list[float] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                data_dir=Path(tmp),
                loopback_only=True,
                device_timeout_s=args.timeout_s,
                device_deadline_s=args.deadline_s,
                poll_workers=32,
                known_hosts=Path(tmp) / "known_hosts",
            )
            for _ in range(args.rounds):
                for case in ("none", "hung"):
                    lab.clear_faults()
                    if case == "hung":
                        lab.fault(HUNG, "hang", after_commands=2)
                    poller = Poller(inv, settings, secrets, lab.endpoints)
                    t0 = time.monotonic()
                    report = poller.poll(["counters"])
                    times[case].append(time.monotonic() - t0)
                    poller.close()
                    bad = [r.device for r in report.results if not r.ok and r.device != HUNG]
                    if bad:
                        raise SystemExit(f"unexpected failures: {bad}")
                    if case == "hung":
                        others = [r.finished_s for r in report.results if r.device != HUNG]
                        others_done.append(max(others) - report.started_s)
    finally:
        lab.stop()
    none_s = statistics.median(times["none"])
    hung_s = statistics.median(times["hung"])
    out = {
        "devices": len(inv.devices),
        "rounds": args.rounds,
        "device_timeout_s": args.timeout_s,
        "device_deadline_s": args.deadline_s,
        "cycle_none_median_s": round(none_s, 2),
        "cycle_hung_median_s": round(hung_s, 2),
        "extra_s": round(hung_s - none_s, 2),
        "others_done_in_hung_cycle_median_s": round(statistics.median(others_done), 2),
        "target_extra_at_most_s": args.deadline_s,
        "within_target": hung_s - none_s <= args.deadline_s,
        "raw": times,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "hung_cycle.json").write_text(json.dumps(out, indent=2))
    for key, value in out.items():
        if key != "raw":
            print(f"{key:40} {value}")


if __name__ == "__main__":
    main()
