"""One identity per MikroTik board: what ``/system resource``, ``/system routerboard``, ``/ip
neighbor`` and ``/system package`` say the router is.

Inventory models are written as MikroTik's shop does (``hEX S (RB760iGS)``): the name before the
brackets is the ``board-name`` RouterOS prints (spaces kept), the code in brackets the
routerboard ``model``.  Values (CPU, architecture, memory) are those of the real boards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RosIdentity:
    """A RouterBOARD as RouterOS describes it."""

    board_name: str  # ``hEX S``
    model_code: str  # ``RB760iGS``
    architecture: str  # ``arm64``, ``arm``, ``mmips``, ``mipsbe``
    cpu: str  # ``ARM64``, ``ARMv7``, ``MIPS 1004Kc V2.15``
    cpu_count: int
    cpu_mhz: int
    memory_mib: int
    hdd_mib: int


# routerboard code prefix, architecture, CPUs, MHz, RAM MiB, storage MiB
_BOARDS: tuple[tuple[str, str, int, int, int, int], ...] = (
    ("CCR2116", "arm64", 16, 2000, 16384, 128),
    ("CCR2004", "arm64", 4, 1700, 4096, 128),
    ("RB5009", "arm64", 4, 1400, 1024, 1024),
    ("RB4011", "arm", 4, 1400, 1024, 512),
    ("RB3011", "arm", 2, 1400, 1024, 128),
    ("RB760iGS", "mmips", 4, 880, 256, 16),
    ("CRS112", "mipsbe", 1, 400, 128, 128),
    ("RB922", "mipsbe", 1, 720, 128, 128),
    ("RBDynaDish", "mipsbe", 1, 720, 64, 16),
    ("RBLHG", "arm", 4, 716, 256, 16),
    ("RBD52G", "arm", 4, 716, 128, 16),
    ("LHG", "arm", 4, 716, 256, 16),
)
_CPU = {"arm64": "ARM64", "arm": "ARMv7", "mmips": "MIPS 1004Kc V2.15", "mipsbe": "MIPS 74Kc V5.0"}
_NAMED = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[^)]+)\)\s*$")


def identity(model: str) -> RosIdentity:
    """The identity of inventory model ``model`` (``hEX S (RB760iGS)``, ``CCR2004-16G-2S+``,
    ``LHG 5 ac``); an unknown board is an ARM router with its model as board name."""
    m = _NAMED.match(model)
    name, code = (m.group("name"), m.group("code")) if m else (model, model)
    board = next((b for b in _BOARDS if code.upper().startswith(b[0].upper())), None)
    prefix, arch, cpus, mhz, ram, hdd = board or (code, "arm", 4, 716, 256, 16)
    cpu = _CPU[arch]
    if arch == "mipsbe" and prefix == "CRS112":
        cpu = "MIPS 24Kc V7.4"
    return RosIdentity(
        board_name=name,
        model_code=code,
        architecture=arch,
        cpu=cpu,
        cpu_count=cpus,
        cpu_mhz=mhz,
        memory_mib=ram,
        hdd_mib=hdd,
    )
