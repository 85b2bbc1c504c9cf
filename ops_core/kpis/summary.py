"""The one-page executive summary (A4 portrait) as PDF and PNG, drawn with matplotlib's
object API (no pyplot, no browser): the week and scope on top, a card per headline KPI with
its value, the change from last week, its target and a 12-week sparkline, then the rails."""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.figure import Figure

from ops_core.kpis import text
from ops_core.kpis.compute import Report
from ops_core.kpis.definitions import BY_KEY, SECTIONS
from ops_core.kpis.export import ISO_NOTE

PAGE = (8.27, 11.69)  # A4 portrait, inches; fits Letter's width with its margins too
MARGIN = 0.55
COLS = 4
CARD_H = 1.08
GREEN, RED, GREY, INK, LINE = "#1a7f37", "#cf222e", "#57606a", "#1f2328", "#0969da"
PNG_DPI = 150
ROW_H = 0.17
FOOTER_TOP = PAGE[1] - MARGIN - 0.3


def render(report: Report) -> tuple[bytes, bytes]:
    """(PDF bytes, PNG bytes) of the summary page."""
    fig = figure(report)
    pdf, png = io.BytesIO(), io.BytesIO()
    meta = {"Title": f"Railyard weekly KPIs {report.week.label}", "CreationDate": None}
    fig.savefig(pdf, format="pdf", metadata=meta)
    fig.savefig(png, format="png", dpi=PNG_DPI, facecolor="white")
    return pdf.getvalue(), png.getvalue()


def figure(report: Report) -> Figure:
    fig = Figure(figsize=PAGE, facecolor="white")
    page = _Page(fig)
    _header(page, report)
    summary = report.summary()
    for section in SECTIONS:
        rows = summary[(summary.section == section) & (summary.series == "all")]
        rows = rows[[BY_KEY[k].headline for k in rows.kpi]]
        page.section(section)
        if not rows.available.any():
            _unavailable(page, rows)
            continue
        for i, r in enumerate(rows.itertuples(index=False)):
            if i and i % COLS == 0:
                page.y += CARD_H
            _card(page, i % COLS, r, report)
        page.y += CARD_H + 0.1
    _rails_table(page, summary)
    _footer(page, report)
    return fig


class _Page:
    """Places things in inches from the top-left corner of the page."""

    def __init__(self, fig: Figure) -> None:
        self.fig, self.y = fig, MARGIN
        self.width = PAGE[0] - 2 * MARGIN

    def text(self, x: float, y: float, s: str, **kw) -> None:
        self.fig.text(x / PAGE[0], 1 - y / PAGE[1], s, va="top", **kw)

    def axes(self, x: float, y: float, w: float, h: float):
        return self.fig.add_axes((x / PAGE[0], 1 - (y + h) / PAGE[1], w / PAGE[0], h / PAGE[1]))

    def rule(self, y: float, color: str = "#d0d7de") -> None:
        ax = self.axes(MARGIN, y, self.width, 0.001)
        ax.axhline(0, color=color, linewidth=0.8)
        ax.set_axis_off()

    def section(self, title: str) -> None:
        self.text(MARGIN, self.y, title, fontsize=11.5, fontweight="bold", color=INK)
        self.rule(self.y + 0.24)
        self.y += 0.32


def _header(page: _Page, report: Report) -> None:
    page.text(
        MARGIN, page.y, "Railyard · Weekly operations summary", fontsize=17, fontweight="bold"
    )
    page.text(
        MARGIN,
        page.y + 0.36,
        f"{report.week.label}  ·  {report.week.span()}  ·  {ISO_NOTE}",
        fontsize=10,
        color=INK,
    )
    page.text(
        MARGIN,
        page.y + 0.58,
        f"{report.scope.describe(report.rail_names)}  ·  data as of "
        f"{report.as_of:%Y-%m-%d %H:%M} UTC  ·  change = vs {report.week.shift(-1).label}",
        fontsize=8.5,
        color=GREY,
    )
    page.y += 0.95


def _unavailable(page: _Page, rows: pd.DataFrame) -> None:
    """A whole section without data yet: one line, not a grid of empty cards."""
    why = "; ".join(sorted({n.removeprefix("not available yet: ") for n in rows.note}))
    page.text(MARGIN, page.y, f"Not available yet: {why}.", fontsize=9, color=GREY,
              fontweight="bold")  # fmt: skip
    page.text(MARGIN, page.y + 0.2, "Will show: " + ", ".join(rows.name) + ".", fontsize=7.5,
              color=GREY)  # fmt: skip
    page.y += 0.5


