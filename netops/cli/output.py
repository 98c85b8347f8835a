"""How the CLI prints: tables fitted to the terminal or plain, JSON, and progress on stderr.

* :func:`configure` (called once by the ``netops`` group): when standard output is a terminal,
  tables are fitted to its width and long cells wrap (:data:`netops.tables.TERMINAL_WIDTH`);
  otherwise (a pipe, a file, CI, tests) they stay plain, one row per line.
* :func:`echo_table` prints a table through :func:`netops.tables.render_table`;
  :func:`echo_json` prints what ``--json`` promises (indented, dates as ISO text).
* :func:`progress` shows a rich progress bar on standard error, only on a terminal, never with
  ``--json`` and never when ``CI`` is set; elsewhere it is a silent no-op.  The work reports
  through a plain ``(done, total)`` callback, so the layers below need no rich or click.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from netops.tables import TERMINAL_WIDTH, render_table

ProgressCallback = Callable[[int, int], None]
"""``(done, total)`` steps of a long piece of work; ``total`` 0 when unknown."""


def configure() -> None:
    """Fit tables to the terminal when standard output is one (else leave them plain)."""
    if _is_terminal(sys.stdout):
        TERMINAL_WIDTH.set(shutil.get_terminal_size().columns)


def echo_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, rule: bool = False
) -> None:
    click.echo("\n".join(render_table(headers, rows, rule=rule)))


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def progress_wanted(*, as_json: bool = False) -> bool:
    """Whether a progress bar may be drawn: stderr is a terminal, no ``--json``, not in CI."""
    return not as_json and not os.environ.get("CI") and _is_terminal(sys.stderr)


def _silent(done: int, total: int) -> None:
    return None


@contextmanager
def progress(description: str, *, as_json: bool = False) -> Iterator[ProgressCallback]:
    """A ``(done, total)`` callback drawing a transient bar on stderr while the block runs, or a
    no-op callback when :func:`progress_wanted` says no."""
    if not progress_wanted(as_json=as_json):
        yield _silent
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        yield update
