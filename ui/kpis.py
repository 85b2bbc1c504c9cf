"""Weekly KPIs page parts: cached reads of ops_core.kpis and small render functions.

``partner`` (``ui.access.partner_scope()``): a partner's screen-share view: ops_core computes
the KPIs on that partner's payments and breaks only and leaves the company-wide ones out; the
exports are built from the same report. Links carry ``partner_view`` so a new tab stays in it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import partial
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from ops_core.access import partner_view
from ops_core.kpis import BY_KEY, IsoWeek, Scope, text, weekly_report
from ops_core.kpis.compute import PARTNER_NOTE, Report, rows_behind, week_of_data
from ops_core.kpis.definitions import LOOKBACK_DAYS
from ops_core.kpis.export import file_stem, to_csv, to_xlsx
from ops_core.kpis.weeks import between
from ui import access, data, fmt

DELTA_COLOR = {"up": "normal", "down": "inverse", "neutral": "off"}
BADGE = {"met": "green", "missed": "red"}
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "png": "image/png",
}
TILES_PER_ROW = 4


# --- cached reads --------------------------------------------------------------------------


@st.cache_data(show_spinner=False)
def week_options(data_version_: int, now_: datetime) -> list[str]:
    """ISO week labels from the newest (the one holding the data's now) to the first."""
    first, _ = week_of_data(data.cursor())
    start = datetime.combine(first, time(), tzinfo=UTC) if first else now_
    return [w.label for w in between(start, now_)]


@st.cache_data(show_spinner=False)
def partner_rails(partner: str) -> tuple[str, ...]:
    """The rails a partner carries (the rail filter of its screen-share view)."""
    return partner_view.load(data.cursor(), partner).rails


@st.cache_data(show_spinner="Computing the week's KPIs…")
def report(
    data_version_: int,
    week: str,
    rails: tuple[str, ...],
    now_: datetime,
    partner: str | None = None,
) -> Report:
    scope = Scope(rails=rails, partner=partner)
    return weekly_report(data.cursor(), IsoWeek.parse(week), now_, scope)


@st.cache_data(show_spinner=False)
def rows(
    data_version_: int,
    key: str,
    week: str,
    rails: tuple[str, ...],
    now_: datetime,
    partner: str | None = None,
):
    scope = Scope(rails=rails, partner=partner)
    return rows_behind(data.cursor(), key, IsoWeek.parse(week), now_, scope)


@st.cache_data(show_spinner=False)
def export_file(
    data_version_: int,
    kind: str,
    week: str,
    rails: tuple[str, ...],
    now_: datetime,
    partner: str | None = None,
) -> bytes:
    r = report(data_version_, week, rails, now_, partner)
    if kind == "csv":
        return to_csv(r).encode()
    if kind == "xlsx":
        return to_xlsx(r)
    from ops_core.kpis.summary import render

    pdf, png = render(r)
    return pdf if kind == "pdf" else png


# --- rendering -----------------------------------------------------------------------------


def downloads(version: int, r: Report) -> None:
    """Four buttons; each file is built when its button is clicked (deferred callable)."""
    if not access.can("export"):
        st.caption("Your role cannot download exports.")
        return
    rails = r.scope.rails
    cols = st.columns(4)
    labels = {"csv": "CSV", "xlsx": "Excel (XLSX)", "pdf": "PDF summary", "png": "PNG summary"}
    for col, (kind, label) in zip(cols, labels.items(), strict=True):
        col.download_button(
            label,
            partial(export_file, version, kind, r.week.label, rails, r.as_of, r.scope.partner),
            file_name=f"{file_stem(r)}.{kind}",
            mime=MIME[kind],
            icon=":material/download:",
            width="stretch",
            on_click="ignore",
        )


def tiles(r: Report, summary: pd.DataFrame, section: str) -> None:
    head = summary[(summary.section == section) & (summary.series == "all")]
    head = head[[BY_KEY[k].headline for k in head.kpi]]
    if not head.available.any() and set(head.note) == {PARTNER_NOTE}:
        st.info(
            f"Company-wide figures, not shown in a partner view: {', '.join(head.name)}.",
            icon=":material/visibility_off:",
        )
        return
    if not head.available.any():
        why = "; ".join(sorted({n.removeprefix("not available yet: ") for n in head.note}))
        st.info(
            f"**Not available yet**: {why}. Then these KPIs show here: {', '.join(head.name)}.",
            icon=":material/hourglass_empty:",
        )
        return
    for start in range(0, len(head), TILES_PER_ROW):
        cols = st.columns(TILES_PER_ROW)
        for col, row in zip(
            cols, head.iloc[start : start + TILES_PER_ROW].itertuples(), strict=False
        ):
            with col.container(border=True):
                tile(row)


def tile(row) -> None:
    kpi = BY_KEY[row.kpi]
    if not row.available and row.note == PARTNER_NOTE:
        st.metric(kpi.name, "–", help=kpi.explanation)
        st.badge("Company-wide: not in a partner view", color="gray")
        return
    if not row.available:
        st.metric(kpi.name, "–", help=kpi.explanation)
        st.badge("Not available yet", color="gray")
        st.caption(row.note.removeprefix("not available yet: ").capitalize())
        return
    better = text.better(kpi, row.this_week, row.last_week)
    history = [v for v in row.history if v is not None]
    change = text.change(kpi, row.this_week, row.last_week)
    st.metric(
        kpi.name,
        text.value(kpi, row.this_week, row.currency),
        delta=None if change == "–" else f"{change} vs last week",
        delta_color="off" if better is None else DELTA_COLOR[kpi.direction],
        delta_arrow="off" if change.startswith("±") else "auto",
        help=kpi.explanation,
        chart_data=history if len(history) > 1 else None,
        chart_type="line",
    )
    if row.this_week is None:
        st.caption("No data in this week.")
    if row.target is not None and not pd.isna(row.target):
        label = f"Target {text.target(kpi, row.target)} · {text.STATUS_LABEL[row.status]}"
        st.badge(label, color=BADGE.get(row.status, "gray"))
    else:
        st.badge("No target", color="gray")


def rail_table(r: Report, summary: pd.DataFrame) -> None:
    """Per rail: volume, success, p95 and value with changes, a sparkline, a Rail Health link."""
    rails = summary[(summary.kpi == "volume") & (summary.series != "all")].series
    out = []
    for rail in rails:
        row = {"Rail": r.rail_names.get(rail, rail)}
        for key, label in (
            ("volume", "Payments"),
            ("success_rate", "Success"),
            ("p95_latency", "p95 latency"),
            ("value", "Value"),
        ):
            hit = summary[(summary.kpi == key) & (summary.series == rail)]
            if hit.empty:
                row[label], row[f"{label} Δ"] = "–", ""
                continue
            h = hit.iloc[0]
            row[label] = text.value(key, h.this_week, h.currency)
            row[f"{label} Δ"] = text.change(key, h.this_week, h.last_week)
            if key == "success_rate":
                row["Success, 12 weeks"] = [v for v in h.history if v is not None]
        row["Drill"] = rail_health_url(r.week, [rail])
        out.append(row)
    df = pd.DataFrame(out).drop(columns=["Value Δ"], errors="ignore")
    st.dataframe(
        df,
        hide_index=True,
        width="stretch",
        height=fmt.table_height(df),
        column_config={
            "Success, 12 weeks": st.column_config.LineChartColumn(width="small"),
            "Drill": st.column_config.LinkColumn(
                "Rail Health", display_text="Open ↗", help="The rail's days in Rail Health"
            ),
        },
    )


def age_table(summary: pd.DataFrame) -> None:
    ages = summary[(summary.kpi == "open_breaks") & (summary.series != "all")]
    if ages.empty or not ages.available.all():
        return
    df = pd.DataFrame(
        {
            "Age at the week's end": ages.series_name,
            "Open breaks": [text.value("open_breaks", v) for v in ages.this_week],
            "Change": [
                text.change("open_breaks", a, b)
                for a, b in zip(ages.this_week, ages.last_week, strict=True)
            ],
            "12 weeks": [[v for v in h if v is not None] for h in ages.history],
        }
    )
    st.dataframe(
        df,
        hide_index=True,
        width="stretch",
        height=fmt.table_height(df),
        column_config={"12 weeks": st.column_config.BarChartColumn(width="medium")},
    )


def rail_health_url(week: IsoWeek, rails: list[str]) -> str:
    sunday = week.monday + timedelta(days=6)
    q = {"start": week.monday.isoformat(), "end": sunday.isoformat(), "grain": "day"}
    if rails:
        q = {"rails": ",".join(rails), **q}
    return f"rail-health?{urlencode(q, safe=',')}{access.partner_link()}"


def analytics_url(week: IsoWeek, lookback_days: int = LOOKBACK_DAYS) -> str:
    start = (week.end - timedelta(days=lookback_days)).date()
    end = week.monday + timedelta(days=6)
    return f"disputes-analytics?start={start.isoformat()}&end={end.isoformat()}"


def drill(version: int, r: Report, section: str, now: datetime, tz: str) -> None:
    """The rows behind the section's KPIs for the week, and links to the pages that own them."""
    keys = [k for k in BY_KEY.values() if k.section == section]
    notes = [res.reason for res in r.results if res.kpi in keys]
    if r.scope.partner is not None and notes and set(notes) == {PARTNER_NOTE}:
        return  # company-wide in a partner view: no rows to show
    names = ", ".join(k.name for k in keys)
    with st.expander(f"Rows behind: {names}"):
        seen = []
        for kpi in keys:
            if kpi.rows in seen:
                continue
            seen.append(kpi.rows)
            df = rows(version, kpi.key, r.week.label, r.scope.rails, now, r.scope.partner)
            _rows_table(kpi.rows, df, tz)
        _links(section, r)


ROW_CAPTION = {
    "payments": "Payments created in the week per rail and partner (logical payments).",
    "ach": f"Per client, {LOOKBACK_DAYS} days to the week's end, Nacha method 1.",
    "breaks": "Breaks opened on the week's items, closed in it, due in it, or open at its end.",
    "disputes": "Cases closed in the week (accepted = conceded, not in the win rates).",
    "deadlines": "Our responses due in the week (network deadline) and whether each was missed.",
}


def _rows_table(kind: str, df: pd.DataFrame, tz: str) -> None:
    st.caption(ROW_CAPTION[kind])
    if df.empty:
        st.info("No rows: not available yet, or nothing in this week.")
        return
    show = df.copy()
    for col in [c for c in show.columns if c.endswith("_rate")]:
        show[col] = show[col].map(lambda v: fmt.pct(v, 2))
    for col in [c for c in show.columns if c.endswith("_minor")]:
        show[col] = fmt.money_column(show, compact=False, column=col)
    for col in [c for c in show.columns if isinstance(show[c].dtype, pd.DatetimeTZDtype)]:
        show[col] = show[col].map(lambda t: "" if pd.isna(t) else fmt.local(t, tz))
    for col in [c for c in show.columns if str(show[c].dtype).startswith("datetime64")]:
        show[col] = show[col].dt.date  # DATE columns (item, deadline days): no time of day
    config = {}
    for key, page, label in (
        ("case_id", "dispute?case", "Case"),
        ("break_id", "break?break", "Break"),
    ):
        if key in show:
            tail = access.partner_link()  # a new tab stays in the partner view
            show.insert(0, label, [f"{page}={v}{tail}" for v in show[key]])
            config[label] = st.column_config.LinkColumn(label, display_text=r"=(\d+)$")
            show = show.drop(columns=key)
    show.columns = [c.removesuffix("_minor").replace("_", " ") for c in show.columns]
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        height=fmt.table_height(show, 320),
        column_config=config,
    )


def _links(section: str, r: Report) -> None:
    if section == "Payments":
        st.markdown(
            f"[Open these days in Rail Health ↗]({rail_health_url(r.week, list(r.scope.rails))})"
        )
        st.caption("Rail Health shows days in your time zone; the KPIs use UTC weeks.")
    elif r.scope.partner is not None and section != "Reconciliation":
        return  # company-wide sections in a partner view: nothing to link to
    elif section == "ACH returns":
        st.markdown(
            f"[Return rates by client and method in Dispute analytics ↗]({analytics_url(r.week)})"
        )
    elif section == "Reconciliation":
        q = {
            "start": r.week.monday.isoformat(),
            "end": (r.week.monday + timedelta(days=6)).isoformat(),
        }
        if r.scope.rails:
            q["rails"] = ",".join(r.scope.rails)
        tail = access.partner_link()
        st.markdown(
            f"[Open the week in Reconciliation ↗](reconciliation?{urlencode(q, safe=',')}{tail})"
            f" · [Break queue ↗](breaks?{tail.lstrip('&')})"
        )
    elif section == "Disputes":
        st.markdown("[Open the Dispute calendar ↗](disputes-calendar)")
