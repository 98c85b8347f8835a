"""Over real SSH, per platform: a device that refuses one getter's commands (the lab's
``limited`` fault) stores that getter's error and every other getter's data; a refusal never
becomes 'Unknown' facts or an empty neighbour list (asserted on the database).

Some commands feed several getters (IOS ``show interfaces`` is both interfaces and counters;
RouterOS facts read ``/interface print detail`` for the interface list; Linux ``ip -j -s link``
feeds facts, interfaces and counters; the Linux config backup reads ``tc class show``, its queues
``tc -s class show``): the table says which getters each refusal takes down.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from collectors.engine import Poller
from netops.secrets import SecretStore
from netops.settings import Settings
from netops.storage.telemetry import (
    ConfigBackup,
    DevicePoll,
    FactsSnapshot,
    InterfaceSample,
    NeighborObservation,
)

pytestmark = [pytest.mark.lab, pytest.mark.slow]

ALL = ("facts", "interfaces", "counters", "neighbors", "config", "queues")

# device -> [(refused command prefix, the getters it takes down)]
CASES: dict[str, list[tuple[str, set[str]]]] = {
    "dist1": [  # cisco_ios through napalm
        ("show version", {"facts"}),
        ("show interfaces", {"interfaces", "counters"}),
        ("show lldp", {"neighbors"}),
        ("show running-config", {"config"}),
        ("show policy-map", {"queues"}),
    ],
    "core1": [  # mikrotik_routeros
        ("/system resource", {"facts"}),
        ("/interface print detail", {"facts", "interfaces"}),
        ("/interface print stats", {"counters"}),
        ("/ip neighbor", {"neighbors"}),
        ("/export", {"config"}),
        ("/queue simple", {"queues"}),
    ],
    "rsud-gw": [  # linux
        ("hostname", {"facts"}),
        ("ip -j -s link", {"facts", "interfaces", "counters"}),
        ("lldpcli", {"neighbors"}),
        ("ip addr", {"config"}),
        ("tc -s class", {"queues"}),
        ("tc class", {"config"}),
    ],
}

# what each getter stores, to count rows before and after a poll
STORED = {
    "facts": FactsSnapshot,
    "counters": InterfaceSample,
    "neighbors": NeighborObservation,
}


def count(engine: Engine, model: Any, device: str) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(model).where(model.device == device)
            ).scalar_one()
        )


def last_poll(engine: Engine, device: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(
            select(DevicePoll).where(DevicePoll.device == device).order_by(DevicePoll.id.desc())
        ).first()


def poller_for(
    lab: Any, inventory: Any, secrets: SecretStore, engine: Engine, tmp: Path, device: str
) -> Poller:
    settings = Settings(data_dir=tmp, loopback_only=True, device_timeout_s=5, poll_workers=2)
    return Poller(
        inventory,
        settings,
        secrets,
        lab.endpoints,
        engine=engine,
        retries=1,
        backoff_s=0.05,
        devices=[device],
    )


@pytest.mark.parametrize("device", sorted(CASES))
def test_device_refusing_each_getters_commands_in_turn_stores_that_error_and_the_rest(
    mini_lab: Any,
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
    device: str,
) -> None:
    poller = poller_for(mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path, device)
    try:
        assert poller.poll(["all"]).results[0].ok  # the unlimited device answers every getter
        for prefix, down in CASES[device]:
            mini_lab.clear_faults(device)
            mini_lab.fault(device, "limited", refuse=prefix)
            before = {g: count(sqlite_engine, m, device) for g, m in STORED.items()}
            result = poller.poll(["all"]).results[0]
            row = last_poll(sqlite_engine, device)
            errors = json.loads(row.getter_errors or "{}")
            assert set(errors) == down, (prefix, errors)
            for getter in down:
                assert errors[getter].startswith(f"{device}: ")
                assert prefix in errors[getter]  # the command the device refused
                assert "refused" in errors[getter] or "Invalid input" in errors[getter]
            assert row.status == "partial" and not row.ok and result.status == "partial"
            assert set(row.getters_ok.split(",")) == set(ALL) - down
            for getter, model in STORED.items():
                grew = count(sqlite_engine, model, device) > before[getter]
                assert grew == (getter not in down), (prefix, getter)
    finally:
        poller.close()
    with sqlite_engine.connect() as conn:
        facts = list(conn.execute(select(FactsSnapshot).where(FactsSnapshot.device == device)))
    assert facts and all(
        "Unknown" not in (f.hostname, f.model, f.os_version) and f.uptime_s >= 0 for f in facts
    )


def test_ios_device_that_only_answers_show_running_config_still_gets_its_config_backed_up(
    mini_lab: Any,
    mini_inventory: Any,
    lab_secrets: SecretStore,
    sqlite_engine: Engine,
    tmp_path: Path,
) -> None:
    mini_lab.fault("dist1", "limited", allow="show running-config")
    poller = poller_for(mini_lab, mini_inventory, lab_secrets, sqlite_engine, tmp_path, "dist1")
    try:
        result = poller.poll(["all"]).results[0]
    finally:
        poller.close()
    assert result.status == "partial" and set(result.data) == {"config"}
    assert count(sqlite_engine, ConfigBackup, "dist1") == 1
    assert count(sqlite_engine, FactsSnapshot, "dist1") == 0
    assert count(sqlite_engine, NeighborObservation, "dist1") == 0
    row = last_poll(sqlite_engine, "dist1")
    assert row.status == "partial" and row.getters_ok == "config"
    assert "'show version' refused" in json.loads(row.getter_errors)["facts"]
