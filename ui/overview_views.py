"""Overview page sections: what needs attention, and one tile per rail."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from ui import fmt


def attention(tiles: pd.DataFrame, stuck: pd.DataFrame, tz: str) -> None:
    st.subheader("Needs attention first")
    flagged = tiles[tiles.rag.isin(["red", "amber"])]
    if flagged.empty and stuck.empty:
        st.success("Nothing needs attention: every rail is within its thresholds.")
    for row in flagged.itertuples():
        badge = f":{fmt.RAG_COLOR[row.rag]}-badge[{fmt.RAG_LABEL[row.rag]}]"
        st.markdown(f"{badge} **{row.name}** — " + "; ".join(row.reasons))
    if stuck.empty:
        return
    groups = stuck.groupby(["rail_id", "partner", "client", "currency"], as_index=False).agg(
        payments=("payment_id", "count"),
        amount_minor=("amount_minor", "sum"),
        oldest=("created_at", "min"),
    )
    st.markdown("**Stuck payments** (pending longer than their rail allows)")
    show = groups.assign(
        amount=fmt.money_column(groups, compact=False),
        oldest=[fmt.local(t, tz) for t in groups.oldest],
    )[["rail_id", "partner", "client", "payments", "amount", "oldest"]]
    st.dataframe(
        show.rename(columns={"rail_id": "rail", "oldest": f"oldest ({tz})"}),
        hide_index=True,
        width="stretch",
    )


def rail_tiles(tiles: pd.DataFrame, day: date, min_volume: float) -> None:
    st.subheader("Rails")
    cols = st.columns(3)
    for i, row in enumerate(tiles.itertuples()):
        with cols[i % 3].container(border=True):
            tile(row, day, min_volume)


def tile(row, day: date, min_volume: float) -> None:
    badge = f":{fmt.RAG_COLOR[row.rag]}-badge[{fmt.RAG_LABEL[row.rag]}]"
    st.markdown(f"#### {row.name}  {badge}")
    a, b, c = st.columns(3)
    usual = row.baseline_payments if row.baseline_payments >= min_volume else None
    a.metric(
        "Volume",
        f"{row.payments:,}",
        fmt.change(row.payments, usual),
        help=f"Usual for this weekday and hours: {row.baseline_payments or 0:,.0f}",
    )
    known = not (fmt.missing(row.success_rate) or fmt.missing(row.baseline_success_rate))
    delta = f"{(row.success_rate - row.baseline_success_rate) * 100:+.1f} pp" if known else None
    b.metric(
        "Success",
        fmt.pct(row.success_rate),
        delta,
        help=f"7-day baseline: {fmt.pct(row.baseline_success_rate)}",
    )
    c.metric(
        "p95 latency",
        fmt.duration(row.p95_ms),
        fmt.change(row.p95_ms, row.baseline_p95_ms),
        delta_color="inverse",
        help=f"7-day baseline: {fmt.duration(row.baseline_p95_ms)}",
    )
    top = (
        "no failures"
        if fmt.missing(row.top_code)
        else f"`{row.top_code}` {row.top_code_title} ({row.top_code_n:,.0f})"
    )
    st.caption(f"Top failure code: {top}")
    st.caption(" · ".join(row.reasons) if row.reasons else "Within thresholds.")
    st.page_link(
        "pages/rail_health.py",
        label="Open in Rail Health",
        icon=":material/arrow_forward:",
        query_params={
            "rails": row.rail_id,
            "start": (day - timedelta(days=6)).isoformat(),
            "end": day.isoformat(),
        },
    )
