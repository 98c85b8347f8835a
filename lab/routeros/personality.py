"""The MikroTik RouterOS 7 personality: menus, commands and errors as RouterOS prints them.

Speaks what netmiko's ``mikrotik_routeros`` driver and the bandwidth enforcer send::

    [netops@core1] > /queue simple add name=diskominfo target=10.10.1.0/24 max-limit=60M/150M
    [netops@core1] > /queue simple print stats where name=diskominfo
    [netops@core1] > /queue simple set [find name="diskominfo"] max-limit=80M/200M
    [netops@core1] > /export terse

Paths may be absolute (``/queue simple``, ``/queue/simple/print``), relative to the current menu
(typing ``/queue simple`` alone moves there and changes the prompt) or abbreviated
(``/sys res pr``).  Errors are RouterOS's: ``bad command name foo (line 1 column 1)``,
``expected end of command (line 1 column 27)``, ``failure: already have such name``,
``no such item``, ``input does not match any value of queue``.
"""

from __future__ import annotations

import re

from lab.personalities import register
from lab.personality import Personality, SessionContext
from lab.routeros import pages
from lab.routeros.config import RosConfig
from lab.routeros.render import export_line, export_section, print_table
from lab.routeros.tables import Item, RosError, Table
from lab.routeros.units import format_live_rate
from lab.routeros.words import Condition, RosSyntaxError, Word, parse_conditions, quote, tokenize
from lab.state import MEAN_PACKET_OCTETS, DeviceState, ShapingCap

Path = tuple[str, ...]
TABLE_COMMANDS = ("add", "set", "remove", "enable", "disable", "print", "export", "find")
COMMANDS: dict[Path, tuple[str, ...]] = {
    (): ("export", "quit"),
    ("system",): ("reboot",),
    ("system", "resource"): ("print",),
    ("system", "identity"): ("print", "set", "export"),
    ("system", "routerboard"): ("print",),
    ("system", "clock"): ("print", "set", "export"),
    ("interface",): ("print", "set", "enable", "disable", "export", "find"),
    ("interface", "ethernet"): ("print", "set", "enable", "disable", "export"),
    ("ip",): (),
    ("ip", "address"): TABLE_COMMANDS,
    ("ip", "neighbor"): ("print",),
    ("ip", "firewall"): (),
    ("ip", "firewall", "mangle"): TABLE_COMMANDS,
    ("queue",): (),
    ("queue", "simple"): TABLE_COMMANDS,
    ("queue", "tree"): TABLE_COMMANDS,
    ("log",): ("print",),
}
PRINT_MODES = ("stats", "detail", "terse", "brief", "stats-detail", "without-paging", "count-only")
PRINT_PAIRS = ("interval", "file", "from", "append", "value-list", "as-value", "proplist")
EXPORT_FLAGS = ("terse", "compact", "verbose", "hide-sensitive", "show-sensitive")


def resolve(word: str, candidates: tuple[str, ...] | list[str]) -> str | None:
    """``word`` itself or the one candidate it abbreviates (RouterOS accepts unique prefixes)."""
    if word in candidates:
        return word
    hits = [c for c in candidates if c.startswith(word)]
    return hits[0] if len(hits) == 1 else None


