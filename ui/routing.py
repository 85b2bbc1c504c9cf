"""Routing page: cached reads over ops_core.routing, and the sections that render them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ops_core import routing
from ops_core.routing import Policy, RouteFilters, WhatIf
from ops_core.routing.stats import per_thousand_usd
from ui import data, fmt

# Latency bars offered on the page: URL value -> (label, seconds or None).
P95_BARS: dict[str, tuple[str, float | None]] = {
    "none": ("No latency bar", None),
    "1m": ("p95 within 1 minute", 60),
    "30m": ("p95 within 30 minutes", 1800),
    "4h": ("p95 within 4 hours", 4 * 3600),
    "1d": ("p95 within 1 day", 86400),
    "3d": ("p95 within 3 days", 3 * 86400),
}
SUCCESS_BARS: dict[str, str] = {
    "0": "No success bar",
    "95": "Success at least 95%",
    "97": "Success at least 97%",
    "98": "Success at least 98%",
    "98.5": "Success at least 98.5%",
    "99": "Success at least 99%",
}
METRICS: dict[str, str] = {
    "success": "Success rate",
    "p95": "p95 latency",
    "cost": "Cost per $1,000 moved",
    "payments": "Payments",
}
LAYOUT = dict(
    height=340,
    margin=dict(l=10, r=10, t=40, b=10),
    hovermode="x unified",
    legend=dict(orientation="h", y=-0.18, x=0),
)


# ---------------------------------------------------------------- cached reads


@st.cache_data(show_spinner=False)
def built(data_version_: int) -> bool:
    return routing.is_built(data.cursor())


@st.cache_data(show_spinner=False)
def options(data_version_: int, partner: str | None = None) -> dict[str, dict[str, str]]:
    return routing.options(data.cursor(), partner)


@st.cache_data(show_spinner=False)
def route_table(data_version_: int, f: RouteFilters) -> pd.DataFrame:
    return routing.route_table(data.cursor(), f)


@st.cache_data(show_spinner=False)
def route_series(data_version_: int, f: RouteFilters, grain: str) -> pd.DataFrame:
    return routing.route_series(data.cursor(), f, grain)


@st.cache_data(show_spinner="Simulating the policy over the period's payments…")
def simulate(data_version_: int, start: datetime, end: datetime, policy: Policy) -> WhatIf:
    return routing.simulate(data.cursor(), start, end, policy)


# ---------------------------------------------------------------- formatting


def usd(minor: object, places: int = 2) -> str:
    """USD cents (exact Decimal or int) as dollars: usd(Decimal('12.35'), 4) == '$0.1235'."""
    if minor is None or (not isinstance(minor, Decimal) and pd.isna(minor)):
        return "–"
    value = Decimal(minor) / 100
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.{places}f}"


def usd_compact(minor: object) -> str:
    if minor is None or (not isinstance(minor, Decimal) and pd.isna(minor)):
        return "–"
    return fmt.money(int(Decimal(minor).to_integral_value()), "USD", compact=True)


def signed_usd(minor: object, places: int = 2) -> str:
    text = usd(minor, places)
    return text if text.startswith(("-", "–")) else "+" + text


def signed_duration(seconds: float) -> str:
    sign = "-" if seconds < 0 else "+"
    return sign + fmt.duration(abs(seconds) * 1000)


def as_float(values) -> list[float | None]:
    """Decimals to floats for plotting only (never for arithmetic on money)."""
    return [None if v is None or pd.isna(v) else float(v) for v in values]


# ---------------------------------------------------------------- sections


def tiles(h: dict) -> None:
    cols = st.columns(5)
    cols[0].metric("Payments", f"{h['payments']:,}", help="Logical payments: retries count once")
    cols[1].metric("Success rate", fmt.pct(h["success_rate"], 2))
    cols[2].metric("Retried", f"{h['retried']:,}", help="Extra attempts after a first failure")
    cols[3].metric(
        "Moved (USD)", usd_compact(h["moved_usd_minor"]), help="Value sent, at reference rates"
    )
    cols[4].metric(
        "Cost per $1,000 moved",
        usd(h["cost_per_1000_usd_minor"]),
        help=f"Fees over the period: {usd(h['cost_usd_minor'])} in total",
    )


def routes(table: pd.DataFrame) -> None:
    if table.empty:
        st.info("No payments match these filters in this period.")
        return
    show = pd.DataFrame(
        {
            "route": table.rail_id + " · " + table.partner_id,
            "service": table.service,
            "direction": table.direction,
            "corridor": table.corridor,
            "band": table.band,
            "payments": table.payments,
            "success %": (table.success_rate * 100).round(2),
            "retries %": (table.retry_rate * 100).round(2),
            "p50": table.p50_ms.map(fmt.duration),
            "p95": table.p95_ms.map(fmt.duration),
            "cost / payment": [usd(v, 4) for v in table.cost_per_payment_usd_minor],
            "cost / $1,000": [usd(v) for v in table.cost_per_1000_usd_minor],
            "volume": [usd_compact(v) for v in table.amount_usd_minor],
        }
    )
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(show), 460),
        column_config={
            "success %": st.column_config.NumberColumn(format="%.2f%%"),
            "retries %": st.column_config.NumberColumn(format="%.2f%%"),
        },
    )
    st.caption(
        "One row per route (rail · partner · service), direction, corridor (funding → payout "
        "currency) and amount band. Success counts a payment once, by its final attempt; "
        "pending payments are left out. Latency is end to end for completed payments, per "
        "route and band. Costs come from the fee schedule (illustrative demo values) in USD at "
        "reference rates; days are UTC."
    )


def series_chart(s: pd.DataFrame, metric: str) -> None:
    if s.empty:
        return
    fig = go.Figure()
    for route, g in s.groupby("route"):
        if metric == "success":
            y = g.success_rate * 100
        elif metric == "p95":
            y = g.p95_ms / 1000
        elif metric == "cost":
            y = [None if v is None else v / 100 for v in as_float(g.cost_per_1000_usd_minor)]
        else:
            y = g.payments
        fig.add_scatter(x=g.bucket, y=y, name=route, mode="lines+markers", marker=dict(size=4))
    titles = {
        "success": "success %",
        "p95": "seconds (log scale)",
        "cost": "USD per $1,000 moved",
        "payments": "payments",
    }
    fig.update_yaxes(title_text=titles[metric], type="log" if metric == "p95" else "linear")
    fig.update_layout(title=f"{METRICS[metric]} per route", **LAYOUT)
    st.plotly_chart(fig, width="stretch")


def whatif(w: WhatIf) -> None:
    t = w.totals
    if not t["payments"]:
        st.info("No payments in this period.")
        return
    saving = t["actual_cost_usd_minor"] - t["chosen_cost_usd_minor"]
    cols = st.columns(5)
    cols[0].metric("Payments simulated", f"{t['payments']:,}")
    cols[1].metric(
        "Would change route",
        f"{t['moved']:,}",
        fmt.pct(t["moved"] / t["payments"]) + " of payments",
        delta_color="off",
    )
    cols[2].metric(
        "Expected fees",
        usd_compact(t["chosen_cost_usd_minor"]),
        signed_usd(-saving),
        delta_color="inverse",
        help=f"Against {usd(t['actual_cost_usd_minor'])} on the routes actually used",
    )
    gap = (t["chosen_success"] - t["actual_success"]) * 100
    cols[3].metric("Expected success", fmt.pct(t["chosen_success"], 2), f"{gap:+.2f} pp")
    cols[4].metric(
        "Mean expected time",
        fmt.duration(t["chosen_seconds_mean"] * 1000),
        signed_duration(t["chosen_seconds_mean"] - t["actual_seconds_mean"]),
        delta_color="inverse",
        help="Time to funds: the wait to settlement on banking-day routes, the route's p50 "
        "latency on 24x7 routes",
    )
    if t["kept"]:
        st.caption(
            f"{t['kept']:,} payments had no route meeting every constraint and bar; they keep "
            "their actual route."
        )
    left, right = st.columns([3, 1])
    with left:
        moves_table(w.moves)
    with right:
        fees_chart(w.moves)
    with st.expander("Constraints applied (candidate routes ruled out)"):
        blocked(w.blocked)


def moves_table(moves: pd.DataFrame) -> None:
    changed = moves[
        (moves.rail_id != moves.chosen_rail)
        | (moves.partner_id != moves.chosen_partner)
        | (moves.service != moves.chosen_service)
    ]
    if changed.empty:
        st.success("The policy keeps every payment on the route it took.")
        return
    keys = ["rail_id", "partner_id", "service", "chosen_rail", "chosen_partner", "chosen_service"]
    rows = []
    for key, g in changed.groupby(keys, sort=False):
        n = int(g.payments.sum())
        actual, chosen = sum(g.actual_cost_usd_minor), sum(g.chosen_cost_usd_minor)
        gap = (g.chosen_success_sum.sum() - g.actual_success_sum.sum()) / n * 100
        rows.append(
            {
                "from": f"{key[0]} · {key[1]} · {key[2]}",
                "to": f"{key[3]} · {key[4]} · {key[5]}",
                "payments": n,
                "fee change": signed_usd(chosen - actual),
                "success change": f"{gap:+.2f} pp",
                "time (median)": f"{fmt.duration(g.actual_seconds_p50.median() * 1000)} → "
                f"{fmt.duration(g.chosen_seconds_p50.median() * 1000)}",
            }
        )
    st.dataframe(
        pd.DataFrame(rows).sort_values("payments", ascending=False),
        hide_index=True,
        width="stretch",
        column_config={
            "payments": st.column_config.NumberColumn(width="small"),
            "fee change": st.column_config.TextColumn(width="small"),
            "success change": st.column_config.TextColumn("success", width="small"),
            "time (median)": st.column_config.TextColumn("median time", width="small"),
        },
    )


def fees_chart(moves: pd.DataFrame) -> None:
    """Fees per $1,000 moved by urgency: the routes used against the policy's."""
    rows = []
    for urgency, g in moves.groupby("urgency", sort=False):
        amount = sum(g.amount_usd_minor)
        for label, column in (
            ("actual", "actual_cost_usd_minor"),
            ("policy", "chosen_cost_usd_minor"),
        ):
            cents = per_thousand_usd(sum(g[column]), amount)
            rows.append((urgency, label, None if cents is None else float(cents) / 100))
    df = pd.DataFrame(rows, columns=["urgency", "routes", "usd"])
    fig = go.Figure()
    for label, color in (("actual", "#9db4d3"), ("policy", "#1f77b4")):
        part = df[df.routes == label]
        fig.add_bar(x=part.urgency, y=part.usd, name=label, marker_color=color)
    fig.update_yaxes(title_text="USD per $1,000 moved")
    fig.update_layout(title="Fees per $1,000 by urgency", barmode="group", **LAYOUT)
    st.plotly_chart(fig, width="stretch")


