"""Telemetry over a recent time window, aggregated in SQL: one row per interface or queue.

:func:`interface_windows` and :func:`queue_windows` return, per (device, interface) or per
(device, queue, target), the latest rate and the minimum/maximum over ``[now - window_s, now]``
with the first and last sample times, in two queries each whatever the number of samples (a
``GROUP BY`` and a ``row_number()`` window over the same range).  :func:`window_stats` computes
the same numbers from a plain series, so the alert rules in :mod:`netops.queries.alerts` are
tested on hand-made series and the SQL is tested against it.  Rates bit/s, times epoch seconds.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from netops.storage.telemetry import InterfaceSample, QueueSample

Point = tuple[float, float, float]
"""(at_s, in_bps, out_bps) - for a queue (at_s, up_bps, down_bps)."""


@dataclass(frozen=True, slots=True)
class WindowStats:
    """A rate pair over a window: the latest values, the minimum and maximum of each side, the
    first and last sample time and the number of samples."""

    count: int
    first_s: float
    last_s: float
    latest_a_bps: float
    latest_b_bps: float
    min_a_bps: float
    min_b_bps: float
    max_a_bps: float
    max_b_bps: float

    @property
    def latest_max_bps(self) -> float:
        return max(self.latest_a_bps, self.latest_b_bps)


def window_stats(points: Sequence[Point]) -> WindowStats | None:
    """:class:`WindowStats` of ``(at_s, a_bps, b_bps)`` points (any order); None when empty."""
    if not points:
        return None
    pts = sorted(points)
    a = [p[1] for p in pts]
    b = [p[2] for p in pts]
    return WindowStats(
        len(pts), pts[0][0], pts[-1][0], a[-1], b[-1], min(a), min(b), max(a), max(b)
    )


def _pairs_filter(
    device_col: Any, name_col: Any, pairs: Collection[tuple[str, str]]
) -> ColumnElement[bool]:
    return tuple_(device_col, name_col).in_(list(pairs))


def interface_windows(
    session: Session,
    now_s: float,
    window_s: float,
    pairs: Collection[tuple[str, str]] | None = None,
    devices: Collection[str] | None = None,
) -> dict[tuple[str, str], WindowStats]:
    """Per (device, interface): in/out rates over ``[now_s - window_s, now_s]`` (a = in,
    b = out), only samples with a rate.  ``pairs`` or ``devices`` restrict the rows (a page);
    None means every interface.  Two queries."""
    s = InterfaceSample
    conds = [s.at_s >= now_s - window_s, s.at_s <= now_s, s.in_bps.is_not(None)]
    if pairs is not None:
        if not pairs:
            return {}
        conds.append(_pairs_filter(s.device, s.interface, pairs))
    if devices is not None:
        if not devices:
            return {}
        conds.append(s.device.in_(list(devices)))
    where = and_(*conds)
    agg: Sequence[Any] = session.execute(
        select(
            s.device,
            s.interface,
            func.count(),
            func.min(s.at_s),
            func.max(s.at_s),
            func.min(s.in_bps),
            func.min(func.coalesce(s.out_bps, 0.0)),
            func.max(s.in_bps),
            func.max(func.coalesce(s.out_bps, 0.0)),
        )
        .where(where)
        .group_by(s.device, s.interface)
    ).all()
    # the latest sample of each interface: the aggregate's max(at_s) joined back through the
    # (device, interface, at_s) index - cheaper than a row_number() sort of the whole window
    last = (
        select(s.device.label("d"), s.interface.label("i"), func.max(s.at_s).label("t"))
        .where(where)
        .group_by(s.device, s.interface)
        .subquery()
    )
    latest = {
        (d, i): (float(a or 0.0), float(b or 0.0))
        for d, i, a, b in session.execute(
            select(s.device, s.interface, s.in_bps, s.out_bps).join(
                last, (s.device == last.c.d) & (s.interface == last.c.i) & (s.at_s == last.c.t)
            )
        )
    }
    out = {}
    for d, i, n, lo, hi, mina, minb, maxa, maxb in agg:
        la, lb = latest.get((d, i), (0.0, 0.0))
        out[(d, i)] = WindowStats(
            int(n), float(lo), float(hi), la, lb, float(mina), float(minb), float(maxa), float(maxb)
        )
    return out


@dataclass(frozen=True, slots=True)
class QueueWindow:
    device: str
    queue_name: str
    target: str
    stats: WindowStats
    """a = up, b = down (a NULL rate counts as 0: the collectors fill one side of a
    one-direction queue)."""


def queue_windows(
    session: Session, now_s: float, window_s: float, devices: Collection[str]
) -> list[QueueWindow]:
    """Per (device, queue_name, target) on ``devices``: up/down rates over the window.  Samples
    with no rate at all (first sample, reset) are left out.  Two queries."""
    if not devices:
        return []
    q = QueueSample
    up = func.coalesce(q.rate_up_bps, 0.0)
    down = func.coalesce(q.rate_down_bps, 0.0)
    where = and_(
        q.device.in_(list(devices)),
        q.at_s >= now_s - window_s,
        q.at_s <= now_s,
        or_(q.rate_up_bps.is_not(None), q.rate_down_bps.is_not(None)),
    )
    keys = (q.device, q.queue_name, q.target)
    agg: Sequence[Any] = session.execute(
        select(
            *keys,
            func.count(),
            func.min(q.at_s),
            func.max(q.at_s),
            func.min(up),
            func.min(down),
            func.max(up),
            func.max(down),
        )
        .where(where)
        .group_by(*keys)
    ).all()
    rn = func.row_number().over(partition_by=keys, order_by=q.at_s.desc()).label("rn")
    inner = select(*keys, up.label("up"), down.label("down"), rn).where(where).subquery()
    latest = {
        (d, n, t): (float(u), float(w))
        for d, n, t, u, w in session.execute(
            select(
                inner.c.device, inner.c.queue_name, inner.c.target, inner.c.up, inner.c.down
            ).where(inner.c.rn == 1)
        )
    }
    out = []
    for d, n, t, c, lo, hi, minu, mind, maxu, maxd in agg:
        lu, ld = latest.get((d, n, t), (0.0, 0.0))
        stats = WindowStats(
            int(c), float(lo), float(hi), lu, ld, float(minu), float(mind), float(maxu), float(maxd)
        )
        out.append(QueueWindow(d, n, t, stats))
    return out


def greater(a: ColumnElement[float], b: ColumnElement[float]) -> ColumnElement[float]:
    """Portable ``GREATEST(a, b)`` (SQLite has no GREATEST)."""
    return case((a >= b, a), else_=b)