@register
class RouterOsPersonality(Personality):
    """A MikroTik router (``mikrotik_routeros``)."""

    platform = "mikrotik_routeros"

    def __init__(self, state: DeviceState) -> None:
        super().__init__(state)
        self.config = RosConfig(state)
        self.log: list[str] = []

    # -- session ---------------------------------------------------------------------------
    def new_session(self, username: str, login_options: str = "") -> SessionContext:
        session = SessionContext(username=username, login_options=login_options, mode="shell")
        m = re.search(r"(\d+)w", login_options)
        session.terminal_width = int(m.group(1)) if m else 80
        session.scratch["path"] = ()
        date, clock = pages.ros_datetime(self.state.now_s())
        self.log.append(f"{date} {clock} system,info,account user {username} logged in via ssh")
        return session

    def banner(self) -> str:
        return (
            "\n\n  MikroTik RouterOS " + self.state.os_version + " (c) 1999-2024"
            "       https://www.mikrotik.com/\n\n"
            "Press F1 for help\n"
        )

    def prompt(self, session: SessionContext) -> str:
        path: Path = session.scratch.get("path", ())
        where = "/" + " ".join(path) if path else ""
        return f"[{session.username}@{self.config.identity}] {where}> "

    def shaping_caps(self) -> list[ShapingCap]:
        return self.config.shaping_caps()

    # -- commands --------------------------------------------------------------------------
    def handle(self, line: str, session: SessionContext) -> str:
        if not line.strip():
            return ""
        try:
            return self._run(line, session)
        except RosSyntaxError as exc:
            return f"{exc} (line 1 column {exc.column})"
        except RosError as exc:
            return str(exc)

    def _run(self, line: str, session: SessionContext) -> str:
        words = tokenize(line)
        path: list[str] = list(session.scratch.get("path", ()))
        first = words[0]
        if not first.is_pair and first.nested is None and first.text.startswith("/"):
            path = []
            expanded: list[Word] = []
            offset = first.column
            for part in first.text.split("/"):
                if part:
                    expanded.append(Word(column=offset, text=part))
                offset += len(part) + 1
            words = expanded + words[1:]
        i = 0
        while i < len(words):
            w = words[i]
            if w.is_pair or w.nested is not None:
                break
            if w.text == "..":
                if path:
                    path.pop()
                i += 1
                continue
            children = [
                m[-1] for m in COMMANDS if len(m) == len(path) + 1 and m[:-1] == tuple(path)
            ]
            child = resolve(w.text, children)
            if child is None or (child in COMMANDS.get(tuple(path), ()) and child == w.text):
                break
            path.append(child)
            i += 1
        if i == len(words):
            session.scratch["path"] = tuple(path)
            return ""
        cmd_word = words[i]
        commands = COMMANDS.get(tuple(path), ()) + ("quit",)
        cmd = None
        if not cmd_word.is_pair and cmd_word.nested is None:
            cmd = resolve(cmd_word.text, commands)
        if cmd is None:
            name = cmd_word.key if cmd_word.is_pair else cmd_word.text
            raise RosSyntaxError(f"bad command name {name}", cmd_word.column)
        return self._dispatch(tuple(path), cmd, words[i + 1 :], session)

    def _dispatch(self, path: Path, cmd: str, args: list[Word], session: SessionContext) -> str:
        width = session.terminal_width
        if cmd == "quit":
            session.closed = True
            return ""
        if cmd == "export":
            return self._export(path, args)
        table = self._table(path)
        if table is not None:
            return self._table_command(table, cmd, args, width)
        if path == ("system", "resource"):
            self._print_options(args)
            return pages.resource(self.state)
        if path == ("system", "routerboard"):
            self._print_options(args)
            return pages.routerboard(self.state)
        if path == ("system", "identity"):
            if cmd == "set":
                self.config.identity = self._single_pair(args, "name")
                return ""
            self._print_options(args)
            return f"  name: {self.config.identity}"
        if path == ("system", "clock"):
            if cmd == "set":
                self.config.time_zone = self._single_pair(args, "time-zone-name")
                return ""
            self._print_options(args)
            return pages.clock(self.state, self.config.time_zone)
        if path == ("system",) and cmd == "reboot":
            return "Reboot, yes? [y/N]: \naction cancelled"
        if path in (("interface",), ("interface", "ethernet")):
            return self._interface_command(cmd, args, width)
        if path == ("ip", "neighbor"):
            mode, _, _ = self._print_options(args)
            return pages.neighbors(self.state, detail=mode == "detail", width=width)
        if path == ("log",):
            self._print_options(args)
            return "\n".join(f" {entry}" for entry in self.log[-50:])
        raise RosSyntaxError(f"bad command name {cmd}", 1)  # pragma: no cover

    # -- option parsing --------------------------------------------------------------------
    def _print_options(self, args: list[Word]) -> tuple[str, list[Condition], bool]:
        """(mode, where-conditions, count-only) of a ``print``; unknown words are errors."""
        mode = ""
        count_only = False
        for n, w in enumerate(args):
            if w.is_pair:
                if w.key in PRINT_PAIRS:
                    continue
                raise RosSyntaxError("expected end of command", w.column)
            if w.text == "where":
                return mode, parse_conditions(args[n + 1 :]), count_only
            option = resolve(w.text, PRINT_MODES) if w.nested is None else None
            if option is None:
                raise RosSyntaxError("expected end of command", w.column)
            if option == "count-only":
                count_only = True
            elif option != "without-paging":
                mode = option
        return mode, [], count_only

    @staticmethod
    def _single_pair(args: list[Word], key: str) -> str:
        for w in args:
            if not w.is_pair or w.key != key:
                raise RosSyntaxError("expected end of command", w.column)
            return w.value
        raise RosError(f"failure: {key} not specified")

    @staticmethod
    def _split_numbers(args: list[Word]) -> tuple[list[Word], list[Word]]:
        numbers = [w for w in args if not w.is_pair or w.key == "numbers"]
        pairs = [w for w in args if w.is_pair and w.key != "numbers"]
        return numbers, pairs

    # -- item menus ------------------------------------------------------------------------
    def _table(self, path: Path) -> Table | None:
        return {
            ("queue", "simple"): self.config.simple,
            ("queue", "tree"): self.config.tree,
            ("ip", "firewall", "mangle"): self.config.mangle,
            ("ip", "address"): self.config.address,
        }.get(path)

    def _table_command(self, table: Table, cmd: str, args: list[Word], width: int) -> str:
        if cmd == "print":
            return self._table_print(table, args, width)
        if cmd == "find":
            return ";".join(f"*{i.iid:X}" for i in table.find(parse_conditions(args)))
        if cmd == "add":
            for w in args:
                if not w.is_pair:
                    raise RosSyntaxError("expected end of command", w.column)
            item = table.add(args, boot_s=self.state.boot_time_s)
            self._after_change(table, [item])
            return ""
        numbers, pairs = self._split_numbers(args)
        if not numbers:
            raise RosError("failure: numbers not specified")
        items = table.select(numbers)
        if cmd == "set":
            table.set(items, pairs)
        elif pairs:
            raise RosSyntaxError("expected end of command", pairs[0].column)
        elif cmd == "remove":
            table.remove(items)
        else:
            for item in items:
                item.disabled = cmd == "disable"
        self._after_change(table, items if cmd != "remove" else [])
        return ""

    def _after_change(self, table: Table, items: list[Item]) -> None:
        if table is self.config.address:
            for item in items:
                address = item.get("address")
                if address:
                    import ipaddress

                    item.values["network"] = str(
                        ipaddress.IPv4Interface(address).network.network_address
                    )
        self.state.config_changed()
        # Queues count a flow from the moment it reaches them (new target, new mangle mark).
        for queue in self.config.simple.items:
            self.config.queue_counters(queue, "simple")
        for queue in self.config.tree.items:
            self.config.queue_counters(queue, "tree")

    def _table_print(self, table: Table, args: list[Word], width: int) -> str:
        mode, conditions, count_only = self._print_options(args)
        if mode == "stats-detail":
            mode = "stats"  # item menus print their stats as key=value items either way
        items = table.find(conditions) if conditions else list(table.items)
        if count_only:
            return str(len(items))
        if table is self.config.address and mode in ("", "brief"):
            rows = [
                (
                    table.items.index(i),
                    ("X" if i.disabled else ""),
                    i.comment,
                    [i.get("address"), i.get("network"), i.get("interface")],
                )
                for i in items
            ]
            return pages.column_table(
                "Flags: X - DISABLED, I - INVALID; D - DYNAMIC",
                ["ADDRESS", "NETWORK", "INTERFACE"],
                rows,
            )
        extra: dict[int, list[str]] = {}
        if mode == "stats":
            for item in items:
                extra[item.iid] = self._stats_pairs(table, item)
        return print_table(
            table, items, mode=mode if mode != "brief" else "", width=width, extra=extra
        )

    def _stats_pairs(self, table: Table, item: Item) -> list[str]:
        if table is self.config.simple:
            c = self.config.queue_counters(item, "simple")
            pr_up = int(c.rate_up_bps / 8 / MEAN_PACKET_OCTETS)
            pr_down = int(c.rate_down_bps / 8 / MEAN_PACKET_OCTETS)
            return [
                f"rate={format_live_rate(c.rate_up_bps)}/{format_live_rate(c.rate_down_bps)}",
                "total-rate=0bps",
                f"packet-rate={pr_up}/{pr_down}",
                "total-packet-rate=0",
                "queued-bytes=0/0",
                "total-queued-bytes=0",
                "queued-packets=0/0",
                "total-queued-packets=0",
                f"bytes={c.bytes_up}/{c.bytes_down}",
                "total-bytes=0",
                f"packets={c.packets_up}/{c.packets_down}",
                "total-packets=0",
                "dropped=0/0",
                "total-dropped=0",
            ]
        if table is self.config.tree:
            c = self.config.queue_counters(item, "tree")
            rate = c.rate_up_bps + c.rate_down_bps
            octets = c.bytes_up + c.bytes_down
            return [
                f"rate={int(rate)}",
                f"packet-rate={int(rate / 8 / MEAN_PACKET_OCTETS)}",
                "queued-bytes=0",
                "queued-packets=0",
                f"bytes={octets}",
                f"packets={octets // MEAN_PACKET_OCTETS}",
                "dropped=0",
            ]
        octets = 0
        for key, direction in (("dst-address", "down"), ("src-address", "up")):
            if item.get(key) and not item.disabled:
                octets += self.state.subnet_octets(item.get(key), direction)  # type: ignore[arg-type]
        return [f"bytes={octets}", f"packets={octets // MEAN_PACKET_OCTETS}"]

    # -- interfaces ------------------------------------------------------------------------
    def _interface_command(self, cmd: str, args: list[Word], width: int) -> str:
        if cmd == "print":
            mode, conditions, count_only = self._print_options(args)
            names = [n for n in self.state.interfaces if self._iface_matches(n, conditions)]
            if count_only:
                return str(len(names))
            return pages.interface_print(self.state, mode, names, width)
        if cmd == "find":
            conditions = parse_conditions(args)
            names = [n for n in self.state.interfaces if self._iface_matches(n, conditions)]
            return ";".join(f"*{list(self.state.interfaces).index(n) + 1:X}" for n in names)
        numbers, pairs = self._split_numbers(args)
        if not numbers:
            raise RosError("failure: numbers not specified")
        names = self._iface_select(numbers)
        if cmd in ("enable", "disable"):
            if pairs:
                raise RosSyntaxError("expected end of command", pairs[0].column)
            pairs = [Word(column=1, key="disabled", value="yes" if cmd == "disable" else "no")]
        staged: list[tuple[str, str, str]] = []
        for w in pairs:
            assert w.key is not None
            if w.key == "disabled" and w.value in ("yes", "no", "true", "false"):
                staged.append((w.key, w.value, ""))
            elif w.key == "comment":
                staged.append((w.key, w.value, ""))
            elif w.key == "mtu" and w.value.isdigit() and 64 <= int(w.value) <= 9000:
                staged.append((w.key, w.value, ""))
            elif w.key in ("disabled", "mtu"):
                raise RosError(f"invalid value for argument {w.key}")
            else:
                raise RosSyntaxError("expected end of command", w.column)
        self.state.sync()
        for name in names:
            iface = self.state.interfaces[name]
            for key, value, _ in staged:
                if key == "disabled":
                    iface.admin_up = value in ("no", "false")
                elif key == "comment":
                    iface.description = value
                else:
                    iface.mtu = int(value)
        self.state.config_changed()
        return ""

    def _iface_matches(self, name: str, conditions: list[Condition]) -> bool:
        iface = self.state.interfaces[name]
        values = {
            "name": name,
            "default-name": name,
            "type": pages.interface_type(name),
            "running": "yes" if iface.oper_up else "no",
            "disabled": "no" if iface.admin_up else "yes",
            "comment": iface.description,
            "mac-address": iface.mac.upper(),
        }
        for c in conditions:
            if c.key not in values:
                raise RosError(f"no such property ({c.key})")
            actual = values[c.key]
            want = {"true": "yes", "false": "no"}.get(c.value, c.value)
            hit = re.search(c.value, actual) is not None if c.op == "~" else actual == want
            if hit == c.negate:
                return False
        return True

    def _iface_select(self, numbers: list[Word]) -> list[str]:
        order = list(self.state.interfaces)
        out: list[str] = []
        for w in numbers:
            if w.nested is not None:
                if not w.nested or w.nested[0].text != "find":
                    raise RosSyntaxError("bad command name", w.column)
                conds = parse_conditions(w.nested[1:])
                out.extend(n for n in order if self._iface_matches(n, conds))
                continue
            for ref in (w.value if w.is_pair else w.text).split(","):
                if ref.isdigit() and int(ref) < len(order):
                    out.append(order[int(ref)])
                elif ref in self.state.interfaces:
                    out.append(ref)
                else:
                    raise RosError("no such item")
        return out

    # -- export ----------------------------------------------------------------------------
    def _export(self, path: Path, args: list[Word]) -> str:
        terse = verbose = False
        for w in args:
            if w.is_pair and w.key == "file":
                continue
            flag = resolve(w.text, EXPORT_FLAGS) if not w.is_pair and w.nested is None else None
            if flag is None:
                raise RosSyntaxError("expected end of command", w.column)
            terse = terse or flag == "terse"
            verbose = verbose or flag == "verbose"
        date, clock = pages.ros_datetime(self.state.now_s())
        lines = [
            f"# {date} {clock} by RouterOS {self.state.os_version}",
            f"# software id = {self.state.serial[-8:-4]}-{self.state.serial[-4:]}",
            "#",
            f"# model = {self.state.model}",
            f"# serial number = {self.state.serial}",
        ]
        sections = self._export_sections(terse=terse, verbose=verbose)
        for section, body in sections:
            if path and not ("/" + " ".join(path)).startswith(section):
                continue
            if not body:
                continue
            if not terse:
                lines.append(section)
            lines.extend(body)
        return "\n".join(lines)

    def _export_sections(self, *, terse: bool, verbose: bool) -> list[tuple[str, list[str]]]:
        ethernet = []
        for iface in self.state.interfaces.values():
            pairs = []
            if iface.description:
                pairs.append(f"comment={quote(iface.description)}")
            if not iface.admin_up:
                pairs.append("disabled=yes")
            if iface.mtu != 1500:
                pairs.append(f"mtu={iface.mtu}")
            if pairs:
                command = f"set [ find default-name={iface.name} ] " + " ".join(pairs)
                ethernet.append(export_line("/interface ethernet", command, terse=terse))
        identity = export_line(
            "/system identity", f"set name={quote(self.config.identity)}", terse=terse
        )
        clock = export_line(
            "/system clock", f"set time-zone-name={self.config.time_zone}", terse=terse
        )
        return [
            ("/interface ethernet", ethernet),
            ("/queue simple", export_section(self.config.simple, terse=terse, verbose=verbose)),
            ("/queue tree", export_section(self.config.tree, terse=terse, verbose=verbose)),
            ("/ip address", export_section(self.config.address, terse=terse, verbose=verbose)),
            (
                "/ip firewall mangle",
                export_section(self.config.mangle, terse=terse, verbose=verbose),
            ),
            ("/system clock", [clock]),
            ("/system identity", [identity]),
        ]
