"""Edit ``inventory.yaml`` in place, keeping every comment and the layout: quotas and boosts.

The CLI (``netops bandwidth boost add``) and the web UI (quota editor, boost approvals) change the
file through these functions only.  Each edit:

1. reads the file under an exclusive lock and refuses with :class:`StaleInventoryError` when the
   caller's ``expected_sha256`` (the hash of the file it showed the user) no longer matches;
2. changes the round-trip tree of ruamel.yaml (a flow mapping such as ``quota: {..}`` stays on its
   line; a block list stays a block list), so comments stay where they were;
3. writes only the lines the change touches back into the original text (every other byte of the
   file stays as it was) and refuses if a full-line comment would be lost;
4. validates the new text with the inventory loader (:func:`~netops.inventory.loader.
   load_inventory_text`) *before* touching the file: an invalid result raises
   :class:`~netops.errors.InventoryError` naming file and line, and the file is left byte-identical;
5. replaces the file atomically (a temporary file in the same directory, fsync, ``os.replace``),
   keeping its permission bits.
"""

from __future__ import annotations

import copy
import difflib
import fcntl
import hashlib
import io
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from netops.errors import InventoryError, Problem
from netops.inventory.findings import suggest
from netops.inventory.loader import load_inventory_text

QUOTA_FIELDS = (
    "guaranteed_down_mbps",
    "maximum_down_mbps",
    "guaranteed_up_mbps",
    "maximum_up_mbps",
    "priority",
)

# (mapping, sequence, offset) indentations tried in turn; the first that reproduces the file
# exactly is used.  The sample inventory is the first.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0))


class StaleInventoryError(InventoryError):
    """The file changed since the caller read it (another edit, or a hand edit): nothing written.

    ``expected`` and ``actual`` are the sha256 hex digests."""

    def __init__(self, path: Path, expected: str, actual: str) -> None:
        self.path = path
        self.expected = expected
        self.actual = actual
        super().__init__(
            [
                Problem(
                    str(path),
                    0,
                    "",
                    f"the file changed since it was read (sha256 {actual[:12]}, expected "
                    f"{expected[:12]}): nothing was written; reload it and make the change again",
                )
            ]
        )


@dataclass(frozen=True)
class EditResult:
    """What an edit did: the file, its sha256 before and after, and the number of lines changed
    (a line replaced counts once; an added five-line boost counts five; 0: nothing to change)."""

    path: Path
    sha256_before: str
    sha256_after: str
    changed_lines: int


