"""IOS configuration modes of the lab personality: global, interface, extended ACL, class-map,
policy-map and policy-map class.

A line's first word is matched to a keyword of the current mode by unique prefix
(:mod:`lab.ios.modes`); when the current mode has no such command the line is tried in the parent
modes up to global configuration and the session moves to the mode that took it, as IOS does.
Handlers return None for a line their mode cannot parse (so the parent mode gets it) and raise
:class:`InvalidAt` for a bad argument.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lab.ios.config import IosConfig, PolicyClass, valid_ace
from lab.ios.modes import KEYWORDS, PARENT_MODE, mode_chain, resolve
from lab.ios.names import incomplete, keyword_match, resolve_interface
from lab.personality import SessionContext
from lab.state import DeviceState

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SHAPE_WORDS = ("adaptive", "average", "fecn-adapt", "fr-voice-adapt", "max-buffers", "peak")
# Real keywords accepted without effect in the lab.
NO_EFFECT = {
    ("config", "hostname"),  # the inventory owns the name
    ("config", "lldp"),
    ("config-if", "lldp"),
    ("config-if", "cdp"),
    ("config-if", "load-interval"),
    ("config-ext-nacl", "remark"),
}


class InvalidAt(Exception):
    """Raised with the index of the word IOS would put the caret under."""

    def __init__(self, index: int) -> None:
        self.index = index


Handler = Callable[[list[str], bool, int, SessionContext], "str | None"]


def valid_name(text: str, index: int) -> str:
    if not NAME_RE.match(text):
        raise InvalidAt(index)
    return text


class ConfigModes:
    """Mixin for the IOS personality: everything typed in a ``(config...)#`` mode."""

    state: DeviceState
    config: IosConfig

    def _changed(self) -> None:
        raise NotImplementedError

    def _handlers(self) -> dict[tuple[str, str], Handler]:
        return {
            ("config", "interface"): self._interface,
            ("config", "ip"): self._ip,
            ("config", "class-map"): self._class_map,
            ("config", "policy-map"): self._policy_map,
            ("config-if", "description"): self._if_description,
            ("config-if", "shutdown"): self._if_shutdown,
            ("config-if", "service-policy"): self._if_service_policy,
            ("config-ext-nacl", "permit"): self._ace,
            ("config-ext-nacl", "deny"): self._ace,
            ("config-cmap", "match"): self._match,
            ("config-pmap", "class"): self._pmap_class,
            ("config-pmap-c", "bandwidth"): self._bandwidth,
            ("config-pmap-c", "shape"): self._shape,
            ("config-pmap-c", "priority"): self._priority,
        }

    def configure_line(self, tokens: list[str], session: SessionContext) -> str:
        """One line typed in a configuration mode (``do`` is handled by the caller)."""
        mode = session.mode
        first = resolve(tokens[0], KEYWORDS[mode])
        if first in ("end", "exit") and len(tokens) == 1:
            session.mode = "enable" if first == "end" else PARENT_MODE.get(mode, "enable")
            _trim_scratch(session)
            return ""
        negate = first == "no"
        body = tokens[1:] if negate else tokens
        if not body:
            return incomplete()
        offset = 1 if negate else 0
        handlers = self._handlers()
        # Sequence numbers start ACL entries: "10 permit ip any any".
        if mode == "config-ext-nacl" and body[0].isdigit():
            out = self._ace(body, negate, offset, session)
            if out is not None:
                self._changed()
                return out
        for m in mode_chain(mode):
            kw = resolve(body[0], KEYWORDS[m])
            if kw is None or kw in ("no", "do", "end", "exit"):
                continue
            if (m, kw) in NO_EFFECT:
                _leave_to(session, m)
                return ""
            handler = handlers.get((m, kw))
            if handler is None:
                continue
            saved = (session.mode, dict(session.scratch))
            _leave_to(session, m)
            out = handler(body, negate, offset, session)
            if out is None:
                session.mode, session.scratch = saved
                continue
            self._changed()
            return out
        raise InvalidAt(offset)

    # -- global ----------------------------------------------------------------------------
    def _interface(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        if len(body) < 2:
            return incomplete()
        name = resolve_interface(" ".join(body[1:]), list(self.state.interfaces))
        if name is None or negate:
            raise InvalidAt(offset + 1)
        s.mode = "config-if"
        s.scratch = {"interface": name}
        return ""

    def _ip(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str | None:
        if len(body) < 2 or not keyword_match(body[1], "access-list", 6):
            return None
        if len(body) < 4:
            return incomplete()
        if not keyword_match(body[2], "extended", 3):
            raise InvalidAt(offset + 2)
        name = valid_name(body[3], offset + 3)
        if negate:
            self.config.acls.pop(name, None)
            return ""
        self.config.acls.setdefault(name, [])
        s.mode = "config-ext-nacl"
        s.scratch = {"acl": name}
        return ""

    def _class_map(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        rest = body[1:]
        kind = "match-all"
        if rest and rest[0].lower() in ("match-any", "match-all"):
            kind = rest[0].lower()
            rest = rest[1:]
        if not rest:
            return incomplete()
        name = valid_name(rest[0], offset + len(body) - len(rest))
        if negate:
            self.config.class_maps.pop(name, None)
            return ""
        old = self.config.class_maps.get(name)
        self.config.class_maps[name] = (kind, old[1] if old else [])
        s.mode = "config-cmap"
        s.scratch = {"class_map": name}
        return ""

    def _policy_map(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        if len(body) < 2:
            return incomplete()
        name = valid_name(body[1], offset + 1)
        cfg = self.config
        if negate:
            if any(name in d.values() for d in cfg.service_policies.values()):
                return f"Policy map {name} is being used\n"
            cfg.policy_maps.pop(name, None)
            return ""
        cfg.policy_maps.setdefault(name, {})
        s.mode = "config-pmap"
        s.scratch = {"policy_map": name}
        return ""

    # -- interface -------------------------------------------------------------------------
    def _if_description(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        iface = self.state.interfaces[s.scratch["interface"]]
        iface.description = "" if negate else " ".join(body[1:])[:240]
        return ""

    def _if_shutdown(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        if len(body) != 1:
            raise InvalidAt(offset + 1)
        self.state.sync()  # bank the counters at the old state before the change
        self.state.interfaces[s.scratch["interface"]].admin_up = negate
        return ""

    def _if_service_policy(
        self, body: list[str], negate: bool, offset: int, s: SessionContext
    ) -> str:
        if len(body) < 3:
            return incomplete()
        direction = body[1].lower()
        if direction not in ("input", "output"):
            raise InvalidAt(offset + 1)
        name = valid_name(body[2], offset + 2)
        attached = self.config.service_policies.setdefault(s.scratch["interface"], {})
        if negate:
            attached.pop(direction, None)
            return ""
        if name not in self.config.policy_maps:
            return f"policy map {name} not configured\n"
        attached[direction] = name
        return ""

    # -- ACL, class-map, policy-map ----------------------------------------------------------
    def _ace(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str | None:
        acl = self.config.acls.setdefault(s.scratch["acl"], [])
        seq = None
        if body[0].isdigit():
            seq = int(body[0])
            body = body[1:]
            if not body:
                return incomplete()
        if resolve(body[0], ("permit", "deny", "remark", "evaluate")) not in ("permit", "deny"):
            return None
        ace = " ".join([resolve(body[0], ("permit", "deny")) or body[0], *body[1:]])
        if not valid_ace(ace):
            raise InvalidAt(offset + (1 if seq is not None else 0) + 1)
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

    def _match(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        if (
            len(body) != 4
            or not keyword_match(body[1], "access-group", 8)
            or body[2].lower() != "name"
        ):
            raise InvalidAt(offset + 1)
        name = valid_name(body[3], offset + 3)
        _kind, acls = self.config.class_maps[s.scratch["class_map"]]
        if negate:
            acls[:] = [a for a in acls if a != name]
        elif name not in acls:
            acls.append(name)
        return ""

    def _pmap_class(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        if len(body) < 2:
            return incomplete()
        name = valid_name(body[1], offset + 1)
        classes = self.config.policy_maps[s.scratch["policy_map"]]
        if negate:
            classes.pop(name, None)
            return ""
        if name != "class-default" and name not in self.config.class_maps:
            return f"class-map {name} not configured\n"
        classes.setdefault(name, PolicyClass())
        s.mode = "config-pmap-c"
        s.scratch["class"] = name
        return ""

    def _policy_class(self, s: SessionContext) -> PolicyClass:
        return self.config.policy_maps[s.scratch["policy_map"]][s.scratch["class"]]

    def _bandwidth(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        pc = self._policy_class(s)
        if negate:
            pc.bandwidth_kbps = None
            return ""
        if len(body) != 2 or not body[1].isdigit() or not 8 <= int(body[1]) <= 10_000_000:
            raise InvalidAt(offset + 1)
        pc.bandwidth_kbps = int(body[1])
        return ""

    def _shape(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        pc = self._policy_class(s)
        if negate:
            pc.shape_average_bps = None
            return ""
        if len(body) != 3 or resolve(body[1], SHAPE_WORDS) != "average":
            raise InvalidAt(offset + 1)
        if not body[2].isdigit() or not 8000 <= int(body[2]) <= 100_000_000_000:
            raise InvalidAt(offset + 2)
        pc.shape_average_bps = int(body[2])
        return ""

    def _priority(self, body: list[str], negate: bool, offset: int, s: SessionContext) -> str:
        pc = self._policy_class(s)
        if negate:
            pc.priority_level = None
            return ""
        if len(body) == 1:
            pc.priority_level = 1
            return ""
        if len(body) == 3 and keyword_match(body[1], "level", 3) and body[2] in ("1", "2"):
            pc.priority_level = int(body[2])
            return ""
        raise InvalidAt(offset + 1)


def _leave_to(session: SessionContext, mode: str) -> None:
    """Move up to ``mode`` (a parent of the current one), dropping the context left behind."""
    session.mode = mode
    _trim_scratch(session)


def _trim_scratch(session: SessionContext) -> None:
    keep = {
        "config-if": ("interface",),
        "config-ext-nacl": ("acl",),
        "config-cmap": ("class_map",),
        "config-pmap": ("policy_map",),
        "config-pmap-c": ("policy_map", "class"),
    }.get(session.mode, ())
    session.scratch = {k: v for k, v in session.scratch.items() if k in keep}
