"""The Cisco IOS personality: exec modes, ``show`` commands, configuration modes and QoS.

Modes and prompts: ``user`` (``host>``), ``enable`` (``host#``), ``config`` (``host(config)#``),
``config-if``, ``config-ext-nacl``, ``config-cmap``, ``config-pmap``, ``config-pmap-c``; and
``enable-password`` while ``enable`` waits for the secret (``Password: ``, not echoed).  Keywords
may be abbreviated to any prefix unique in the current mode (``sh ip int br``, ``conf t``,
``wr mem``; see :mod:`lab.ios.modes`); output filters ``| include``, ``| exclude``,
``| section``, ``| begin`` work on every show command.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lab.ios import show, show_ip, show_system, show_tables
from lab.ios.config import IosConfig, render_running, shaping_caps
from lab.ios.configure import ConfigModes, InvalidAt
from lab.ios.modes import KEYWORDS, MODE_SUFFIX, SHOW_DECOYS, Ambiguous, ambiguous, resolve
from lab.ios.names import incomplete, invalid_input, keyword_match, resolve_interface
from lab.ios.pipes import PipeError, apply_pipes, split_pipes
from lab.personalities import register
from lab.personality import Personality, SessionContext
from lab.state import DeviceState, ShapingCap

ShowHandler = Callable[[list[str], SessionContext], str | None]


@register
class IosPersonality(ConfigModes, Personality):
    """Cisco Catalyst running IOS 15.2, as netmiko ``cisco_ios`` and napalm ``ios`` see it."""

    platform = "cisco_ios"

    def __init__(self, state: DeviceState) -> None:
        super().__init__(state)
        self.config = IosConfig()
        self.startup = IosConfig()
        self.startup_interfaces = {
            n: (i.description, i.admin_up) for n, i in state.interfaces.items()
        }
        self.last_change = show.clock_text(state)
        # (epoch s, message) of configuration events, for ``show logging``.
        self.log_events: list[tuple[float, str]] = []
        st = self.state
        self._show: list[tuple[tuple[str, ...], ShowHandler, bool]] = [
            (("version",), lambda a, s: show.show_version(self.state), False),
            (("clock",), lambda a, s: show.show_clock(self.state), False),
            (("hosts",), lambda a, s: show.show_hosts(self.state), False),
            (("ip", "interface", "brief"), self._sh_ip_brief, False),
            (("ip", "interface"), self._sh_ip_interface, False),
            (("ip", "access-lists"), self._sh_acl, True),
            (("interfaces",), self._sh_interfaces, False),
            (("lldp", "neighbors"), self._sh_lldp, False),
            (("running-config",), self._sh_running, True),
            (("startup-config",), self._sh_startup, True),
            (("policy-map", "interface"), self._sh_policy_interface, True),
            (("policy-map",), lambda a, s: show.show_policy_map(self.config, _opt(a)), True),
            (("class-map",), lambda a, s: show.show_class_map(self.config, _opt(a)), True),
            (("inventory",), _plain(lambda: show_system.show_inventory(st)), False),
            (("cdp", "neighbors"), self._sh_cdp, False),
            (("ip", "route"), _plain(lambda: show_tables.show_ip_route(st)), False),
            (("ip", "arp"), _plain(lambda: show_tables.show_ip_arp(st)), False),
            (("arp",), _plain(lambda: show_tables.show_ip_arp(st)), False),
            (
                ("mac", "address-table"),
                _plain(lambda: show_tables.show_mac_address_table(st)),
                False,
            ),
            (("vlan",), self._sh_vlan, False),
            (
                ("interfaces", "status"),
                _plain(lambda: show_tables.show_interfaces_status(st)),
                False,
            ),
            (("logging",), _plain(lambda: show_system.show_logging(st, self.log_events)), False),
            (("environment",), self._sh_environment, False),
        ]

    # -- contract ------------------------------------------------------------------------
    def new_session(self, username: str, login_options: str = "") -> SessionContext:
        return SessionContext(
            username=username,
            login_options=login_options,
            mode="user",
            terminal_length=24,
            terminal_width=80,
        )

    def banner(self) -> str:
        return "\n"

    def prompt(self, session: SessionContext) -> str:
        if session.mode == "enable-password":
            return "Password: "
        return self.state.hostname + MODE_SUFFIX.get(session.mode, "#")

    def shaping_caps(self) -> list[ShapingCap]:
        return shaping_caps(self.config)

    def on_reboot(self) -> None:
        self.config = self.startup.clone()
        for name, (description, admin_up) in self.startup_interfaces.items():
            if name in self.state.interfaces:
                self.state.interfaces[name].description = description
                self.state.interfaces[name].admin_up = admin_up
        self.state.config_changed()

    def handle(self, line: str, session: SessionContext) -> str:
        if session.mode == "enable-password":
            return self._enable_password(line, session)
        text = line.strip()
        if not text or text.startswith("!"):
            return ""
        try:
            if session.mode in ("user", "enable"):
                return self._exec(line, session)
            return self._configure(line, session)
        except InvalidAt as exc:
            return invalid_input(self.prompt(session), line, exc.index)
        except Ambiguous:
            return ambiguous(line)

    # -- exec modes ----------------------------------------------------------------------
    def _exec(self, line: str, session: SessionContext) -> str:
        try:
            command, filters = split_pipes(line)
        except PipeError:
            raise InvalidAt(len(line.split("|")[0].split())) from None
        tokens = command.split()
        word = resolve(tokens[0], KEYWORDS[session.mode])
        privileged = session.mode == "enable"
        if word == "show":
            out = self._dispatch_show(tokens, session, privileged)
            try:
                return apply_pipes(out, filters) if filters else out
            except PipeError:
                raise InvalidAt(len(tokens)) from None
        if filters:
            raise InvalidAt(len(tokens))
        if word == "enable":
            if privileged:
                return ""
            session.mode = "enable-password"
            session.echo = False
            return ""
        if word == "disable":
            session.mode = "user"
            return ""
        if word in ("exit", "logout", "quit"):
            session.closed = True
            return ""
        if word == "terminal":
            return self._terminal(tokens, session)
        if word == "configure":
            if len(tokens) > 1 and not keyword_match(tokens[1], "terminal", 1):
                raise InvalidAt(1)
            session.mode = "config"
            return "Enter configuration commands, one per line.  End with CNTL/Z.\n"
        if word == "write":
            if len(tokens) > 1 and not keyword_match(tokens[1], "memory", 1):
                raise InvalidAt(1)
            return self._save()
        if word == "copy":
            if (
                len(tokens) == 3
                and tokens[1].lower().startswith("run")
                and tokens[2].lower().startswith("start")
            ):
                return "Destination filename [startup-config]? \n" + self._save()
            raise InvalidAt(min(len(tokens) - 1, 1))
        raise InvalidAt(0)

    def _enable_password(self, line: str, session: SessionContext) -> str:
        expected = str(self.state.extra.get("enable_password", ""))
        if expected and line == expected:
            session.mode = "enable"
            return ""
        session.mode = "user"
        return "% Bad secrets\n\n"

    def _terminal(self, tokens: list[str], session: SessionContext) -> str:
        if len(tokens) < 2:
            return incomplete()
        sub = tokens[1].lower()
        if sub in ("no", "monitor") or keyword_match(sub, "monitor", 3):
            return ""
        if keyword_match(sub, "length", 3) or keyword_match(sub, "width", 3):
            if len(tokens) < 3:
                return incomplete()
            if not tokens[2].isdigit() or int(tokens[2]) > 512:
                raise InvalidAt(2)
            if sub.startswith("l"):
                session.terminal_length = int(tokens[2])
            else:
                session.terminal_width = int(tokens[2])
            return ""
        raise InvalidAt(1)

    def _dispatch_show(self, tokens: list[str], session: SessionContext, privileged: bool) -> str:
        """Walk the show keywords level by level, each word matched by unique prefix among the
        keywords possible at that level; the longest simulated command reached gets the rest of
        the words as arguments."""
        if len(tokens) == 1:
            return incomplete()
        path: tuple[str, ...] = ()
        i = 1
        while i < len(tokens):
            nxt = {
                k[len(path)]
                for k, _, _ in self._show
                if k[: len(path)] == path and len(k) > len(path)
            }
            if not nxt:
                break
            kw = resolve(tokens[i], nxt | set(SHOW_DECOYS.get(path, ())))
            if kw is None or kw not in nxt:
                if any(k == path for k, _, _ in self._show):
                    break  # an argument of the command reached so far
                raise InvalidAt(i)
            path += (kw,)
            i += 1
        for keywords, handler, needs_enable in self._show:
            if keywords == path:
                if needs_enable and not privileged:
                    raise InvalidAt(1)
                out = handler(tokens[i:], session)
                if out is None:
                    raise InvalidAt(i)
                return out
        return incomplete() if i >= len(tokens) else _raise(i)

    def _save(self) -> str:
        self.startup = self.config.clone()
        self.startup_interfaces = {
            n: (i.description, i.admin_up) for n, i in self.state.interfaces.items()
        }
        return "Building configuration...\n[OK]\n"

    # -- show handlers (None = invalid arguments) ---------------------------------------------
    def _sh_ip_brief(self, args: list[str], s: SessionContext) -> str | None:
        return None if args else show.show_ip_interface_brief(self.state)

    def _sh_ip_interface(self, args: list[str], s: SessionContext) -> str | None:
        if not args:
            return show_ip.show_ip_interface(self.state)
        name = resolve_interface(" ".join(args), list(self.state.interfaces))
        return None if name is None else show_ip.show_ip_interface(self.state, name)

    def _sh_cdp(self, args: list[str], s: SessionContext) -> str | None:
        if not args:
            return show_system.show_cdp_neighbors(self.state)
        if len(args) == 1 and keyword_match(args[0], "detail", 3):
            return show_system.show_cdp_neighbors_detail(self.state)
        return None

    def _sh_vlan(self, args: list[str], s: SessionContext) -> str | None:
        if not args or (len(args) == 1 and keyword_match(args[0], "brief", 1)):
            return show_tables.show_vlan_brief(self.state)
        return None

    def _sh_environment(self, args: list[str], s: SessionContext) -> str | None:
        if not args or (len(args) == 1 and keyword_match(args[0], "all", 1)):
            return show_system.show_environment(self.state)
        if len(args) == 1 and keyword_match(args[0], "temperature", 1):
            return show_system.show_environment_temperature(self.state)
        return None

    def _sh_acl(self, args: list[str], s: SessionContext) -> str | None:
        return show.show_ip_access_lists(self.config, _opt(args))

    def _sh_interfaces(self, args: list[str], s: SessionContext) -> str | None:
        if not args:
            return show.show_interfaces(self.state)
        if keyword_match(args[0], "summary", 4):
            return show.show_interface_summary(self.state)
        name = resolve_interface(" ".join(args), list(self.state.interfaces))
        if name is None:
            return None
        return show.show_interfaces(self.state, name)

    def _sh_lldp(self, args: list[str], s: SessionContext) -> str | None:
        detail = bool(args) and keyword_match(args[-1], "detail", 3)
        rest = args[:-1] if detail else args
        only = None
        if rest:
            only = resolve_interface(" ".join(rest), list(self.state.interfaces))
            if only is None:
                return None
        if detail:
            return show.show_lldp_neighbors_detail(self.state, only)
        return show.show_lldp_neighbors(self.state, only)

    def _sh_running(self, args: list[str], s: SessionContext) -> str | None:
        text = render_running(self.state, self.config, self.last_change)
        if args:
            if not keyword_match(args[0], "interface", 3) or len(args) < 2:
                return None
            name = resolve_interface(" ".join(args[1:]), list(self.state.interfaces))
            if name is None:
                return None
            return "Building configuration...\n\n" + apply_pipes(
                text, [("section", f"^interface {re.escape(name)}$")]
            )
        return f"Building configuration...\n\nCurrent configuration : {len(text)} bytes\n{text}"

    def _sh_startup(self, args: list[str], s: SessionContext) -> str | None:
        if args:
            return None
        text = render_running(self.state, self.startup, self.last_change, self.startup_interfaces)
        return f"Using {len(text)} out of 524288 bytes\n{text}"

    def _sh_policy_interface(self, args: list[str], s: SessionContext) -> str | None:
        names = list(self.state.interfaces)
        if args and args[-1].lower() in ("input", "output"):
            args = args[:-1]
        if not args:
            attached = [n for n in names if self.config.service_policies.get(n)]
            return "".join(
                show.show_policy_map_interface(self.state, self.config, n) for n in attached
            )
        name = resolve_interface(" ".join(args), names)
        if name is None:
            return None
        return show.show_policy_map_interface(self.state, self.config, name)

    # -- configuration modes (lab.ios.configure) ---------------------------------------------
    def _configure(self, line: str, session: SessionContext) -> str:
        tokens = line.split()
        if tokens[0].lower() == "do" and len(tokens) > 1:
            saved = session.mode
            session.mode = "enable"
            try:
                return self._exec(line.split(None, 1)[1], session)
            finally:
                if session.mode == "enable":
                    session.mode = saved
        return self.configure_line(tokens, session)

    def _changed(self) -> None:
        self.last_change = show.clock_text(self.state)
        self.log_events.append(
            (self.state.now_s(), "%SYS-5-CONFIG_I: Configured from console by vty0 (127.0.0.1)")
        )
        self.state.config_changed()


def _raise(index: int) -> str:
    raise InvalidAt(index)


def _plain(render: Callable[[], str]) -> ShowHandler:
    """A handler for a show command that takes no arguments."""
    return lambda args, s: None if args else render()


def _opt(args: list[str]) -> str | None:
    return args[0] if args else None
