"""Cisco IOS through napalm's ``ios`` driver, on the netmiko session netops opened.

napalm would open its own session; giving it ours keeps one session per device (reused across
cycles), our host-key checks, timeouts and loopback guard.  napalm's getters turn a refused
command into ``"Unknown"``/``-1`` facts or an empty neighbour table, so every command napalm
sends goes through the same refusal check as the other drivers (:mod:`collectors.refusals`):
a refusal ends that getter with :class:`~netops.errors.CommandRefused` before napalm sees it.
"""

from __future__ import annotations

from typing import Any, Protocol

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
from collectors.refusals import check_output


class _Owner(Protocol):
    device: str

    def read_timeout_s(self, command: str) -> float | None: ...


class _Guarded:
    """Wraps the netmiko session so napalm's send_command errors are translated, every read is
    bounded by the device's deadline and a refused or empty answer raises
    :class:`~netops.errors.CommandRefused` (``outputs`` keeps the last answer per command)."""

    def __init__(self, conn: Any, owner: _Owner) -> None:
        self._conn = conn
        self._owner = owner
        self.outputs: dict[str, str] = {}

    def send_command(self, command: str, **kwargs: Any) -> str:
        device = self._owner.device
        timeout_s = self._owner.read_timeout_s(command)
        saved = getattr(self._conn, "read_timeout_override", None)
        try:
            if timeout_s is not None:
                self._conn.read_timeout_override = timeout_s
            text = str(self._conn.send_command(command, **kwargs))
        except BaseException as exc:
            raise translate_error(device, exc, during=f"running {command!r}") from None
        finally:
            if timeout_s is not None:
                self._conn.read_timeout_override = saved
        self.outputs[command] = text
        return check_output(device, "cisco_ios", command, text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


class IOSCollector(SessionCollector):
    platform = "cisco_ios"

    def __init__(self, conn: Any, device: str) -> None:
        super().__init__(conn, device)
        self.guarded = _Guarded(conn, self)
        self.driver = p.napalm_driver(self.guarded)

    def get_facts(self) -> Facts:
        return p.get_facts(self.device, self.driver)

    def get_interfaces(self) -> list[InterfaceInfo]:
        return p.get_interfaces(self.device, self.driver)

    def get_counters(self) -> list[InterfaceCounters]:
        return p.get_counters(self.device, self.driver)

    def get_neighbors(self) -> list[Neighbor]:
        found = p.get_neighbors(self.device, self.driver)
        if not found:
            p.check_no_neighbors(self.device, self.guarded.outputs)
        return found

    def get_config(self) -> ConfigText:
        return p.get_config(self.device, self.driver)

    def get_queues(self) -> list[QueueStats]:
        """MQC classes from ``show policy-map interface``, targets from ``show ip access-lists``
        (see :mod:`collectors.parsers.ios_qos`: one ``nx-a-<code>`` record per netops agency)."""
        # IOS prints nothing when no interface has a policy or no ACL exists: empty is an answer
        outputs = {cmd: self._run(cmd, may_be_empty=True) for cmd in (q.CMD_POLICY, q.CMD_ACLS)}
        return q.parse_queues(self.device, outputs)
