"""The one text-table renderer of netops: every command's table goes through :func:`render_table`.

Two forms, chosen by the caller's output (the CLI sets it, see :mod:`netops.cli.output`):

* **plain** (the default: a pipe, a file, a test): left-aligned columns two spaces apart, no
  width limit, a cell never wrapped, so ``grep``/``awk`` see one row per line;
* **terminal** (:data:`TERMINAL_WIDTH` set to the terminal's columns): a rich table that fits that
  width, wrapping long cells inside their column (the ``spof`` core row runs past 2,000
  characters) and folding words longer than the column.

It lives in the bottom layer because the pure report modules of several layers
(:mod:`topology.report`, :mod:`netops.bandwidth.report`) build their text with it.  Cells are
plain text: rich markup in a cell (``[bold]``) is printed as written.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextvars import ContextVar

TERMINAL_WIDTH: ContextVar[int | None] = ContextVar("netops_terminal_width", default=None)
"""Columns of the terminal the tables go to; None: plain tables (not a terminal)."""

MIN_WIDTH = 40
MIN_WRAPPED = 20  # columns left to the one wrapped column before every column may wrap


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    rule: bool = False,
    header: bool = True,
    width: int | None = None,
) -> list[str]:
    """The table as lines (no trailing spaces).

    ``rule``: a dashed line under the header in the plain form; ``header=False`` prints rows only.
    ``width``: fit to this many columns (the terminal form); default :data:`TERMINAL_WIDTH`.
    Raises :class:`ValueError` when a row has not one cell per header."""
    for r in rows:
        if len(r) != len(headers):
            raise ValueError(f"row {list(r)!r} has {len(r)} cells for {len(headers)} columns")
    width = width if width is not None else TERMINAL_WIDTH.get()
    if width is None:
        return _plain(headers, rows, rule=rule, header=header)
    return _fitted(headers, rows, header=header, width=max(width, MIN_WIDTH))


def _plain(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, rule: bool, header: bool
) -> list[str]:
    shown = [list(headers)] if header else []
    widths = [max([len(r[i]) for r in [*shown, *rows]] or [0]) for i in range(len(headers))]
    lines = []
    if header:
        lines.append("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
        if rule:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return lines


def _fitted(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, header: bool, width: int
) -> list[str]:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=box.SIMPLE_HEAD if header else None,
        show_header=header,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        header_style="bold",
    )
    natural = [
        max([len(h) if header else 0, *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)
    ]
    gaps = 2 * (len(headers) - 1)
    # Narrow columns (counts, rates, names) stay whole, shortest first, while the columns left
    # keep MIN_WRAPPED characters each: the long ones (the agencies a core device cuts off) wrap.
    whole_cols: set[int] = set()
    if sum(natural) + gaps > width:
        used = gaps
        for i in sorted(range(len(headers)), key=lambda i: natural[i]):
            left = len(headers) - len(whole_cols) - 1
            if used + natural[i] + MIN_WRAPPED * left > width:
                break
            whole_cols.add(i)
            used += natural[i]
    for i, h in enumerate(headers):
        whole = i in whole_cols
        table.add_column(Text(h), overflow="fold", min_width=natural[i] if whole else None)
    for r in rows:
        table.add_row(*(Text(c) for c in r))
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None, highlight=False, emoji=False).print(table)
    return [ln.rstrip() for ln in buf.getvalue().splitlines()]