def inventory_sha256(path: Path) -> str:
    """Hex sha256 of the file's bytes (what a page shows and sends back as ``expected_sha256``)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def set_quota(
    path: Path,
    agency_code: str,
    *,
    expected_sha256: str | None = None,
    **fields: float | int,
) -> EditResult:
    """Set quota fields of agency ``agency_code``: any of :data:`QUOTA_FIELDS` (Mbit/s, and
    ``priority`` 1..8), e.g. ``set_quota(p, "rsud", maximum_down_mbps=600)``.

    Raises :class:`InventoryError` for an unknown agency or field, or when the result is invalid
    (file and line named; the file is not touched), :class:`StaleInventoryError` when the file's
    sha256 is not ``expected_sha256``."""
    unknown = sorted(set(fields) - set(QUOTA_FIELDS))
    if unknown or not fields:
        what = f"unknown quota field {unknown[0]!r}" if unknown else "no quota field given"
        raise InventoryError(
            [Problem(str(path), 0, "quota", f"{what}: use {', '.join(QUOTA_FIELDS)}")]
        )
    values = {k: _number(str(path), k, v) for k, v in fields.items()}

    def change(data: CommentedMap) -> None:
        quota = _agency(data, agency_code, str(path))["quota"]
        for k, v in values.items():
            quota[k] = v

    return _edit(Path(path), change, expected_sha256)


def add_boost(
    path: Path,
    agency_code: str,
    *,
    start: datetime,
    end: datetime,
    maximum_down_mbps: float | None,
    maximum_up_mbps: float | None,
    reason: str | None,
    expected_sha256: str | None = None,
) -> EditResult:
    """Append a boost (``start``/``end`` with time zone; maxima in Mbit/s) to the agency's
    ``quota.boosts``, creating the list when there is none.  Errors as :func:`set_quota`."""
    name = str(path)
    item = CommentedMap()
    item["start"] = DoubleQuotedScalarString(start.isoformat())
    item["end"] = DoubleQuotedScalarString(end.isoformat())
    if maximum_down_mbps is not None:
        item["maximum_down_mbps"] = _number(name, "maximum_down_mbps", maximum_down_mbps)
    if maximum_up_mbps is not None:
        item["maximum_up_mbps"] = _number(name, "maximum_up_mbps", maximum_up_mbps)
    if reason:
        item["reason"] = DoubleQuotedScalarString(reason)

    def change(data: CommentedMap) -> None:
        quota = _agency(data, agency_code, name)["quota"]
        if not isinstance(quota, CommentedMap):
            raise InventoryError([Problem(name, 0, "quota", f"{agency_code}: quota is not a map")])
        boosts = quota.get("boosts")
        if boosts is None:
            seq = CommentedSeq([item])
            if not _is_flow(quota):
                item.fa.set_block_style()
            _append(quota, "boosts", seq)
        elif isinstance(boosts, CommentedSeq):
            if boosts and _is_flow(boosts[-1]):
                item.fa.set_flow_style()
            _append(boosts, len(boosts), item)
        else:
            raise InventoryError([Problem(name, 0, "boosts", f"{agency_code}: boosts not a list")])

    return _edit(Path(path), change, expected_sha256)


def remove_boost(
    path: Path, agency_code: str, index: int, *, expected_sha256: str | None = None
) -> EditResult:
    """Remove boost number ``index`` (0-based, file order) of the agency; the ``boosts:`` key goes
    when its last boost does.  Full-line comments around the boost stay.  Errors as
    :func:`set_quota` (an index out of range is an :class:`InventoryError`)."""
    name = str(path)

    def change(data: CommentedMap) -> None:
        quota = _agency(data, agency_code, name)["quota"]
        boosts = quota.get("boosts") if isinstance(quota, CommentedMap) else None
        count = len(boosts) if isinstance(boosts, CommentedSeq) else 0
        if not isinstance(boosts, CommentedSeq) or not 0 <= index < count:
            raise InventoryError(
                [
                    Problem(
                        name,
                        0,
                        "boosts",
                        f"{agency_code} has no boost number {index} (it has {count})",
                    )
                ]
            )
        del boosts[index]
        if not boosts:
            del quota["boosts"]

    return _edit(Path(path), change, expected_sha256, keep_deleted_comments=True)


# --- the edit machinery -------------------------------------------------------------------------


def _number(name: str, key: str, value: object) -> int | float:
    """A quota value as written: integral values as ``300``, others as ``12.5``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InventoryError([Problem(name, 0, key, f"{key} must be a number, got {value!r}")])
    return int(value) if float(value).is_integer() else value


def _agency(data: Any, code: str, name: str) -> CommentedMap:
    agencies = data.get("agencies") if isinstance(data, CommentedMap) else None
    codes = []
    for a in agencies if isinstance(agencies, CommentedSeq) else []:
        if isinstance(a, CommentedMap):
            if a.get("code") == code and isinstance(a.get("quota"), CommentedMap):
                return a
            codes.append(str(a.get("code")))
    raise InventoryError(
        [Problem(name, 0, "agencies", f"no agency {code!r}{suggest(code, codes, 'agencies')}")]
    )


def _is_flow(node: object) -> bool:
    return isinstance(node, CommentedBase) and bool(node.fa.flow_style())


def _leaf(node: object) -> tuple[CommentedBase, Any, int] | None:
    """Where ruamel keeps the comment lines that follow a block collection: on its deepest last
    element, as (container, key or index, slot in ``ca.items``); None for flow or empty nodes."""
    while isinstance(node, CommentedMap | CommentedSeq) and len(node) and not _is_flow(node):
        key: Any = next(reversed(node)) if isinstance(node, CommentedMap) else len(node) - 1
        child = node[key]
        if isinstance(child, CommentedMap | CommentedSeq) and len(child) and not _is_flow(child):
            node = child
            continue
        return node, key, 2 if isinstance(node, CommentedMap) else 0
    return None


def _append(container: CommentedMap | CommentedSeq, key: Any, value: Any) -> None:
    """Add ``value`` at the end of a block ``container``, moving the comment lines that followed
    the old last element (the next section's heading, blank lines) below the new one."""
    old = None if _is_flow(container) else _leaf(container)
    moved: Any = None
    if old is not None:
        holder, k, slot = old
        entry = holder.ca.items.get(k)
        token: Any = entry[slot] if entry and len(entry) > slot else None
        text = getattr(token, "value", None)
        if token is not None and isinstance(text, str) and "\n" in text[:-1]:
            cut = text.index("\n")
            own = text[: cut + 1]
            moved = copy.copy(token)
            moved.value = text[cut:]
            if own.strip():
                token.value = own
            else:
                entry[slot] = None
    if isinstance(container, CommentedMap):
        container[key] = value
    else:
        container.append(value)
    if moved is not None:
        holder, k, slot = _leaf(value) or (
            container,
            key,
            2 if isinstance(container, CommentedMap) else 0,
        )
        entry = holder.ca.items.setdefault(k, [None] * (4 if slot == 2 else 2))
        entry[slot] = moved