def _card(page: _Page, col: int, r, report: Report) -> None:
    kpi = BY_KEY[r.kpi]
    gap = 0.12
    w = (page.width - gap * (COLS - 1)) / COLS
    x, y = MARGIN + col * (w + gap), page.y
    page.text(x, y, kpi.name, fontsize=8, color=GREY)
    if not r.available:
        page.text(x, y + 0.2, "Not available yet", fontsize=11, color=GREY, fontweight="bold")
        page.text(
            x,
            y + 0.46,
            _wrap(r.note.removeprefix("not available yet: "), 34),
            fontsize=6.5,
            color=GREY,
            linespacing=1.3,
        )
        return
    color = {"met": GREEN, "missed": RED, "no data": GREY}.get(r.status, INK)
    page.text(
        x,
        y + 0.16,
        text.value(kpi, r.this_week, r.currency),
        fontsize=16,
        fontweight="bold",
        color=color,
    )
    better = text.better(kpi, r.this_week, r.last_week)
    delta = text.change(kpi, r.this_week, r.last_week)
    page.text(
        x,
        y + 0.46,
        "No data in this week" if r.this_week is None else f"{delta} vs last week",
        fontsize=7.5,
        color={True: GREEN, False: RED}.get(better, GREY),
    )
    if r.target is not None and not pd.isna(r.target):
        label = text.STATUS_LABEL[r.status]
        page.text(
            x, y + 0.61, f"Target {text.target(kpi, r.target)} · {label}", fontsize=7.5, color=color
        )
    _sparkline(page.axes(x, y + 0.8, w - 0.1, 0.22), r.history, color)


def _sparkline(ax, history: list, color: str) -> None:
    xs = [i for i, v in enumerate(history) if v is not None]
    ys = [float(history[i]) for i in xs]
    ax.set_axis_off()
    ax.set_xlim(-0.5, len(history) - 0.5)
    if not ys:
        return
    ax.plot(xs, ys, color=LINE, linewidth=1.1)
    ax.fill_between(xs, ys, min(ys), color=LINE, alpha=0.08, linewidth=0)
    if xs[-1] == len(history) - 1:
        ax.plot([xs[-1]], [ys[-1]], "o", color=color if color != INK else LINE, markersize=3)
    lo, hi = min(ys), max(ys)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.05 or 1
    ax.set_ylim(lo - pad, hi + pad)


RAIL_COLS = [  # (kpi, heading, what, width in inches)
    ("volume", "Payments", "value", 0.95),
    ("volume", "vs LW", "change", 0.6),
    ("success_rate", "Success", "value", 0.75),
    ("success_rate", "vs LW", "change", 0.75),
    ("p95_latency", "p95 latency", "value", 0.9),
    ("value", "Value", "value", 1.0),
]


def _rails_table(page: _Page, summary: pd.DataFrame) -> None:
    page.section("Rails this week")
    rails = summary[(summary.kpi == "volume") & (summary.series != "all")]
    x0 = MARGIN + 1.9
    page.text(MARGIN, page.y, "Rail", fontsize=7.5, color=GREY, fontweight="bold")
    x = x0
    for _, head, _, w in RAIL_COLS:
        page.text(x + w, page.y, head, fontsize=7.5, color=GREY, fontweight="bold", ha="right")
        x += w
    page.y += 0.2
    room = int((FOOTER_TOP - page.y) / ROW_H)
    if len(rails) > room:  # never run into the footer: say what was left out
        rails, left = rails.iloc[: room - 1], len(rails) - room + 1
    else:
        left = 0
    for rail in rails.itertuples(index=False):
        page.text(MARGIN, page.y, rail.series_name, fontsize=7.5, color=INK)
        x = x0
        for key, _, what, w in RAIL_COLS:
            s, color = _rail_cell(summary, key, rail.series, what)
            page.text(x + w, page.y, s, fontsize=7.5, color=color, ha="right")
            x += w
        page.y += ROW_H
    if left:
        page.text(MARGIN, page.y, f"… and {left} more rails: see the XLSX export.", fontsize=7.5,
                  color=GREY)  # fmt: skip


def _rail_cell(summary: pd.DataFrame, key: str, rail: str, what: str) -> tuple[str, str]:
    hit = summary[(summary.kpi == key) & (summary.series == rail)]
    if hit.empty:
        return "–", GREY
    r = hit.iloc[0]
    if what == "change":
        better = text.better(key, r.this_week, r.last_week)
        return text.change(key, r.this_week, r.last_week), {True: GREEN, False: RED}.get(
            better, GREY
        )
    return text.value(key, r.this_week, r.currency), INK


def _footer(page: _Page, report: Report) -> None:
    lines = (
        "Green: on target, red: off target, judged in each KPI's good direction. Every KPI is"
        " defined once in ops_core/sql/kpis/;",
        "the XLSX export's Definitions sheet has each one's explanation and SQL. Written by"
        f" python -m ops_core.kpis export --week {report.week.label}",
    )
    for i, line in enumerate(lines):
        page.text(MARGIN, FOOTER_TOP + 0.1 + i * 0.14, line, fontsize=6.5, color=GREY)


def _wrap(s: str, width: int) -> str:
    words, lines, line = s.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])
