"""What discovery saw, and the link id: the pieces :mod:`topology.model` and :mod:`topology.drift`
share.  They live here, below both, so the two modules no longer import each other (the model uses
drift's matching; drift uses only these).  :mod:`topology.model` re-exports both names.  Pure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class DiscoveredLink:
    """One neighbour seen by LLDP/MNDP/CDP on ``device``'s ``local_interface``.

    Example: ``DiscoveredLink("core1", "ether2", "dist1.kab.go.id", "Gi1/0/1")``.  The remote
    name may be a FQDN and the port an abbreviation; both are normalised before matching.
    """

    device: str
    local_interface: str
    remote_system_name: str
    remote_port: str


def link_id(a: tuple[str, str], b: tuple[str, str]) -> str:
    """Stable id of a link between two ports, independent of the order of its ends."""
    x, y = sorted([a, b])
    return f"{x[0]}:{x[1]}--{y[0]}:{y[1]}"
