"""Rail health: the Overview tiles and the Rail Health series, read from rollups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pandas as pd

from ops_core import sql
from ops_core.access import masking

THRESHOLDS_CSV = Path(__file__).parent / "reference" / "health_thresholds.csv"
RAG_ORDER = {"red": 0, "amber": 1, "green": 2, "grey": 3}
BASELINE_WEEKDAYS = [7, 14, 21, 28]
BASELINE_DAYS = [1, 2, 3, 4, 5, 6, 7]


@dataclass(frozen=True)
class Threshold:
    amber: float
    red: float


def thresholds() -> dict[str, Threshold]:
    df = pd.read_csv(THRESHOLDS_CSV)
    return {r.metric: Threshold(float(r.amber), float(r.red)) for r in df.itertuples()}


def day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants where the viewer's calendar day starts and ends."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def default_day(now: datetime, tz: str, min_hours: float = 6) -> date:
    """The day the morning screen opens on: today in the viewer's zone, or yesterday while
    today has under ``min_hours`` of data (a 45-minute-old day says nothing yet)."""
    local = now.astimezone(ZoneInfo(tz))
    start, _ = day_bounds(local.date(), tz)
    if (now - start).total_seconds() < min_hours * 3600:
        return local.date() - timedelta(days=1)
    return local.date()


def data_now(cur: duckdb.DuckDBPyConnection) -> datetime:
    """The data's "now": the demo's as-of time if set, else the wall clock."""
    row = cur.execute("SELECT as_of FROM data_version WHERE id = 1").fetchone()
    return (row[0] if row and row[0] else datetime.now(UTC)).astimezone(UTC)


def rail_tiles(
    cur: duckdb.DuckDBPyConnection, day: date, tz: str, now: datetime, partner: str | None = None
) -> pd.DataFrame:
    """One row per rail: the day's figures, their baselines, top code, stuck count, RAG.
    ``partner``: only that partner's rails and payments (partner screen-share mode)."""
    start, end = day_bounds(day, tz)
    cur_end = min(end, now)
    every = everything(cur, partner)
    counts = sql.query(
        cur,
        "health/window_counts",
        day_start=start,
        cur_end=cur_end,
        offsets=[0, *BASELINE_DAYS, *BASELINE_WEEKDAYS[1:]],
        partners=every["partners"],
    )
    lat = sql.query(
        cur, "health/window_latency", day_start=start, cur_end=cur_end, partners=every["partners"]
    )
    rails = cur.execute("SELECT rail_id, name, currency FROM rails ORDER BY rail_id").df()
    rails = rails[rails.rail_id.isin(every["rails"])]
    tiles = rails.merge(_day_counts(counts), on="rail_id", how="left")
    tiles = tiles.merge(_latency(lat), on="rail_id", how="left")
    tiles = tiles.merge(_top_codes(cur, start, cur_end, every), on="rail_id", how="left")
    stuck = sql.query(cur, "health/stuck", now=now, partners=every["partners"])
    tiles["stuck"] = tiles["rail_id"].map(stuck.groupby("rail_id").size()).fillna(0).astype(int)
    for col in ("payments", "decided", "succeeded", "pending", "amount_minor"):
        tiles[col] = tiles[col].fillna(0).astype("int64")
    return judge(tiles, thresholds())


def _day_counts(counts: pd.DataFrame) -> pd.DataFrame:
    day = counts[counts.k == 0].drop(columns="k")
    week = counts[counts.k.isin(BASELINE_WEEKDAYS)].groupby("rail_id").payments.sum() / 4
    prior = counts[counts.k.isin(BASELINE_DAYS)].groupby("rail_id")[["succeeded", "decided"]].sum()
    base = pd.DataFrame(
        {
            "baseline_payments": week,
            "baseline_success_rate": prior.succeeded / prior.decided.replace(0, np.nan),
        }
    ).reset_index()
    out = base.merge(day, on="rail_id", how="outer")
    out["success_rate"] = out.succeeded / out.decided.replace(0, np.nan)
    return out


def _latency(lat: pd.DataFrame) -> pd.DataFrame:
    wide = lat.pivot(index="rail_id", columns="period", values="p95_ms")
    out = pd.DataFrame(index=wide.index)
    out["p95_ms"] = wide.get("day")
    out["baseline_p95_ms"] = wide.get("baseline")
    return out.reset_index()


