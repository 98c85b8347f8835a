"""Thin adapter: read discovered neighbours and interface rates from the collectors' storage.

The analyses never import storage; this module converts the collectors' records
(``netops.storage.telemetry.latest_neighbors`` / ``latest_interface_rates``) into the topology's
own :class:`~topology.model.DiscoveredLink` and :class:`~topology.model.InterfaceRate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from netops.errors import NetopsError, TopologyError
from topology.model import DiscoveredLink, InterfaceRate


@dataclass(frozen=True)
class Observed:
    """What the collectors stored: neighbours (``None`` when the database has none at all),
    the devices whose neighbour tables were read, and interface rates (bit/s)."""

    discovered: list[DiscoveredLink] | None
    polled_devices: set[str] | None
    rates: dict[tuple[str, str], InterfaceRate]


def _telemetry() -> Any:
    from netops.storage import telemetry

    missing = [
        f for f in ("latest_neighbors", "latest_interface_rates") if not hasattr(telemetry, f)
    ]
    if missing:
        raise TopologyError(
            "this netops build has no collector storage for "
            + ", ".join(missing)
            + "; run without --db for a planned-only report"
        )
    return telemetry


def read_observed(session: Any) -> Observed:
    """Latest neighbours and rates from an open SQLAlchemy session.

    Raises :class:`TopologyError` if the storage functions are missing, and passes on
    :class:`~netops.errors.StorageError` from the database.
    """
    telemetry = _telemetry()
    try:
        neighbors = telemetry.latest_neighbors(session)
        rates_raw = telemetry.latest_interface_rates(session)
    except NetopsError:
        raise
    except Exception as exc:  # SQLAlchemy errors: name the cause, no traceback
        raise TopologyError(f"cannot read collector data: {exc}") from None
    discovered = [
        DiscoveredLink(
            str(n.device), str(n.local_interface), str(n.remote_system_name), str(n.remote_port)
        )
        for n in neighbors
    ]
    rates = {
        (str(dev), str(ifname)): InterfaceRate(float(r.in_bps or 0.0), float(r.out_bps or 0.0))
        for (dev, ifname), r in rates_raw.items()
    }
    polled = {d.device for d in discovered}
    return Observed(discovered if discovered else None, polled or None, rates)


def read_observed_from_url(url: str) -> Observed:
    """Open the database at ``url`` (read only, no migration) and read :func:`read_observed`."""
    from netops.errors import StorageError
    from netops.storage.db import (
        current_revisions,
        head_revisions,
        make_engine,
        session_factory,
        sqlite_file_missing,
    )

    if sqlite_file_missing(url):  # read only: never create the file
        raise StorageError(f"no database at {url}: run netops inventory sync and netops poll")
    engine = make_engine(url)
    try:
        if current_revisions(engine) != head_revisions():
            raise StorageError(
                f"the database at {engine.url.render_as_string(hide_password=True)} is not at "
                "the current schema: run netops db upgrade"
            )
        with session_factory(engine)() as session:
            return read_observed(session)
    finally:
        engine.dispose()
