"""The adapter reads the collectors' real tables (SQLite file and PostgreSQL)."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner

from netops.cli.main import cli
from netops.storage.telemetry import InterfaceSample, NeighborObservation
from topology.model import DiscoveredLink, InterfaceRate
from topology.sources import read_observed, read_observed_from_url

MINI = Path(__file__).parents[1] / "fixtures" / "mini-inventory.yaml"


def _neighbor(device, local, remote, port, seen_s):
    return NeighborObservation(
        device=device,
        seen_s=seen_s,
        local_interface=local,
        remote_system_name=remote,
        remote_port=port,
        remote_address="",
        protocol="lldp",
    )


def _sample(device, interface, at_s, in_bps, out_bps):
    return InterfaceSample(
        device=device,
        interface=interface,
        at_s=at_s,
        octets_in=0,
        octets_out=0,
        packets_in=0,
        packets_out=0,
        errors_in=0,
        errors_out=0,
        counter_bits=64,
        speed_mbps=1000.0,
        in_bps=in_bps,
        out_bps=out_bps,
        status="up",
    )


def _fill(session):
    now = time.time()
    session.add_all(
        [
            # an older poll of core1 that saw a since-removed neighbour: must be ignored
            _neighbor("core1", "ether5", "old-switch", "ge1", now - 3600),
            _neighbor("core1", "ether2", "dist1.kab.go.id", "Gi1/0/1", now),
            _neighbor("core1", "ether3", "ptp-utara", "wlan1", now),
            _neighbor("dist1", "Gi1/0/1", "core1", "ether2", now - 10),
            _sample("core1", "ether3", now - 60, 1e6, 2e6),
            _sample("core1", "ether3", now, 30e6, 120e6),
        ]
    )
    session.commit()


def test_latest_neighbours_and_rates_become_topology_inputs(session):
    _fill(session)
    obs = read_observed(session)
    assert sorted(obs.discovered) == sorted(
        [
            DiscoveredLink("core1", "ether2", "dist1.kab.go.id", "Gi1/0/1"),
            DiscoveredLink("core1", "ether3", "ptp-utara", "wlan1"),
            DiscoveredLink("dist1", "Gi1/0/1", "core1", "ether2"),
        ]
    )
    assert obs.polled_devices == {"core1", "dist1"}
    assert obs.rates == {("core1", "ether3"): InterfaceRate(30e6, 120e6)}


def test_empty_database_means_no_discovery_data(session):
    obs = read_observed(session)
    assert obs.discovered is None and obs.rates == {}


def test_check_against_the_database_reports_drift_and_exits_1(session, db_url):
    _fill(session)
    session.add(_neighbor("core1", "ether4", "rogue-ap", "eth0", time.time()))
    session.commit()
    assert read_observed_from_url(db_url).discovered is not None
    res = CliRunner().invoke(cli, ["topology", "check", "-i", str(MINI), "--db", db_url])
    assert res.exit_code == 1, res.output
    assert "rogue-ap" in res.output
    assert "unverified (no neighbour data from either end): 0" in res.output
