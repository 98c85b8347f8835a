"""A Linux router through netmiko's ``linux`` driver (iproute2, /proc, lldpd)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from collectors.base import (
    ConfigText,
    Facts,
    InterfaceCounters,
    InterfaceInfo,
    Neighbor,
    QueueStats,
)
from collectors.drivers.session import SessionCollector
from collectors.parsers import linux as p
from netops.errors import ParseError


class LinuxCollector(SessionCollector):
    platform = "linux"

    def __init__(self, conn: Any, device: str, interfaces: Sequence[str] = ()) -> None:
        super().__init__(conn, device)
        # Interface names come from the validated inventory (letters, digits, ./:_-), so they
        # are safe inside a command line.
        self.interfaces = tuple(interfaces)

    def get_facts(self) -> Facts:
        return self._parse(p.parse_facts, p.CMD_HOSTNAME, p.CMD_UPTIME, p.CMD_UNAME, p.CMD_LINKS)

    def get_interfaces(self) -> list[InterfaceInfo]:
        return [link.info for link in self._parse(p.parse_links, p.CMD_LINKS)]

    def get_counters(self) -> list[InterfaceCounters]:
        return [link.counters for link in self._parse(p.parse_links, p.CMD_LINKS)]

    def get_neighbors(self) -> list[Neighbor]:
        return self._parse(p.parse_lldp, p.CMD_LLDP)

    def get_config(self) -> ConfigText:
        parts = [f"# {p.CMD_ADDR}\n{self._run(p.CMD_ADDR)}"]
        for dev in self.interfaces:
            for cmd in (p.cmd_tc_qdisc(dev), f"tc class show dev {dev}", p.cmd_tc_filter(dev)):
                parts.append(f"# {cmd}\n{self._run(cmd, may_be_empty=True)}")
        text = "\n".join(parts)
        if "inet" not in text and "link/" not in text:
            raise ParseError(self.device, "'ip addr' printed no interface: empty or truncated")
        return ConfigText(text)

    def get_queues(self) -> list[QueueStats]:
        out: list[QueueStats] = []
        for dev in self.interfaces:
            text = self._run(p.cmd_tc_class(dev), may_be_empty=True)
            classes = p.parse_tc_classes(self.device, dev, text)
            if not classes:
                continue
            filters = p.parse_tc_filters(
                self.device, dev, self._run(p.cmd_tc_filter(dev), may_be_empty=True)
            )
            out.extend(p.tc_queues(dev, classes, filters))
        return out
