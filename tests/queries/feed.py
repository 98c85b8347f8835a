"""Fill a database the way the poller does: hand-made device results go through the real
``Poller.to_batch`` (rates from counters, queue rows, facts, neighbours, masked configs) and
``write_batch``; nothing opens an SSH session.  Rates are given in bit/s and turned into octet
counters, so what is stored is what the collectors would compute."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from collectors.base import ConfigText, Facts, InterfaceCounters, Neighbor, QueueStats
from collectors.engine import CycleReport, DeviceResult, Poller
from netops.inventory.schema import Inventory
from netops.secrets import SecretStore
from netops.settings import Settings
from netops.telemetry.store import write_batch

Port = tuple[str, str]


@dataclass
class QueueFeed:
    name: str
    target: str
    up_bps: float
    down_bps: float
    max_up_bps: int | None = None
    max_down_bps: int | None = None


@dataclass
class Feed:
    inventory: Inventory
    engine: Engine
    octets: dict[Port, list[int]] = field(default_factory=dict)
    qbytes: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    errs: dict[Port, int] = field(default_factory=dict)
    last_s: float | None = None

    def __post_init__(self) -> None:
        self.poller = Poller(
            self.inventory,
            Settings(poll_workers=1),
            SecretStore({}, {}),
            engine=self.engine,
        )

    def close(self) -> None:
        self.poller.close()

    def cycle(
        self,
        at_s: float,
        rates: Mapping[Port, tuple[float, float]] | None = None,
        queues: Mapping[str, Iterable[QueueFeed]] | None = None,
        *,
        down: Iterable[str] = (),
        neighbors: Mapping[str, list[Neighbor]] | None = None,
        configs: Mapping[str, str] | None = None,
        errors: Mapping[Port, int] | None = None,
    ) -> None:
        """One poll of every device at ``at_s``: interfaces carry ``rates[(dev, if)] = (in_bps,
        out_bps)`` since the previous cycle (0 when not given); devices in ``down`` fail as
        unreachable; ``errors[(dev, if)]`` input errors are added to the port's counter."""
        dt = 0.0 if self.last_s is None else at_s - self.last_s
        dead = set(down)
        results = []
        for dev in self.inventory.devices:
            h = dev.hostname
            if h in dead:
                results.append(
                    DeviceResult(
                        h,
                        False,
                        at_s,
                        0.5,
                        error_kind="DeviceUnreachable",
                        error=f"{h}: connection refused",
                        reachable=False,
                    )
                )
                continue
            counters = []
            for i in dev.interfaces:
                acc = self.octets.setdefault((h, i.name), [10_000, 10_000])
                rin, rout = (rates or {}).get((h, i.name), (0.0, 0.0))
                acc[0] += int(rin * dt / 8)
                acc[1] += int(rout * dt / 8)
                err = self.errs.get((h, i.name), 0) + (errors or {}).get((h, i.name), 0)
                self.errs[(h, i.name)] = err
                counters.append(InterfaceCounters(i.name, acc[0], acc[1], 1000, 1000, err, 0, 64))
            data: dict[str, Any] = {
                "facts": Facts(h, "MikroTik", dev.model or "x86", "7.15", f"SN-{h}", 86_400.0),
                "counters": counters,
            }
            if queues and h in queues:
                qs = []
                for q in queues[h]:
                    acc = self.qbytes.setdefault((h, q.name), [0, 0])
                    acc[0] += int(q.up_bps * dt / 8)
                    acc[1] += int(q.down_bps * dt / 8)
                    qs.append(
                        QueueStats(
                            q.name,
                            q.target,
                            None,
                            q.max_up_bps,
                            None,
                            q.max_down_bps,
                            acc[0],
                            acc[1],
                        )
                    )
                data["queues"] = qs
            if neighbors is not None and h in neighbors:
                data["neighbors"] = neighbors[h]
            if configs and h in configs:
                data["config"] = ConfigText(configs[h])
            results.append(DeviceResult(h, True, at_s, 0.2, data=data))
        report = CycleReport(("facts", "counters"), at_s, 1.0, results)
        write_batch(self.engine, self.poller.to_batch(report))
        self.last_s = at_s

    def steady(
        self,
        start_s: float,
        end_s: float,
        step_s: float = 60.0,
        **kwargs: Any,
    ) -> None:
        """Cycles every ``step_s`` from ``start_s`` to ``end_s`` (inclusive), same arguments."""
        t = start_s
        while t <= end_s + 1e-9:
            self.cycle(t, **kwargs)
            t += step_s
