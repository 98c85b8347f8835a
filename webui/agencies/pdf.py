"""The monthly report as an A4 PDF, drawn with matplotlib (already a netops dependency; no
browser needed on the server): title, the figures table and the volume per day.

All text is passed in already translated and formatted by the view; ``$`` is escaped so an
agency name is never read as matplotlib math.  Pure: strings and numbers in, bytes out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

A4_INCHES = (8.27, 11.69)


@dataclass(frozen=True)
class PdfReport:
    title: str
    subtitle: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    chart_title: str
    day_labels: Sequence[str]
    down_gb: Sequence[float]
    up_gb: Sequence[float]
    legend: tuple[str, str]
    footer: str


def _plain(text: str) -> str:
    return text.replace("$", r"\$")


def _wrapped(header: str, width: int = 14) -> str:
    """A long column header on two lines, broken at the space nearest its middle."""
    if len(header) <= width or " " not in header:
        return header
    middle = len(header) // 2
    cut = min((i for i, c in enumerate(header) if c == " "), key=lambda i: abs(i - middle))
    return header[:cut] + "\n" + header[cut + 1 :]


def render(report: PdfReport) -> bytes:
    """The report as PDF bytes (one A4 portrait page)."""
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_INCHES)
    FigureCanvasPdf(fig)
    fig.text(0.06, 0.95, _plain(report.title), fontsize=15, weight="bold", va="top", wrap=True)
    fig.text(0.06, 0.915, _plain(report.subtitle), fontsize=10, color="#555", va="top")
    table_ax = fig.add_axes((0.06, 0.72, 0.88, 0.17))
    table_ax.axis("off")
    table = table_ax.table(
        cellText=[[_plain(c) for c in row] for row in report.rows],
        colLabels=[_wrapped(_plain(h)) for h in report.headers],
        loc="upper center",
        cellLoc="right",
        colLoc="right",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8.5)
    table.scale(1, 2.0)
    chart = fig.add_axes((0.1, 0.12, 0.84, 0.52))
    x = list(range(len(report.day_labels)))
    chart.bar(
        [i - 0.2 for i in x],
        report.down_gb,
        width=0.4,
        label=_plain(report.legend[0]),
        color="#0d6efd",
    )
    chart.bar(
        [i + 0.2 for i in x],
        report.up_gb,
        width=0.4,
        label=_plain(report.legend[1]),
        color="#20c997",
    )
    chart.set_title(_plain(report.chart_title), fontsize=11)
    chart.set_ylabel("GB")
    chart.set_xticks(x, [_plain(d) for d in report.day_labels], fontsize=7)
    chart.legend(fontsize=8)
    chart.grid(axis="y", alpha=0.3)
    fig.text(0.06, 0.03, _plain(report.footer), fontsize=8, color="#555")
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    return buf.getvalue()