def _top_codes(cur, start: datetime, end: datetime, every: dict[str, list[str]]) -> pd.DataFrame:
    codes = sql.query(cur, "health/top_codes", start=start, end=end, **every)
    # stable: a tie keeps the statement's order (by scheme and code), not whichever comes
    top = codes.sort_values("n", ascending=False, kind="stable").drop_duplicates("rail_id")
    return top.rename(columns={"code": "top_code", "title": "top_code_title", "n": "top_code_n"})[
        ["rail_id", "top_code", "top_code_title", "top_code_n"]
    ]


def everything(cur: duckdb.DuckDBPyConnection, partner: str | None = None) -> dict[str, list[str]]:
    """Filter lists meaning 'all rails, partners and clients' (of one partner's view: its
    rails and itself, when ``partner`` is given)."""
    if partner is None:
        rails = [r[0] for r in cur.execute("SELECT rail_id FROM rails").fetchall()]
        partners = [r[0] for r in cur.execute("SELECT partner_id FROM partners").fetchall()]
    else:
        rails = [
            r[0]
            for r in cur.execute(
                "SELECT rail_id FROM rail_partners WHERE partner_id = ? ORDER BY rail_id", [partner]
            ).fetchall()
        ]
        partners = [partner]
    return {
        "rails": rails,
        "partners": partners,
        "clients": [r[0] for r in cur.execute("SELECT client_id FROM clients").fetchall()],
    }


def judge(tiles: pd.DataFrame, limits: dict[str, Threshold]) -> pd.DataFrame:
    """Red/amber/green per rail with the reasons, worst first."""
    rags, reasons = [], []
    for row in tiles.itertuples():
        found = list(_findings(row, limits))
        worst = min((f[0] for f in found), key=RAG_ORDER.get, default="green")
        if not found and row.decided < limits["min_volume"].amber:
            worst = "grey"
            found = [("grey", "too little volume to judge")]
        rags.append(worst)
        reasons.append([text for _, text in sorted(found, key=lambda f: RAG_ORDER[f[0]])])
    tiles = tiles.assign(rag=rags, reasons=reasons)
    tiles["rank"] = tiles.rag.map(RAG_ORDER)
    return tiles.sort_values(["rank", "rail_id"]).drop(columns="rank").reset_index(drop=True)


def _findings(row, limits: dict[str, Threshold]):
    if row.stuck >= limits["stuck_count"].amber:
        level = "red" if row.stuck >= limits["stuck_count"].red else "amber"
        yield level, f"{row.stuck} payments stuck in pending"
    if row.decided >= limits["min_volume"].amber and pd.notna(row.baseline_success_rate):
        drop = (row.baseline_success_rate - row.success_rate) * 100
        level = _level(drop, limits["success_drop_pp"])
        if level:
            yield (
                level,
                (
                    f"success {row.success_rate:.1%} vs {row.baseline_success_rate:.1%} "
                    f"baseline ({drop:.1f} pp lower)"
                ),
            )
    if pd.notna(row.p95_ms) and pd.notna(row.baseline_p95_ms) and row.baseline_p95_ms > 0:
        ratio = row.p95_ms / row.baseline_p95_ms
        level = _level(ratio, limits["p95_ratio"])
        if level:
            yield level, f"p95 latency {ratio:.1f}x its 7-day baseline"
    if pd.notna(row.baseline_payments) and row.baseline_payments >= limits["min_volume"].amber:
        share = row.payments / row.baseline_payments
        low = limits["volume_ratio_low"]
        level = "red" if share <= low.red else "amber" if share <= low.amber else None
        if level:
            yield level, f"volume {share:.0%} of the usual for this weekday and hour"


def _level(value: float, limit: Threshold) -> str | None:
    if value >= limit.red:
        return "red"
    return "amber" if value >= limit.amber else None


def stuck_now(
    cur: duckdb.DuckDBPyConnection, now: datetime, partner: str | None = None
) -> pd.DataFrame:
    """Attempts pending longer than their rail allows at ``now`` (of ``partner`` only, clients
    pseudonymised, when given)."""
    df = sql.query(cur, "health/stuck", now=now, partners=everything(cur, partner)["partners"])
    return masking.scoped(df, partner)
