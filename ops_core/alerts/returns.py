"""A client's ACH return rates approaching or crossing Nacha's thresholds (domain.md §1.2).

The rates come from ``ops_core.disputes.analytics.ach_return_rates`` (debit entries only, RCK
excluded, 60-day lookback, both of Nacha's calculation methods); the limits from
reference/ach_return_thresholds.csv. An ODFI may use either method, so the higher of the two
is judged. alert_rules.csv says how close counts as approaching (a share of the limit).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from ops_core.alerts import findings as fx
from ops_core.alerts.rules import setting_for
from ops_core.disputes import analytics

RATES = ("unauthorized", "administrative", "overall")


def rates_at(cur, times: list[datetime], ctx: fx.Context) -> dict[datetime, pd.DataFrame]:
    """Every client's return rates (all three, both methods) at each time, computed once for
    the three rules. The lookback is the unauthorized rule's (Nacha's is one for all)."""
    s = setting_for("nacha_unauthorized", "ACH", "*", ctx.on)
    lookback = s.lookback_days if s else 60
    return {at: analytics.ach_return_rates(cur, at, lookback) for at in times}


def detect(
    cur, times: list[datetime], ctx: fx.Context, rate: str, table: dict[datetime, pd.DataFrame]
) -> pd.DataFrame:
    s = setting_for(f"nacha_{rate}", "ACH", "*", ctx.on)
    if s is None or not s.enabled:
        return fx.empty()
    codes = _codes(cur, rate)
    frames = [_at(table[at], at, rate, s, codes, ctx) for at in times]
    frames = [fx.normalize(f) for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else fx.empty()


def _at(df: pd.DataFrame, at: datetime, rate: str, s, codes: list[str], ctx) -> pd.DataFrame:
    if df.empty:
        return fx.empty()
    df = df[df.rate == rate]
    portfolio = df[df.method == 1]
    base = portfolio.returns.sum() * 100 / max(int(portfolio.debit_entries.sum()), 1)
    worst = df.sort_values("rate_pct", ascending=False).drop_duplicates("client_id")
    worst = worst[(worst.debit_entries >= s.min_volume) & worst.rate_pct.notna()]
    hit = worst[worst.rate_pct >= worst.threshold_pct * s.threshold]
    if hit.empty:
        return fx.empty()
    crossed = hit.rate_pct > hit.threshold_pct * (s.critical or 1.0)
    out = pd.DataFrame(
        {
            "at": at,
            "rule_id": f"nacha_{rate}",
            "rail_id": "ACH",
            "client_id": hit.client_id,
            "subject": rate,
            "severity": crossed.map({True: "critical", False: "warning"}),
            "value": hit.rate_pct,
            "baseline": base,
            "threshold": hit.threshold_pct,
            "unit": "pct",
            "impact_count": hit.returns,
            "impact_amount_minor": 0,
            "currency": "USD",
            "window_start": at - timedelta(days=s.lookback_days),
        }
    )
    out["title"] = [
        f"{ctx.clients.get(c, c)}: ACH {rate} returns {'over' if x else 'near'} Nacha's limit"
        for c, x in zip(hit.client_id, crossed, strict=True)
    ]
    out["explanation"] = [
        f"{r.client}: {rate} return rate {r.rate_pct:.2f}% ({int(r.returns)} returns of "
        f"{int(r.debit_entries)} ACH debit entries, last {s.lookback_days} days, method "
        f"{int(r.method)}) vs Nacha's {r.threshold_pct:g}% limit; alerting from "
        f"{r.threshold_pct * s.threshold:.2f}% ({s.threshold:.0%} of it). All clients: "
        f"{base:.2f}%."
        for r in hit.itertuples()
    ]
    out["link"] = [
        fx.rail_health_link(
            at - timedelta(days=s.lookback_days),
            at,
            rails=["ACH"],
            clients=[c],
            grain="day",
            payments="1",
            status="returned",
            codes=codes,
        )
        for c in hit.client_id
    ]
    return out.reindex(columns=fx.COLUMNS)


def _codes(cur, rate: str) -> list[str]:
    """The return codes counted in ``rate`` (empty: every code, for the overall rate)."""
    if rate == "overall":
        return []
    rows = cur.execute(
        "SELECT code FROM codes WHERE scheme = 'nacha_return' AND category = ? ORDER BY code",
        [rate],
    ).fetchall()
    return [r[0] for r in rows]
