"""Dispute analytics: dispute and win rates, card dispute ratios, Nacha return rates against
their thresholds (both calculation methods, domain.md §1.2) and the patterns that point
upstream (one client, one reason, one onboarding cohort).

Rates are ratios of counts, shown as percentages; money stays in integer minor units.

``partner`` (partner screen-share mode, issue 8): every figure on that partner's payments and
the cases on them only (filtered in the SQL), clients shown by their pseudonyms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pandas as pd

from ops_core import sql
from ops_core.access import masking
from ops_core.reference.csvload import REFERENCE_DIR, read_rows

THRESHOLDS_CSV = REFERENCE_DIR / "ach_return_thresholds.csv"
RATES = ("unauthorized", "administrative", "overall")
METHODS = {
    1: "returns received in the window ÷ debit entries originated in it",
    2: "returns of the entries originated in the window ÷ those entries",
}
# A slice "stands out" when its dispute rate is at least LIFT times the portfolio's and it
# holds at least MIN_DISPUTES cases; a reason is "one client's" when that client holds at
# least CONCENTRATION of its cases.
LIFT = 2.0
MIN_DISPUTES = 5
CONCENTRATION = 0.5
# ach_return_rates' columns (also when no client has ACH debits, e.g. a card network's view)
RATE_COLUMNS = [
    "client_id",
    "client",
    "method",
    "rate",
    "returns",
    "debit_entries",
    "rate_pct",
    "threshold_pct",
    "breach",
]


@dataclass(frozen=True)
class Threshold:
    rate: str
    category: str
    threshold_pct: Decimal
    effective_from: date
    source: str


@dataclass(frozen=True)
class Finding:
    kind: str  # client, cohort, reason, nacha
    subject: str
    message: str


def thresholds(on: date | None = None) -> dict[str, Threshold]:
    """The Nacha return-rate thresholds in force on ``on`` (the newest row per rate)."""
    chosen: dict[str, Threshold] = {}
    for row in read_rows(
        THRESHOLDS_CSV, ("rate", "category", "threshold_pct", "effective_from", "source")
    ):
        t = Threshold(
            row.required("rate"),
            row.required("category"),
            Decimal(row.required("threshold_pct")),
            row.iso_date("effective_from"),
            row.required("source"),
        )
        if (on is None or t.effective_from <= on) and (
            t.rate not in chosen or t.effective_from > chosen[t.rate].effective_from
        ):
            chosen[t.rate] = t
    return chosen


def ach_return_rates(
    cur: duckdb.DuckDBPyConnection,
    end: datetime,
    lookback_days: int = 60,
    partner: str | None = None,
) -> pd.DataFrame:
    """One row per (client, method, rate): returns, debit entries, rate %, threshold, breach."""
    start = end - timedelta(days=lookback_days)
    counts = sql.query(cur, "disputes/ach_return_rates", start=start, end=end, partner=partner)
    limits = thresholds(end.date())
    names = client_names(cur, partner)
    rows = []
    for r in counts.itertuples():
        for method in METHODS:
            for rate in RATES:
                returns = int(getattr(r, f"m{method}_{rate}"))
                entries = int(r.debit_entries)
                pct = Decimal(returns * 100) / entries if entries else None
                limit = limits[rate].threshold_pct
                rows.append(
                    {
                        "client_id": r.client_id,
                        "client": names.get(r.client_id, r.client_id),
                        "method": method,
                        "rate": rate,
                        "returns": returns,
                        "debit_entries": entries,
                        "rate_pct": None if pct is None else float(round(pct, 3)),
                        "threshold_pct": float(limit),
                        "breach": pct is not None and pct > limit,
                    }
                )
    return _masked(cur, pd.DataFrame(rows, columns=RATE_COLUMNS), partner)


def dispute_rates(
    cur: duckdb.DuckDBPyConnection, start: datetime, end: datetime, partner: str | None = None
) -> pd.DataFrame:
    """Dispute rate, win rate and lift per (dimension, value) over [start, end).

    win rate = won / (won + lost + expired): the cases we fought or should have fought;
    accepted cases were conceded on purpose. lift = this slice's dispute rate over the
    portfolio's. ``stands_out`` marks slices with lift >= LIFT and >= MIN_DISPUTES cases.
    """
    df = sql.query(cur, "disputes/rates_by_dimension", start=start, end=end, partner=partner)
    if partner is not None:  # the client slices are named by pseudonym
        alias = client_names(cur, partner)
        is_client = df.dimension == "client"
        df.loc[is_client, "value"] = df.loc[is_client, "value"].map(lambda c: alias.get(c, c))
    totals = df[df.dimension == "network"]
    overall = totals.disputes.sum() / totals.payments.sum() if totals.payments.sum() else 0.0
    decided = df.won + df.lost + df.expired
    df = df.assign(
        dispute_rate=(df.disputes / df.payments).where(df.payments > 0),
        win_rate=(df.won / decided).where(decided > 0),
        share=df.disputes / max(int(totals.disputes.sum()), 1),
    )
    df["lift"] = df.dispute_rate / overall if overall else None
    out = (df.lift >= LIFT) & (df.disputes >= MIN_DISPUTES)
    df["stands_out"] = out.fillna(False).astype(bool)
    return df


def card_ratios(
    cur: duckdb.DuckDBPyConnection, end: datetime, days: int = 30, partner: str | None = None
) -> pd.DataFrame:
    """Per-client card dispute ratios over the last ``days`` days (disputes / card payments)."""
    span = {"start": end - timedelta(days=days), "end": end, "partner": partner}
    df = sql.query(cur, "disputes/card_dispute_ratios", **span)
    names = client_names(cur, partner)
    df = df.assign(
        client=df.client_id.map(lambda c: names.get(c, c)),
        ratio=(df.disputes / df.payments).where(df.payments > 0),
        pull_ratio=(df.pull_disputes / df.pulls).where(df.pulls > 0),
        push_ratio=(df.push_disputes / df.pushes).where(df.pushes > 0),
    )
    return _masked(cur, df, partner)


def reason_concentration(
    cur: duckdb.DuckDBPyConnection, start: datetime, end: datetime, partner: str | None = None
) -> pd.DataFrame:
    """Per (network, reason): cases, the client with most of them and that client's share."""
    df = cur.execute(
        "SELECT network, reason_code, client_id, count(*) AS n FROM dispute_cases"
        " WHERE opened_at >= $start AND opened_at < $end AND (CAST($partner AS VARCHAR) IS NULL"
        " OR payment_id IN (SELECT payment_id FROM payments"
        " WHERE partner_id = CAST($partner AS VARCHAR))) GROUP BY ALL",
        {"start": start, "end": end, "partner": partner},
    ).df()
    if df.empty:
        return pd.DataFrame(
            columns=["network", "reason_code", "cases", "top_client", "top_cases", "top_share"]
        )
    totals = df.groupby(["network", "reason_code"], as_index=False).n.sum()
    top = df.sort_values(["n", "client_id"], ascending=[False, True]).drop_duplicates(
        ["network", "reason_code"]
    )
    out = totals.merge(top, on=["network", "reason_code"], suffixes=("", "_top"))
    out = out.rename(columns={"n": "cases", "client_id": "top_client", "n_top": "top_cases"})
    out["top_share"] = out.top_cases / out.cases
    return _masked(cur, out.sort_values("cases", ascending=False).reset_index(drop=True), partner)


