"""RouterOS configuration menus that hold numbered items (``/queue simple``, ``/queue tree``,
``/ip firewall mangle``, ``/ip address``): properties, validation, add/set/remove/find.

Values are kept in the normalized text form RouterOS prints (``max-limit=60M/150M``,
``target=10.10.1.0/24``, ``priority=2/2``), so printing and exporting need no conversion and
:mod:`lab.routeros.queues` parses them back into bit/s for the traffic model.  Errors are
:class:`RosError` (printed as-is, e.g. ``failure: already have such name``) or
:class:`~lab.routeros.words.RosSyntaxError` (printed with the column).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lab.routeros.units import format_rate, parse_rate_bps, split_pair
from lab.routeros.words import Condition, RosSyntaxError, Word, parse_conditions

QUEUE_KINDS = (
    "default",
    "default-small",
    "ethernet-default",
    "wireless-default",
    "synchronous-default",
    "hotspot-default",
    "pcq-upload-default",
    "pcq-download-default",
    "only-hardware-queue",
    "multi-queue-ethernet-default",
    "no-queue",
)
MANGLE_CHAINS = ("prerouting", "input", "forward", "output", "postrouting")
MANGLE_ACTIONS = (
    "accept",
    "add-dst-to-address-list",
    "add-src-to-address-list",
    "change-dscp",
    "change-mss",
    "change-ttl",
    "clear-df",
    "fasttrack-connection",
    "jump",
    "log",
    "mark-connection",
    "mark-packet",
    "mark-routing",
    "passthrough",
    "return",
    "set-priority",
    "strip-ipv4-options",
)


class RosError(Exception):
    """A RouterOS error message printed verbatim (``no such item``, ``failure: ...``)."""


@dataclass(frozen=True)
class Prop:
    """One property of a menu's items.

    ``kind`` picks the validator: ``text``, ``bool``, ``rate``, ``rate-pair``, ``prio``,
    ``prio-pair``, ``queue``, ``queue-pair``, ``targets``, ``address``, ``prefix``, ``enum``,
    ``ref`` (a name from ``refs``), ``time-pair``, ``float-pair``, ``time``, ``float``.
    ``quoted`` strings are always quoted in ``print``; ``shown`` says whether ``print`` lists it
    when it has its default value.
    """

    name: str
    default: str = ""
    kind: str = "text"
    choices: tuple[str, ...] = ()
    quoted: bool = False
    shown: bool = True


@dataclass
class Item:
    """One configured entry; ``iid`` is RouterOS's internal ``*N`` id, ``values`` by property."""

    iid: int
    values: dict[str, str]
    disabled: bool = False
    comment: str = ""
    dynamic: bool = False
    # Counter baselines, e.g. ledger octets when the queue was created (bytes count from there).
    baseline: dict[str, int] = field(default_factory=dict)
    boot_s: float = 0.0

    def get(self, key: str) -> str:
        return self.values.get(key, "")


RefSource = Callable[[], Iterable[str]]


