"""Rail Health page sections: small render functions over DataFrames from ops_core."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import fmt


def headline(series: pd.DataFrame, latency: pd.DataFrame) -> None:
    payments = int(series.payments.sum())
    decided = int((series.payments - series.pending).sum())
    cols = st.columns(5)
    cols[0].metric("Payments", f"{payments:,}")
    cols[1].metric("Success rate", fmt.pct(series.succeeded.sum() / decided if decided else None))
    cols[2].metric("Failed", f"{int(series.failed.sum()):,}")
    cols[3].metric("Returned", f"{int(series.returned.sum()):,}")
    flagged = int(series.success_anomaly.sum()) + int(latency.latency_anomaly.sum())
    cols[4].metric("Anomalies", f"{flagged:,}", help="Buckets marked with a red x on the charts")


def anomaly_table(series: pd.DataFrame, latency: pd.DataFrame, tz: str) -> None:
    rows = [
        {
            "when": r.bucket,
            "rail": "selected rails",
            "what": "success rate",
            "value": fmt.pct(r.success_rate),
            "baseline": fmt.pct(r.baseline_success_rate),
            "payments": int(r.payments),
        }
        for r in series[series.success_anomaly].itertuples()
    ] + [
        {
            "when": r.bucket,
            "rail": r.rail_id,
            "what": "p95 latency",
            "value": fmt.duration(r.p95_ms),
            "baseline": fmt.duration(r.baseline_p95_ms),
            "payments": int(r.attempts),
        }
        for r in latency[latency.latency_anomaly].itertuples()
    ]
    if not rows:
        return
    with st.expander(f"Anomalies ({len(rows)})", expanded=len(rows) <= 12):
        df = pd.DataFrame(rows).sort_values("when", ascending=False)
        st.dataframe(df.rename(columns={"when": f"when ({tz})"}), hide_index=True, width="stretch")


def codes(df: pd.DataFrame) -> None:
    st.subheader("Failure and return codes")
    if df.empty:
        st.info("No failures or returns in this view.")
        return
    show = df.assign(share=df.share.map(fmt.pct))[
        ["rail_id", "code", "title", "category", "n", "share"]
    ].rename(columns={"n": "count", "title": "meaning", "rail_id": "rail"})
    st.dataframe(show, hide_index=True, width="stretch", height=fmt.table_height(show, 360))


def breakdowns(by_partner: pd.DataFrame, by_client: pd.DataFrame) -> None:
    st.subheader("By partner and client")
    tab_p, tab_c = st.tabs(["Partners", "Clients"])
    for tab, df, name in ((tab_p, by_partner, "partner"), (tab_c, by_client, "client")):
        with tab:
            show = df.assign(
                success=df.success_rate.map(fmt.pct),
                value=fmt.money_column(df),
            )[[name, "currency", "payments", "success", "failed", "returned", "value"]]
            st.dataframe(show, hide_index=True, width="stretch", height=fmt.table_height(show, 320))


def payments(df: pd.DataFrame, tz: str) -> None:
    if df.empty:
        st.info("No payments match.")
        return
    st.caption(f"Newest {len(df):,} matching attempts (at most 500). Times in {tz}.")
    show = df.assign(
        created=[fmt.local(t, tz, "%Y-%m-%d %H:%M:%S") for t in df.created_at],
        amount=fmt.money_column(df, compact=False),
        latency=df.latency_ms.map(fmt.duration),
    )[
        [
            "payment_id",
            "attempt_no",
            "created",
            "rail_id",
            "partner_id",
            "client_id",
            "txn_type",
            "amount",
            "status",
            "code",
            "latency",
            "reference",
            "counterparty_name",
        ]
    ]
    st.dataframe(show, hide_index=True, width="stretch")
