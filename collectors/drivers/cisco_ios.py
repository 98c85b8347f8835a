"""Cisco IOS through napalm's ``ios`` driver, on the netmiko session netops opened.

napalm would open its own session; giving it ours keeps one session per device (reused across
cycles), our host-key checks, timeouts and loopback guard.
"""

from __future__ import annotations

from typing import Any

from collectors.base import (
    ConfigText,
    Facts,
    InterfaceCounters,
    InterfaceInfo,
    Neighbor,
    QueueStats,
)
from collectors.connect import translate_error
from collectors.drivers.session import SessionCollector
from collectors.parsers import ios as p
from collectors.parsers import ios_qos as q


class _Guarded:
    """Wraps the netmiko session so napalm's send_command errors are translated."""

    def __init__(self, conn: Any, device: str) -> None:
        self._conn = conn
        self._device = device

    def send_command(self, command: str, **kwargs: Any) -> str:
        try:
            return str(self._conn.send_command(command, **kwargs))
        except BaseException as exc:
            raise translate_error(self._device, exc, during=f"running {command!r}") from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class IOSCollector(SessionCollector):
    platform = "cisco_ios"

    def __init__(self, conn: Any, device: str) -> None:
        super().__init__(conn, device)
        self.driver = p.napalm_driver(_Guarded(conn, device))

    def get_facts(self) -> Facts:
        return p.get_facts(self.device, self.driver)

    def get_interfaces(self) -> list[InterfaceInfo]:
        return p.get_interfaces(self.device, self.driver)

    def get_counters(self) -> list[InterfaceCounters]:
        return p.get_counters(self.device, self.driver)

    def get_neighbors(self) -> list[Neighbor]:
        return p.get_neighbors(self.device, self.driver)

    def get_config(self) -> ConfigText:
        return p.get_config(self.device, self.driver)

    def get_queues(self) -> list[QueueStats]:
        """MQC classes from ``show policy-map interface``, targets from ``show ip access-lists``
        (see :mod:`collectors.parsers.ios_qos`: one ``nx-a-<code>`` record per netops agency)."""
        outputs = {cmd: self._run(cmd) for cmd in (q.CMD_POLICY, q.CMD_ACLS)}
        return q.parse_queues(self.device, outputs)