class Table:
    """Items of one menu in print order."""

    def __init__(
        self,
        path: str,
        props: list[Prop],
        *,
        name_prop: str | None = "name",
        auto_name: str | None = None,
        refs: dict[str, RefSource] | None = None,
        required: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.props = {p.name: p for p in props}
        self.order = [p.name for p in props]
        self.name_prop = name_prop
        self.auto_name = auto_name
        self.refs = refs or {}
        self.required = required
        self.items: list[Item] = []
        self._next_iid = 1

    # -- validation ------------------------------------------------------------------------
    def normalize(self, key: str, raw: str, column: int) -> str:
        """``raw`` in the form RouterOS stores it; errors name the property."""
        prop = self.props.get(key)
        if prop is None:
            raise RosSyntaxError("expected end of command", column)
        try:
            return _normalize(prop, raw, self.refs.get(key))
        except ValueError as exc:
            raise RosError(str(exc) or f"invalid value for argument {key}") from None

    def _apply(self, item: Item, pairs: list[Word], *, creating: bool) -> None:
        staged = dict(item.values)
        disabled, comment = item.disabled, item.comment
        for w in pairs:
            if not w.is_pair or w.op != "=":
                raise RosSyntaxError("expected end of command", w.column)
            assert w.key is not None
            if w.key == "disabled":
                disabled = _normalize(Prop("disabled", kind="bool"), w.value, None) == "yes"
            elif w.key == "comment":
                comment = w.value
            else:
                staged[w.key] = self.normalize(w.key, w.value, w.column)
        if self.name_prop and self.name_prop in staged:
            name = staged[self.name_prop]
            for other in self.items:
                if other is not item and other.get(self.name_prop) == name:
                    raise RosError("failure: already have such name")
        if creating:
            for key in self.required:
                if not staged.get(key):
                    raise RosError(f"failure: {key} not specified")
        item.values, item.disabled, item.comment = staged, disabled, comment

    # -- commands --------------------------------------------------------------------------
    def add(self, pairs: list[Word], *, boot_s: float = 0.0) -> Item:
        """``add k=v ...``; returns the new item (appended at the end, as RouterOS does)."""
        item = Item(iid=self._next_iid, values={}, boot_s=boot_s)
        for key in self.order:
            item.values[key] = self.props[key].default
        self._apply(item, pairs, creating=True)
        if self.name_prop and self.auto_name and not item.values.get(self.name_prop):
            n = 1
            taken = {i.get(self.name_prop) for i in self.items}
            while f"{self.auto_name}{n}" in taken:
                n += 1
            item.values[self.name_prop] = f"{self.auto_name}{n}"
        self._next_iid += 1
        self.items.append(item)
        return item

    def set(self, items: list[Item], pairs: list[Word]) -> None:
        """``set <items> k=v ...``: all items or none are changed."""
        backups = [(i, dict(i.values), i.disabled, i.comment) for i in items]
        try:
            for item in items:
                self._apply(item, pairs, creating=False)
        except (RosError, RosSyntaxError):
            for i, values, disabled, comment in backups:
                i.values, i.disabled, i.comment = values, disabled, comment
            raise

    def remove(self, items: list[Item]) -> None:
        ids = {id(i) for i in items}
        self.items = [i for i in self.items if id(i) not in ids]

    # -- selecting items -------------------------------------------------------------------
    def find(self, conditions: list[Condition]) -> list[Item]:
        return [i for i in self.items if all(self._matches(i, c) for c in conditions)]

    def _matches(self, item: Item, cond: Condition) -> bool:
        if cond.key == "disabled":
            actual = "yes" if item.disabled else "no"
        elif cond.key == "dynamic":
            actual = "yes" if item.dynamic else "no"
        elif cond.key == "comment":
            actual = item.comment
        elif cond.key in self.props:
            actual = item.get(cond.key)
        else:
            raise RosError(f"no such property ({cond.key})")
        if cond.op == "~":
            try:
                hit = re.search(cond.value, actual) is not None
            except re.error:
                raise RosError("invalid regular expression") from None
        else:
            want = cond.value
            if cond.key in self.props and cond.key not in ("disabled", "dynamic", "comment"):
                try:
                    want = _normalize(self.props[cond.key], cond.value, None)
                except ValueError:
                    want = cond.value
            elif cond.key in ("disabled", "dynamic"):
                want = "yes" if cond.value in ("yes", "true") else "no"
            hit = actual == want
        return hit != cond.negate

    def select(self, words: list[Word]) -> list[Item]:
        """Items named by ``numbers``: ``0,2``, ``*3``, a name, or ``[find ...]``.  A list that
        names nothing raises ``no such item``; an empty ``find`` selects nothing (no error)."""
        out: list[Item] = []
        for w in words:
            if w.nested is not None:
                out.extend(self.find_words(w.nested))
                continue
            text = w.value if w.is_pair else w.text
            for part in text.split(","):
                out.append(self._one(part.strip()))
        seen: set[int] = set()
        return [i for i in out if not (id(i) in seen or seen.add(id(i)))]  # type: ignore[func-returns-value]

    def find_words(self, words: list[Word]) -> list[Item]:
        if not words or words[0].text != "find":
            raise RosSyntaxError("bad command name", words[0].column if words else 1)
        return self.find(parse_conditions(words[1:]))

    def _one(self, ref: str) -> Item:
        if ref.isdigit():
            index = int(ref)
            if index < len(self.items):
                return self.items[index]
            raise RosError("no such item")
        if ref.startswith("*"):
            try:
                iid = int(ref[1:], 16)
            except ValueError:
                raise RosError("no such item") from None
            for i in self.items:
                if i.iid == iid:
                    return i
            raise RosError("no such item")
        if self.name_prop:
            for i in self.items:
                if i.get(self.name_prop) == ref:
                    return i
        raise RosError("no such item")


def _normalize(prop: Prop, raw: str, refs: RefSource | None) -> str:
    kind, name = prop.kind, prop.name
    if kind == "text":
        return raw
    if kind == "bool":
        if raw in ("yes", "true"):
            return "yes"
        if raw in ("no", "false"):
            return "no"
        raise ValueError(f"input does not match any value of {name}")
    if kind == "rate":
        return format_rate(_rate(raw, name))
    if kind == "rate-pair":
        up, down = _pair(raw, name)
        return f"{format_rate(_rate(up, name))}/{format_rate(_rate(down, name))}"
    if kind == "prio":
        return str(_prio(raw, name))
    if kind == "prio-pair":
        up, down = _pair(raw, name)
        return f"{_prio(up, name)}/{_prio(down, name)}"
    if kind in ("queue", "queue-pair"):
        halves = _pair(raw, name) if kind == "queue-pair" else (raw, raw)
        for h in halves:
            if h not in QUEUE_KINDS:
                raise ValueError(f"input does not match any value of {name}")
        return f"{halves[0]}/{halves[1]}" if kind == "queue-pair" else halves[0]
    if kind == "targets":
        return ",".join(_target(t, name, refs) for t in raw.split(",") if t) if raw else ""
    if kind == "address":
        if not raw:
            return ""
        try:
            return str(ipaddress.IPv4Interface(raw if "/" in raw else raw + "/32"))
        except ValueError:
            raise ValueError(f"invalid value for argument {name}") from None
    if kind == "prefix":
        if not raw:
            return ""
        return _network(raw, name, keep_host=True)
    if kind in ("enum", "ref"):
        allowed = list(prop.choices) + (list(refs()) if refs is not None else [])
        if raw in allowed or (raw == "" and prop.default == ""):
            return raw
        raise ValueError(f"input does not match any value of {name}")
    if kind == "time-pair":
        up, down = _pair(raw, name)
        return f"{_time(up, name)}/{_time(down, name)}"
    if kind == "time":
        return _time(raw, name)
    if kind in ("float-pair", "float"):
        halves = _pair(raw, name) if kind == "float-pair" else (raw, raw)
        for h in halves:
            try:
                float(h)
            except ValueError:
                raise ValueError(f"invalid value for argument {name}") from None
        return f"{halves[0]}/{halves[1]}" if kind == "float-pair" else halves[0]
    raise ValueError(f"invalid value for argument {name}")  # pragma: no cover


def _pair(raw: str, name: str) -> tuple[str, str]:
    try:
        return split_pair(raw)
    except ValueError:
        raise ValueError(f"invalid value for argument {name}") from None


def _rate(text: str, name: str) -> int:
    try:
        return parse_rate_bps(text)
    except ValueError:
        raise ValueError(f"invalid value for argument {name}") from None


def _prio(text: str, name: str) -> int:
    if not text.isdigit():
        raise ValueError(f"invalid value for argument {name}")
    value = int(text)
    if not 1 <= value <= 8:
        raise ValueError(f"value of {name} out of range (1..8)")
    return value


def _time(text: str, name: str) -> str:
    if re.fullmatch(r"(\d+[wdhms]?)+(ms)?", text):
        return text if text[-1].isalpha() else f"{text}s"
    raise ValueError(f"invalid value for argument {name}")


def _network(text: str, name: str, *, keep_host: bool = False) -> str:
    try:
        net = ipaddress.IPv4Network(text if "/" in text else f"{text}/32", strict=False)
    except ValueError:
        raise ValueError(f"invalid value for argument {name}") from None
    if keep_host and net.prefixlen == 32:
        return str(net.network_address)
    return str(net)


def _target(text: str, name: str, refs: RefSource | None) -> str:
    if refs is not None and text in set(refs()):
        return text
    return _network(text, name)
