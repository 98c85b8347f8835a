"""One identity per Catalyst model: what ``show version``, ``show interfaces``, ``show
inventory`` and LLDP say the switch is, so that no output contradicts another.

The values are those real switches of each family print (IOS-XE 17 on Catalyst 9000, IOS-XE 16
on the 3850, classic IOS 15.2 on the 2960-X and 3750-E); a model is matched by the longest
prefix of its part number (``C9300-24S`` -> ``C9300``), unknown models get the 3750-E.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IosIdentity:
    """A Catalyst family as its software describes it."""

    prefix: str
    xe: bool  # IOS-XE (``Cisco IOS XE Software, Version ...`` banner, packages.conf)
    version: str  # as the ``Cisco IOS Software`` line and LLDP print it: ``17.9.4a``
    xe_version: str  # IOS-XE's zero-padded form: ``17.09.04a`` ("" on classic IOS)
    train: str  # IOS-XE release name in brackets: ``Cupertino`` ("" on classic IOS)
    family: str  # ``Catalyst L3 Switch Software``, ``C2960X Software``
    image: str  # ``CAT9K_IOSXE``
    image_file: str  # ``flash:packages.conf``
    sw_image: str  # the ``SW Image`` column of the switch table
    processor: str  # ``X86``, ``ARM64``, ``MIPS``, ``APM86XXX``, ``PowerPC405``
    memory: str  # ``1338934K/6147K bytes of memory.``
    rom: str
    bootldr: str
    compiled: str
    assembly: str  # motherboard assembly number
    ten_media: str = "SFP-10GBase-SR"
    sfp_media: str = "1000BaseSX SFP"
    copper_media: str = "10/100/1000BaseTX"
    power_supply: str = "PWR-C1-350WAC"
    fan: str = "FAN-T1"

    def banner_line(self) -> str:
        """The ``Cisco IOS Software ...`` line (also LLDP's system description)."""
        train = f" [{self.train}]" if self.train else ""
        return (
            f"Cisco IOS Software{train}, {self.family} ({self.image}), Version {self.version}, "
            "RELEASE SOFTWARE (fc3)"
        )


IDENTITIES: tuple[IosIdentity, ...] = (
    IosIdentity(
        prefix="C9300",
        xe=True,
        version="17.9.4a",
        xe_version="17.09.04a",
        train="Cupertino",
        family="Catalyst L3 Switch Software",
        image="CAT9K_IOSXE",
        image_file="flash:packages.conf",
        sw_image="CAT9K_IOSXE",
        processor="X86",
        memory="1338934K/6147K bytes of memory.",
        rom="IOS-XE ROMMON",
        bootldr="System Bootstrap, Version 17.8.1r[FC1], RELEASE SOFTWARE (P)",
        compiled="Compiled Fri 20-Oct-23 10:44 by mcpre",
        assembly="73-18775-04",
        power_supply="PWR-C1-715WAC-P",
        fan="FAN-T2",
    ),
    IosIdentity(
        prefix="C9200L",
        xe=True,
        version="17.9.4a",
        xe_version="17.09.04a",
        train="Cupertino",
        family="Catalyst L3 Switch Software",
        image="CAT9K_LITE_IOSXE",
        image_file="flash:packages.conf",
        sw_image="CAT9K_LITE_IOSXE",
        processor="ARM64",
        memory="1400149K/6147K bytes of memory.",
        rom="IOS-XE ROMMON",
        bootldr="C9200L Boot Loader (C9200L-HBOOT-M) Version 17.9.1r, RELEASE SOFTWARE (P)",
        compiled="Compiled Fri 20-Oct-23 10:44 by mcpre",
        assembly="73-18699-05",
        power_supply="PWR-C5-600WAC",
        fan="FAN-C9200L",
    ),
    IosIdentity(
        prefix="WS-C3850",
        xe=True,
        version="16.12.10a",
        xe_version="16.12.10a",
        train="Gibraltar",
        family="Catalyst L3 Switch Software",
        image="CAT3K_CAA-UNIVERSALK9-M",
        image_file="flash:packages.conf",
        sw_image="CAT3K_CAA-UNIVERSALK9",
        processor="MIPS",
        memory="795416K/6147K bytes of memory.",
        rom="IOS-XE ROMMON",
        bootldr="CAT3K_CAA Boot Loader (CAT3K_CAA-HBOOT-M) Version 4.78, RELEASE SOFTWARE (P)",
        compiled="Compiled Thu 28-Mar-24 03:14 by mcpre",
        assembly="73-15804-06",
        power_supply="PWR-C1-350WAC",
        fan="FAN-T1",
    ),
    IosIdentity(
        prefix="WS-C2960X",
        xe=False,
        version="15.2(7)E8",
        xe_version="",
        train="",
        family="C2960X Software",
        image="C2960X-UNIVERSALK9-M",
        image_file="flash:/c2960x-universalk9-mz.152-7.E8.bin",
        sw_image="C2960X-UNIVERSALK9-M",
        processor="APM86XXX",
        memory="524288K bytes of memory.",
        rom="Bootstrap program is C2960X boot loader",
        bootldr="C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(7r)E, RELEASE SOFTWARE (fc1)",
        compiled="Compiled Fri 13-Nov-20 03:44 by prod_rel_team",
        assembly="73-15266-10",
        power_supply="PWR-C2-250WAC",
        fan="FAN-T3",
    ),
    IosIdentity(
        prefix="WS-C3750",
        xe=False,
        version="15.2(4)E10",
        xe_version="",
        train="",
        family="C3750E Software",
        image="C3750E-UNIVERSALK9-M",
        image_file="flash:/c3750e-universalk9-mz.152-4.E10.bin",
        sw_image="C3750E-UNIVERSALK9-M",
        processor="PowerPC405",
        memory="262144K bytes of memory.",
        rom="Bootstrap program is C3750E boot loader",
        bootldr="C3750E Boot Loader (C3750X-HBOOT-M) Version 12.2(58r)SE, RELEASE SOFTWARE (fc1)",
        compiled="Compiled Tue 03-Sep-19 16:48 by prod_rel_team",
        assembly="73-11473-06",
        power_supply="C3K-PWR-750WAC",
        fan="FAN-3750E",
    ),
)
DEFAULT = IDENTITIES[-1]
_UPLINK = re.compile(r"^GigabitEthernet\d+/1/\d+$")
_PORT = re.compile(r"^GigabitEthernet\d+/0/(\d+)$")


def identity(model: str) -> IosIdentity:
    """The identity of ``model`` (longest matching prefix; the 3750-E when none matches)."""
    hits = [i for i in IDENTITIES if model.upper().startswith(i.prefix)]
    return max(hits, key=lambda i: len(i.prefix)) if hits else DEFAULT


def hardware(name: str) -> str:
    """``Hardware is ...`` of an interface: ``Ten Gigabit Ethernet``, ``Gigabit Ethernet``."""
    if name.startswith("TenGigabitEthernet"):
        return "Ten Gigabit Ethernet"
    if name.startswith(("TwentyFiveGigE", "FortyGigabitEthernet", "HundredGigE")):
        return name.rstrip("0123456789/")
    if name.startswith("FastEthernet"):
        return "Fast Ethernet"
    return "Gigabit Ethernet"


def media_type(model: str, name: str) -> str:
    """``media type is ...`` of port ``name`` on ``model``: 10G ports are SFP+ (``SFP-10GBase-SR``);
    gigabit ports are SFP on the all-fibre models (``-S``/``-12S``/``-24S``), on the uplink module
    (``Gi1/1/x``) and on the 2960-X's ports 25-28; the rest are copper."""
    ident = identity(model)
    if name.startswith("TenGigabitEthernet"):
        return ident.ten_media
    if not name.startswith("GigabitEthernet"):
        return ident.copper_media
    all_fibre = bool(re.search(r"-\d*S$", model.upper()))
    port = _PORT.match(name)
    if (
        all_fibre
        or _UPLINK.match(name)
        or (ident.prefix == "WS-C2960X" and port is not None and int(port.group(1)) > 24)
    ):
        return ident.sfp_media
    return ident.copper_media


def speed_text(speed_mbps: float) -> str:
    """IOS's speed field: ``1000Mb/s``, ``10Gb/s``."""
    mbps = int(speed_mbps)
    return f"{mbps // 1000}Gb/s" if mbps >= 10000 and mbps % 1000 == 0 else f"{mbps}Mb/s"
