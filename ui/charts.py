"""Plotly figures for the pages. Anomalies are drawn as red markers on the series."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

ANOMALY = dict(color="#d62728", size=11, symbol="x")
LAYOUT = dict(
    height=320,
    margin=dict(l=10, r=10, t=40, b=10),
    hovermode="x unified",
    legend=dict(orientation="h", y=1.12, x=0),
)
MIN_RATE_VOLUME = 20  # below this many decided payments a bucket's success rate is noise


def volume_success(s: pd.DataFrame) -> go.Figure:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(x=s.bucket, y=s.payments, name="payments", marker_color="#9db4d3", opacity=0.7)
    decided = s.payments - s.pending
    fig.add_scatter(
        x=s.bucket,
        y=(s.success_rate * 100).where(decided >= MIN_RATE_VOLUME),
        name=f"success rate % (buckets with {MIN_RATE_VOLUME}+ payments)",
        line=dict(color="#1f77b4"),
        secondary_y=True,
    )
    bad = s[s.success_anomaly]
    fig.add_scatter(
        x=bad.bucket,
        y=bad.success_rate * 100,
        mode="markers",
        marker=ANOMALY,
        name="success anomaly",
        secondary_y=True,
    )
    fig.update_yaxes(title_text="payments", secondary_y=False)
    fig.update_yaxes(title_text="success %", secondary_y=True, rangemode="normal")
    fig.update_layout(title="Volume and success rate", **LAYOUT)
    return fig


def latency(lat: pd.DataFrame) -> go.Figure:
    """One rail: p50/p95/p99. Several rails: p95 per rail. Log scale, seconds or hours."""
    fig = go.Figure()
    hours = lat.p99_ms.max() > 2 * 3_600_000  # ACH settles in hours, instant rails in seconds
    div, unit = (3_600_000, "hours") if hours else (1000, "seconds")
    if lat.rail_id.nunique() == 1:
        for col, dash in (("p50_ms", "dot"), ("p95_ms", "solid"), ("p99_ms", "dash")):
            fig.add_scatter(x=lat.bucket, y=lat[col] / div, name=col[:3], line=dict(dash=dash))
    else:
        for rail, g in lat.groupby("rail_id"):
            fig.add_scatter(x=g.bucket, y=g.p95_ms / div, name=f"{rail} p95")
    bad = lat[lat.latency_anomaly]
    fig.add_scatter(
        x=bad.bucket,
        y=bad.p95_ms / div,
        mode="markers",
        marker=ANOMALY,
        name="latency anomaly",
        text=bad.rail_id,
    )
    fig.update_yaxes(type="log", title_text=f"{unit} (log scale)", dtick="D2")
    fig.update_layout(title="Latency percentiles", **LAYOUT)
    return fig
