"""MikroTik RouterOS through netmiko's ``mikrotik_routeros`` driver and the pure parsers."""

from __future__ import annotations

import re
from dataclasses import replace
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
from collectors.parsers import routeros as p
from collectors.parsers import routeros_tree as tree
from collectors.refusals import check_output
from netops.errors import ParseError

_NO_STATS_DETAIL = re.compile(r"^(bad command name|expected end of command|syntax error)", re.M)
TREE_NAME_PREFIX = "tree:"


class RouterOSCollector(SessionCollector):
    platform = "mikrotik_routeros"

    def __init__(self, conn: Any, device: str) -> None:
        super().__init__(conn, device)
        self._table_counters = False

    def get_facts(self) -> Facts:
        return self._parse(
            p.parse_facts, p.CMD_RESOURCE, p.CMD_IDENTITY, p.CMD_ROUTERBOARD, p.CMD_INTERFACES
        )

    def get_interfaces(self) -> list[InterfaceInfo]:
        return self._parse(p.parse_interfaces, p.CMD_INTERFACES)

    def get_counters(self) -> list[InterfaceCounters]:
        """``print stats-detail`` (``key=value`` items); a RouterOS that does not know that
        option answers with a syntax error, and from then on the ``print stats`` table is read."""
        if not self._table_counters:
            text = self._run_raw(p.CMD_COUNTERS)
            if not _NO_STATS_DETAIL.search(text):
                check_output(self.device, self.platform, p.CMD_COUNTERS, text)
                return p.parse_counters_detail(self.device, text)
            self._table_counters = True
        return self._parse(p.parse_counters_table, p.CMD_COUNTERS_TABLE)

    def get_neighbors(self) -> list[Neighbor]:
        """RouterOS prints nothing for an empty neighbour table, so an empty answer is taken
        as "no neighbours" only when ``print count-only`` then says ``0``."""
        text = self._run(p.CMD_NEIGHBORS, may_be_empty=True)
        if text.strip():
            return p.parse_neighbors(self.device, text)
        count = self._run(p.CMD_NEIGHBOR_COUNT).strip()
        if count != "0":
            raise ParseError(
                self.device,
                f"{p.CMD_NEIGHBORS!r} printed nothing and {p.CMD_NEIGHBOR_COUNT!r} answered "
                f"{count[:80]!r}, not 0: no neighbour list stored",
            )
        return []

    def get_config(self) -> ConfigText:
        return ConfigText(self._parse(p.parse_export, p.CMD_EXPORT))

    def get_queues(self) -> list[QueueStats]:
        """Simple queues (``nx-a-<code>``, both directions each), then queue tree queues
        (``nx-a-<code>-down`` / ``-up``, one direction each; see
        :mod:`collectors.parsers.routeros_tree`).  The tree's limits and mark rules are read
        only when ``print stats`` lists a tree queue, so a router without one costs one
        command more.  A tree queue named like a simple queue is stored as ``tree:<name>``
        (the two would otherwise share one counter history)."""
        simple = p.parse_queues(
            self.device,
            self._run(p.CMD_QUEUES, may_be_empty=True),
            self._run(p.CMD_QUEUE_STATS, may_be_empty=True),
        )
        stats = self._run(tree.CMD_TREE_STATS, may_be_empty=True)
        if not tree.has_items(self.device, stats):
            return simple
        found = tree.parse_tree_queues(
            self.device,
            self._run(tree.CMD_TREE, may_be_empty=True),
            stats,
            self._run(tree.CMD_MANGLE, may_be_empty=True),
        )
        taken = {q.name for q in simple}
        return simple + [
            replace(q, name=f"{TREE_NAME_PREFIX}{q.name}") if q.name in taken else q for q in found
        ]