def blocked(df: pd.DataFrame) -> None:
    if df.empty:
        st.write("No candidate route was ruled out.")
        return
    show = df.assign(route=df.cand_rail + " · " + df.cand_partner + " · " + df.cand_service)
    st.dataframe(
        show[["route", "blocked_by", "candidates"]].rename(
            columns={"blocked_by": "ruled out by", "candidates": "payments"}
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "direction: RTP and FedNow are credit push only · amount_limit: partner or network "
        "limit · urgency: slower than the payment needed · cut_off: the next window settles too "
        "late (banking days, Same Day ACH windows) · success_bar / latency_bar: below the bars."
    )


def recommendations(w: WhatIf, policy_label: str, start: date, end: date) -> None:
    recs = w.recommendations
    if recs.empty:
        st.info("No payments in this period to recommend routes for.")
        return
    # Changes first, biggest saving first; the CSV keeps the profile order.
    recs = recs.sort_values(
        ["changes_route", "saving_usd_minor", "payments"], ascending=[False, False, False]
    )
    intervals = [
        "–" if pd.isna(lo) else f"{lo * 100:.1f}–{hi * 100:.1f}%"
        for lo, hi in zip(recs.success_low, recs.success_high, strict=True)
    ]
    show = pd.DataFrame(
        {
            "profile": recs.instrument + " · " + recs.direction + " · " + recs.currency,
            "band": recs.band,
            "urgency": recs.urgency,
            "today": recs.current,
            "recommended route": recs.route,
            "fee change": [signed_usd(-v) for v in recs.saving_usd_minor],
            "payments": recs.payments,
            "cost / payment": [usd(v, 4) for v in recs.cost_per_payment_usd_minor],
            "success (95% CI)": intervals,
            "sample": recs.evidence_sample,
            "confidence": recs.confidence,
            "p95": recs.p95_ms.map(fmt.duration),
            "applies to": (recs.applies_share * 100).round(1),
            "fallback": recs.fallback,
        }
    )
    if not show.fallback.astype(bool).any():
        show = show.drop(columns="fallback")
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(show), 560),
        column_config={"applies to": st.column_config.NumberColumn(format="%.1f%%")},
    )
    st.caption(
        f"Policy: {policy_label}. A profile is instrument · direction · currency, amount band "
        "and urgency (the service the payment's route delivered). The recommended route is "
        "the one the policy picks most often for the profile; the fallback takes the rest "
        "(after a cut-off, over a limit). Evidence: decided payments of the route and band in "
        "the statistics window, with a 95% Wilson interval."
    )
    st.download_button(
        "Download recommendations (CSV)",
        routing.to_csv(w.recommendations),
        file_name=f"routing_recommendations_{w.policy.kind}_{start}_{end}.csv",
        mime="text/csv",
    )
