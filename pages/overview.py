"""Overview: the morning screen. One tile per rail for a day against its baseline."""

from datetime import timedelta

import streamlit as st

from ui import chrome, data, fmt, urlstate

chrome.ensure_routed()
tz = chrome.timezone()
now = data.now()
today = fmt.pd_local_date(now, tz)
day = urlstate.get_date("day", today)

st.title("Overview")
left, right = st.columns([1, 3])
day = left.date_input("Day", value=day, max_value=today, format="YYYY-MM-DD")
urlstate.put(day=day.isoformat() if day != today else "")
right.caption(
    f"Each rail's figures for {day:%A %d %b %Y} ({tz}) up to "
    f"{fmt.local(now, tz, '%H:%M')} if today, against its baseline: volume vs the same weekday "
    "and hours over the last 4 weeks; success rate and p95 latency vs the previous 7 days."
)

version = data.version()
tiles = data.tiles(version, day, tz, now)
stuck = data.stuck(version, now)

st.subheader("Needs attention first")
attention = tiles[tiles.rag.isin(["red", "amber"])]
if attention.empty and stuck.empty:
    st.success("Nothing needs attention: every rail is within its thresholds.")
for row in attention.itertuples():
    color = fmt.RAG_COLOR[row.rag]
    st.markdown(
        f":{color}-badge[{fmt.RAG_LABEL[row.rag]}] **{row.name}** — " + "; ".join(row.reasons)
    )
if not stuck.empty:
    groups = stuck.groupby(["rail_id", "partner", "client", "currency"], as_index=False).agg(
        payments=("payment_id", "count"),
        amount_minor=("amount_minor", "sum"),
        oldest=("created_at", "min"),
    )
    st.markdown("**Stuck payments** (pending longer than their rail allows)")
    st.dataframe(
        groups.assign(
            amount=fmt.money_column(groups, compact=False),
            oldest=[fmt.local(t, tz) for t in groups.oldest],
        )[["rail_id", "partner", "client", "payments", "amount", "oldest"]],
        hide_index=True,
        width="stretch",
    )

st.subheader("Rails")
cols = st.columns(3)
for i, row in enumerate(tiles.itertuples()):
    with cols[i % 3].container(border=True):
        st.markdown(f"#### {row.name}  :{fmt.RAG_COLOR[row.rag]}-badge[{fmt.RAG_LABEL[row.rag]}]")
        a, b, c = st.columns(3)
        a.metric(
            "Volume",
            f"{row.payments:,}",
            fmt.change(row.payments, row.baseline_payments),
            help=f"Usual for this weekday and hours: {row.baseline_payments or 0:,.0f}",
        )
        sr_delta = (
            None
            if fmt.missing(row.success_rate) or fmt.missing(row.baseline_success_rate)
            else f"{(row.success_rate - row.baseline_success_rate) * 100:+.1f} pp"
        )
        b.metric(
            "Success",
            fmt.pct(row.success_rate),
            sr_delta,
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
        start = (day - timedelta(days=6)).isoformat()
        st.page_link(
            "pages/rail_health.py",
            label="Open in Rail Health",
            icon=":material/arrow_forward:",
            query_params={"rails": row.rail_id, "start": start, "end": day.isoformat()},
        )
