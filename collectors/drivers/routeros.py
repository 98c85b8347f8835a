"""MikroTik RouterOS through netmiko's ``mikrotik_routeros`` driver and the pure parsers."""

from __future__ import annotations

import re
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
from collectors.parsers import routeros as p

_NO_STATS_DETAIL = re.compile(r"^(bad command name|expected end of command|syntax error)", re.M)


class RouterOSCollector(Collector):
    platform = "mikrotik_routeros"

    def __init__(self, conn: Any, device: str) -> None:
        self.conn = conn
        self.device = device
        self._table_counters = False

    def _run(self, command: str) -> str:
        return send_command(self.conn, self.device, command)

    def get_facts(self) -> Facts:
        return p.parse_facts(
            self.device,
            self._run(p.CMD_RESOURCE),
            self._run(p.CMD_IDENTITY),
            self._run(p.CMD_ROUTERBOARD),
            self._run(p.CMD_INTERFACES),
        )

    def get_interfaces(self) -> list[InterfaceInfo]:
        return p.parse_interfaces(self.device, self._run(p.CMD_INTERFACES))

    def get_counters(self) -> list[InterfaceCounters]:
        """``print stats-detail`` (``key=value`` items); a RouterOS that does not know that
        option answers with a syntax error, and from then on the ``print stats`` table is read."""
        if not self._table_counters:
            text = self._run(p.CMD_COUNTERS)
            if not _NO_STATS_DETAIL.search(text):
                return p.parse_counters_detail(self.device, text)
            self._table_counters = True
        return p.parse_counters_table(self.device, self._run(p.CMD_COUNTERS_TABLE))

    def get_neighbors(self) -> list[Neighbor]:
        return p.parse_neighbors(self.device, self._run(p.CMD_NEIGHBORS))

    def get_config(self) -> ConfigText:
        return ConfigText(p.parse_export(self.device, self._run(p.CMD_EXPORT)))

    def get_queues(self) -> list[QueueStats]:
        return p.parse_queues(self.device, self._run(p.CMD_QUEUES), self._run(p.CMD_QUEUE_STATS))

    def is_alive(self) -> bool:
        return session_alive(self.conn)

    def close(self) -> None:
        close_session(self.conn)
