"""A Linux router through netmiko's ``linux`` driver (iproute2, /proc, lldpd)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from collectors.base import (
    Collector,
    ConfigText,
    Facts,
    InterfaceCounters,
    InterfaceInfo,
    Neighbor,
    QueueStats,
)
from collectors.connect import close_session, send_command, session_alive
from collectors.parsers import linux as p
from netops.errors import ParseError


class LinuxCollector(Collector):
    platform = "linux"

    def __init__(self, conn: Any, device: str, interfaces: Sequence[str] = ()) -> None:
        self.conn = conn
        self.device = device
        # Interface names come from the validated inventory (letters, digits, ./:_-), so they
        # are safe inside a command line.
        self.interfaces = tuple(interfaces)

    def _run(self, command: str) -> str:
        return send_command(self.conn, self.device, command)

    def get_facts(self) -> Facts:
        return p.parse_facts(
            self.device,
            self._run(p.CMD_HOSTNAME),
            self._run(p.CMD_UPTIME),
            self._run(p.CMD_UNAME),
            self._run(p.CMD_LINKS),
        )

    def get_interfaces(self) -> list[InterfaceInfo]:
        return [link.info for link in p.parse_links(self.device, self._run(p.CMD_LINKS))]

    def get_counters(self) -> list[InterfaceCounters]:
        return [link.counters for link in p.parse_links(self.device, self._run(p.CMD_LINKS))]

    def get_neighbors(self) -> list[Neighbor]:
        return p.parse_lldp(self.device, self._run(p.CMD_LLDP))

    def get_config(self) -> ConfigText:
        parts = [f"# {p.CMD_ADDR}\n{self._run(p.CMD_ADDR)}"]
        for dev in self.interfaces:
            for cmd in (p.cmd_tc_qdisc(dev), f"tc class show dev {dev}", p.cmd_tc_filter(dev)):
                parts.append(f"# {cmd}\n{self._run(cmd)}")
        text = "\n".join(parts)
        if "inet" not in text and "link/" not in text:
            raise ParseError(self.device, "'ip addr' printed no interface: empty or truncated")
        return ConfigText(text)

    def get_queues(self) -> list[QueueStats]:
        out: list[QueueStats] = []
        for dev in self.interfaces:
            text = self._run(p.cmd_tc_class(dev))
            classes = p.parse_tc_classes(self.device, dev, text)
            if not classes:
                continue
            filters = p.parse_tc_filters(self.device, dev, self._run(p.cmd_tc_filter(dev)))
            out.extend(p.tc_queues(dev, classes, filters))
        return out

    def is_alive(self) -> bool:
        return session_alive(self.conn)

    def close(self) -> None:
        close_session(self.conn)