def _yaml(indent: tuple[int, int, int]) -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1_000_000  # never re-wrap a long line
    y.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    return y


def _dump(y: YAML, data: Any) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def _parse(text: str, name: str) -> tuple[YAML, Any, str]:
    """The round-trip tree, the YAML object whose dump reproduces ``text`` best, and that dump."""
    best: tuple[int, YAML, Any, str] | None = None
    for indent in _INDENTS:
        y = _yaml(indent)
        try:
            data = y.load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            raise InventoryError([Problem(name, line, "", f"not valid YAML: {exc}")]) from None
        dumped = _dump(y, data)
        if dumped == text:
            return y, data, dumped
        a, b = text.splitlines(), dumped.splitlines()
        differing = sum(u != v for u, v in zip(a, b, strict=False)) + abs(len(a) - len(b))
        if best is None or differing < best[0]:
            best = (differing, y, data, dumped)
    assert best is not None
    return best[1], best[2], best[3]


def _full_line_comments(lines: list[str]) -> Counter[str]:
    return Counter(s.strip() for s in lines if s.lstrip().startswith("#"))


def _splice(
    original: str, baseline: str, edited: str, keep_deleted_comments: bool
) -> tuple[str, int]:
    """Apply the change ``baseline -> edited`` (two dumps of one tree) to ``original``.

    The change is the middle part between the longest common prefix and suffix of the two dumps.
    When ``original`` equals ``baseline`` outside that part, only those lines of ``original`` are
    replaced; otherwise the whole ``edited`` dump is the result.  In a pure deletion, full-line
    comments and blank lines of the deleted part are kept.  Returns (text, lines changed)."""
    b, e, o = (t.splitlines(keepends=True) for t in (baseline, edited, original))
    p = 0
    while p < min(len(b), len(e)) and b[p] == e[p]:
        p += 1
    s = 0
    while s < min(len(b), len(e)) - p and b[len(b) - 1 - s] == e[len(e) - 1 - s]:
        s += 1
    old_mid, new_mid = b[p : len(b) - s], e[p : len(e) - s]
    if keep_deleted_comments and not new_mid:
        new_mid = [ln for ln in old_mid if not ln.strip() or ln.lstrip().startswith("#")]
    changed = sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, old_mid, new_mid, autojunk=False
        ).get_opcodes()
        if tag != "equal"
    )
    if o[:p] == b[:p] and o[len(o) - s :] == b[len(b) - s :] and len(o) >= p + s:
        return "".join(o[:p] + new_mid + o[len(o) - s :]), changed
    return "".join(e[:p] + new_mid + e[len(e) - s :]), changed


@contextmanager
def _locked(path: Path) -> Iterator[bytes]:
    """The file's bytes, read under an exclusive ``flock`` held until the block ends (the lock is
    on the file's inode; a writer that replaced it meanwhile makes us read the new one)."""
    while True:
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        except FileNotFoundError:
            raise InventoryError([Problem(str(path), 0, "", "file not found")]) from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            if os.fstat(fh.fileno()).st_ino != os.stat(path).st_ino:
                continue
            yield fh.read()
            return
        finally:
            fh.close()


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _edit(
    path: Path,
    change: Callable[[CommentedMap], None],
    expected_sha256: str | None,
    *,
    keep_deleted_comments: bool = False,
) -> EditResult:
    name = str(path)
    with _locked(path) as raw:
        before = hashlib.sha256(raw).hexdigest()
        if expected_sha256 is not None and expected_sha256.lower() != before:
            raise StaleInventoryError(path, expected_sha256, before)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InventoryError([Problem(name, 0, "", f"not UTF-8 text: {exc}")]) from None
        y, data, baseline = _parse(text, name)
        change(data)
        new_text, changed = _splice(text, baseline, _dump(y, data), keep_deleted_comments)
        lost = _full_line_comments(text.splitlines()) - _full_line_comments(new_text.splitlines())
        if lost:
            first = next(iter(lost))
            raise InventoryError(
                [Problem(name, 0, "", f"the edit would lose the comment {first!r}: edit by hand")]
            )
        load_inventory_text(new_text, name)  # InventoryError with file:line; file untouched
        if new_text == text:
            return EditResult(path, before, before, 0)
        data_out = new_text.encode("utf-8")
        _write_atomically(path, data_out, stat.S_IMODE(os.stat(path).st_mode))
        return EditResult(path, before, hashlib.sha256(data_out).hexdigest(), changed)