def upstream_patterns(
    rates: pd.DataFrame,
    concentration: pd.DataFrame,
    returns: pd.DataFrame,
    names: dict[str, str],
) -> list[Finding]:
    """The slices to take upstream (to the client, onboarding or the product), worst first."""
    found: list[Finding] = []
    for r in returns[returns.breach].itertuples():
        found.append(
            Finding(
                "nacha",
                r.client_id,
                f"{r.client}: ACH {r.rate} return rate {r.rate_pct:.2f}% (method {r.method})"
                f" is over Nacha's {r.threshold_pct:g}% threshold",
            )
        )
    for r in rates[rates.stands_out].sort_values("lift", ascending=False).itertuples():
        if r.dimension not in ("client", "cohort"):
            continue
        label = (
            names.get(r.value, r.value)
            if r.dimension == "client"
            else f"clients onboarded {r.value}"
        )
        found.append(
            Finding(
                r.dimension,
                r.value,
                f"{label}: {r.disputes} disputes, {r.dispute_rate:.2%} of payments,"
                f" {r.lift:.1f}× the portfolio rate",
            )
        )
    hot = concentration[
        (concentration.cases >= MIN_DISPUTES) & (concentration.top_share >= CONCENTRATION)
    ]
    for (network, client), g in hot.groupby(["network", "top_client"], sort=False):
        parts = ", ".join(
            f"{r.reason_code} {r.top_cases} of {r.cases} ({r.top_share:.0%})"
            for r in g.itertuples()
        )
        found.append(
            Finding(
                "reason",
                f"{network}:{client}",
                f"{names.get(client, client)} holds most {network} cases of {parts}",
            )
        )
    return found


def _client_names(cur: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(cur.execute("SELECT client_id, name FROM clients").fetchall())


def _masked(cur: duckdb.DuckDBPyConnection, df: pd.DataFrame, partner: str | None):
    """Client ids and names as pseudonyms in a partner's view (unchanged otherwise)."""
    return df if partner is None else masking.mask_frame(df, _client_names(cur))


def client_names(cur: duckdb.DuckDBPyConnection, partner: str | None = None) -> dict[str, str]:
    """client id -> what to call the client: its name, or (``partner`` given) its pseudonym,
    so a partner's view never carries a client's name."""
    names = _client_names(cur)
    if partner is None:
        return names
    return {cid: masking.pseudonym(cid) for cid in names}
