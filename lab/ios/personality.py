"""The Cisco IOS personality: exec modes, ``show`` commands, configuration modes and QoS.

Modes and prompts: ``user`` (``host>``), ``enable`` (``host#``), ``config`` (``host(config)#``),
``config-if``, ``config-ext-nacl``, ``config-cmap``, ``config-pmap``, ``config-pmap-c``; and
``enable-password`` while ``enable`` waits for the secret (``Password: ``, not echoed).  Keywords
may be abbreviated (``sh ip int br``, ``conf t``, ``wr mem``); output filters ``| include``,
``| exclude``, ``| section``, ``| begin`` work on every show command.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lab.ios import show
from lab.ios.config import IosConfig, PolicyClass, render_running, shaping_caps, valid_ace
from lab.ios.names import incomplete, invalid_input, keyword_match, resolve_interface
from lab.ios.pipes import PipeError, apply_pipes, split_pipes
from lab.personalities import register
from lab.personality import Personality, SessionContext
from lab.state import DeviceState, ShapingCap

MODE_SUFFIX = {
    "user": ">",
    "enable": "#",
    "config": "(config)#",
    "config-if": "(config-if)#",
    "config-ext-nacl": "(config-ext-nacl)#",
    "config-cmap": "(config-cmap)#",
    "config-pmap": "(config-pmap)#",
    "config-pmap-c": "(config-pmap-c)#",
}
PARENT_MODE = {
    "config": "enable",
    "config-if": "config",
    "config-ext-nacl": "config",
    "config-cmap": "config",
    "config-pmap": "config",
    "config-pmap-c": "config-pmap",
}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

ShowHandler = Callable[[list[str], SessionContext], str | None]


class _Invalid(Exception):
    """Raised with the index of the word IOS would put the caret under."""

    def __init__(self, index: int) -> None:
        self.index = index


def _match(tokens: list[str], keywords: tuple[str, ...], start: int) -> int:
    """How many of ``keywords`` the tokens from ``start`` abbreviate (all or a prefix)."""
    n = 0
    for kw in keywords:
        i = start + n
        if i >= len(tokens) or not keyword_match(tokens[i], kw, 2 if len(kw) > 2 else 1):
            break
        n += 1
    return n


@register
class IosPersonality(Personality):
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
        self._show: list[tuple[tuple[str, ...], ShowHandler, bool]] = [
            (("version",), lambda a, s: show.show_version(self.state), False),
            (("clock",), lambda a, s: show.show_clock(self.state), False),
            (("hosts",), lambda a, s: show.show_hosts(self.state), False),
            (("ip", "interface", "brief"), self._sh_ip_brief, False),
            (("ip", "access-lists"), self._sh_acl, True),
            (("interfaces",), self._sh_interfaces, False),
            (("lldp", "neighbors"), self._sh_lldp, False),
            (("running-config",), self._sh_running, True),
            (("startup-config",), self._sh_startup, True),
            (("policy-map", "interface"), self._sh_policy_interface, True),
            (("policy-map",), lambda a, s: show.show_policy_map(self.config, _opt(a)), True),
            (("class-map",), lambda a, s: show.show_class_map(self.config, _opt(a)), True),
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
        except _Invalid as exc:
            return invalid_input(self.prompt(session), line, exc.index)

    # -- exec modes ----------------------------------------------------------------------
    def _exec(self, line: str, session: SessionContext) -> str:
        try:
            command, filters = split_pipes(line)
        except PipeError:
            raise _Invalid(len(line.split("|")[0].split())) from None
        tokens = command.split()
        word = tokens[0].lower()
        privileged = session.mode == "enable"
        if keyword_match(word, "show", 2):
            out = self._dispatch_show(tokens, session, privileged)
            try:
                return apply_pipes(out, filters) if filters else out
            except PipeError:
                raise _Invalid(len(tokens)) from None
        if filters:
            raise _Invalid(len(tokens))
        if keyword_match(word, "enable", 2):
            if privileged:
                return ""
            session.mode = "enable-password"
            session.echo = False
            return ""
        if keyword_match(word, "disable", 4):
            session.mode = "user"
            return ""
        if word in ("exit", "logout", "quit") or keyword_match(word, "logout", 4):
            session.closed = True
            return ""
        if keyword_match(word, "terminal", 3):
            return self._terminal(tokens, session)
        if privileged and keyword_match(word, "configure", 4):
            if len(tokens) > 1 and not keyword_match(tokens[1], "terminal", 1):
                raise _Invalid(1)
            session.mode = "config"
            return "Enter configuration commands, one per line.  End with CNTL/Z.\n"
        if privileged and keyword_match(word, "write", 2):
            if len(tokens) > 1 and not keyword_match(tokens[1], "memory", 1):
                raise _Invalid(1)
            return self._save()
        if privileged and keyword_match(word, "copy", 3):
            if (
                len(tokens) == 3
                and tokens[1].lower().startswith("run")
                and tokens[2].lower().startswith("start")
            ):
                return "Destination filename [startup-config]? \n" + self._save()
            raise _Invalid(min(len(tokens) - 1, 1))
        raise _Invalid(0)

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
                raise _Invalid(2)
            if sub.startswith("l"):
                session.terminal_length = int(tokens[2])
            else:
                session.terminal_width = int(tokens[2])
            return ""
        raise _Invalid(1)

    def _dispatch_show(self, tokens: list[str], session: SessionContext, privileged: bool) -> str:
        if len(tokens) == 1:
            return incomplete()
        deepest = 1
        for keywords, handler, needs_enable in self._show:
            n = _match(tokens, keywords, 1)
            if n == len(keywords):
                if needs_enable and not privileged:
                    raise _Invalid(1)
                out = handler(tokens[1 + n :], session)
                if out is None:
                    raise _Invalid(1 + n)
                return out
            deepest = max(deepest, 1 + n)
        raise _Invalid(deepest)

    def _save(self) -> str:
        self.startup = self.config.clone()
        self.startup_interfaces = {
            n: (i.description, i.admin_up) for n, i in self.state.interfaces.items()
        }
        return "Building configuration...\n[OK]\n"

    # -- show handlers (None = invalid arguments) ---------------------------------------------
    def _sh_ip_brief(self, args: list[str], s: SessionContext) -> str | None:
        return None if args else show.show_ip_interface_brief(self.state)

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

    # -- configuration modes ---------------------------------------------------------------
    def _configure(self, line: str, session: SessionContext) -> str:
        tokens = line.split()
        word = tokens[0].lower()
        if word == "do" and len(tokens) > 1:
            saved = session.mode
            session.mode = "enable"
            try:
                return self._exec(line.split(None, 1)[1], session)
            finally:
                if session.mode == "enable":
                    session.mode = saved
        if keyword_match(word, "end", 3) and len(tokens) == 1:
            session.mode = "enable"
            session.scratch.clear()
            return ""
        if keyword_match(word, "exit", 3) and len(tokens) == 1:
            session.mode = PARENT_MODE.get(session.mode, "enable")
            if session.mode == "config":
                session.scratch.clear()
            return ""
        negate = word == "no"
        body = tokens[1:] if negate else tokens
        if not body:
            return incomplete()
        offset = 1 if negate else 0
        mode = session.mode
        # Global commands are accepted from sub-modes too, like IOS does.
        if mode != "config":
            handled = self._sub_mode(mode, body, negate, offset, session)
            if handled is not None:
                self._changed()
                return handled
        out = self._global(body, negate, offset, session)
        self._changed()
        return out

    def _changed(self) -> None:
        self.last_change = show.clock_text(self.state)
        self.state.config_changed()

    def _global(self, body: list[str], negate: bool, offset: int, session: SessionContext) -> str:
        key = body[0].lower()
        cfg = self.config
        if keyword_match(key, "interface", 3):
            if len(body) < 2:
                return incomplete()
            name = resolve_interface(" ".join(body[1:]), list(self.state.interfaces))
            if name is None or negate:
                raise _Invalid(offset + 1)
            session.mode = "config-if"
            session.scratch = {"interface": name}
            return ""
        if key == "ip" and len(body) >= 2 and keyword_match(body[1], "access-list", 6):
            if len(body) < 4:
                return incomplete()
            if not keyword_match(body[2], "extended", 3):
                raise _Invalid(offset + 2)
            name = _name(body[3], offset + 3)
            if negate:
                cfg.acls.pop(name, None)
                return ""
            cfg.acls.setdefault(name, [])
            session.mode = "config-ext-nacl"
            session.scratch = {"acl": name}
            return ""
        if keyword_match(key, "class-map", 5):
            rest = body[1:]
            kind = "match-all"
            if rest and rest[0].lower() in ("match-any", "match-all"):
                kind = rest[0].lower()
                rest = rest[1:]
            if not rest:
                return incomplete()
            name = _name(rest[0], offset + len(body) - len(rest))
            if negate:
                cfg.class_maps.pop(name, None)
                return ""
            old = cfg.class_maps.get(name)
            cfg.class_maps[name] = (kind, old[1] if old else [])
            session.mode = "config-cmap"
            session.scratch = {"class_map": name}
            return ""
        if keyword_match(key, "policy-map", 6):
            if len(body) < 2:
                return incomplete()
            name = _name(body[1], offset + 1)
            if negate:
                if any(name in d.values() for d in cfg.service_policies.values()):
                    return f"Policy map {name} is being used\n"
                cfg.policy_maps.pop(name, None)
                return ""
            cfg.policy_maps.setdefault(name, {})
            session.mode = "config-pmap"
            session.scratch = {"policy_map": name}
            return ""
        if keyword_match(key, "hostname", 4) or keyword_match(key, "lldp", 4):
            return ""  # accepted, no effect in the lab (the inventory owns the name)
        raise _Invalid(offset)

    def _sub_mode(
        self, mode: str, body: list[str], negate: bool, offset: int, session: SessionContext
    ) -> str | None:
        key = body[0].lower()
        cfg = self.config
        scratch = session.scratch
        if mode == "config-if":
            iface = self.state.interfaces[scratch["interface"]]
            if keyword_match(key, "description", 4):
                raw = " ".join(body[1:])
                iface.description = "" if negate else raw[:240]
                return ""
            if keyword_match(key, "shutdown", 4) and len(body) == 1:
                self.state.sync()  # bank the counters at the old state before the change
                iface.admin_up = negate
                return ""
            if keyword_match(key, "service-policy", 5):
                if len(body) < 3:
                    return incomplete()
                direction = body[1].lower()
                if direction not in ("input", "output"):
                    raise _Invalid(offset + 1)
                name = _name(body[2], offset + 2)
                attached = cfg.service_policies.setdefault(iface.name, {})
                if negate:
                    attached.pop(direction, None)
                    return ""
                if name not in cfg.policy_maps:
                    return f"policy map {name} not configured\n"
                attached[direction] = name
                return ""
            return None
        if mode == "config-ext-nacl":
            acl = cfg.acls.setdefault(scratch["acl"], [])
            seq = None
            if body[0].isdigit():
                seq = int(body[0])
                body = body[1:]
                if not body:
                    return incomplete()
            if body[0].lower() not in ("permit", "deny"):
                return None
            ace = " ".join(body)
            if not valid_ace(ace):
                raise _Invalid(offset + (1 if seq is not None else 0) + 1)
            ace = re.sub(r"\s+", " ", ace.lower())
            if negate:
                acl[:] = [e for e in acl if e[1] != ace and e[0] != seq]
                return ""
            if any(e[1] == ace for e in acl):
                return ""
            seq = seq or (acl[-1][0] + 10 if acl else 10)
            acl.append((seq, ace))
            acl.sort()
            return ""
        if mode == "config-cmap":
            if keyword_match(key, "match", 3):
                if (
                    len(body) != 4
                    or not keyword_match(body[1], "access-group", 8)
                    or body[2].lower() != "name"
                ):
                    raise _Invalid(offset + 1)
                name = _name(body[3], offset + 3)
                kind, acls = cfg.class_maps[scratch["class_map"]]
                if negate:
                    acls[:] = [a for a in acls if a != name]
                elif name not in acls:
                    acls.append(name)
                return ""
            return None
        if mode == "config-pmap":
            if keyword_match(key, "class", 3):
                if len(body) < 2:
                    return incomplete()
                name = _name(body[1], offset + 1)
                classes = cfg.policy_maps[scratch["policy_map"]]
                if negate:
                    classes.pop(name, None)
                    return ""
                if name != "class-default" and name not in cfg.class_maps:
                    return f"class-map {name} not configured\n"
                classes.setdefault(name, PolicyClass())
                session.mode = "config-pmap-c"
                scratch["class"] = name
                return ""
            return None
        if mode == "config-pmap-c":
            return self._pmap_class(body, negate, offset, session)
        return None

    def _pmap_class(
        self, body: list[str], negate: bool, offset: int, session: SessionContext
    ) -> str | None:
        pc = self.config.policy_maps[session.scratch["policy_map"]][session.scratch["class"]]
        key = body[0].lower()
        if keyword_match(key, "bandwidth", 3):
            if negate:
                pc.bandwidth_kbps = None
                return ""
            if len(body) != 2 or not body[1].isdigit() or not 8 <= int(body[1]) <= 10_000_000:
                raise _Invalid(offset + 1)
            pc.bandwidth_kbps = int(body[1])
            return ""
        if keyword_match(key, "shape", 3):
            if negate:
                pc.shape_average_bps = None
                return ""
            if len(body) != 3 or not keyword_match(body[1], "average", 3):
                raise _Invalid(offset + 1)
            if not body[2].isdigit() or not 8000 <= int(body[2]) <= 100_000_000_000:
                raise _Invalid(offset + 2)
            pc.shape_average_bps = int(body[2])
            return ""
        if keyword_match(key, "priority", 4):
            if negate:
                pc.priority_level = None
                return ""
            if len(body) == 1:
                pc.priority_level = 1
                return ""
            if len(body) == 3 and keyword_match(body[1], "level", 3) and body[2] in ("1", "2"):
                pc.priority_level = int(body[2])
                return ""
            raise _Invalid(offset + 1)
        return None


def _opt(args: list[str]) -> str | None:
    return args[0] if args else None


def _name(text: str, index: int) -> str:
    if not NAME_RE.match(text):
        raise _Invalid(index)
    return text
