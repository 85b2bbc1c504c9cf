"""Vectorised demo ledger: realistic payments for every rail, deterministic from a seed.

Payments are drawn per rail from ``catalog.RAIL_SHAPES`` (amounts, hours, weekday mix, code
mix, latency), then the scenarios of ``scenarios.SCENARIOS`` are applied, then retries are
added for retryable failures. Columns are numpy arrays; ``frame`` turns them into a DataFrame
of small integers and numbers that ``load.insert_payments`` expands in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from ops_core import calendars
from ops_core.demo.catalog import CLIENTS, PARTNERS, RAIL_SHAPES, RailShape
from ops_core.demo.scenarios import scenario
from ops_core.money import exponent

RAIL_IDS = [s.rail_id for s in RAIL_SHAPES]
CLIENT_IDS = [c[0] for c in CLIENTS]
PARTNER_IDS = [p[0] for p in PARTNERS]
STATUSES = ["pending", "completed", "failed", "returned"]
ALL_CODES = sorted({c for s in RAIL_SHAPES for c in s.failures} | {"26"})
CODE_INDEX = {c: i for i, c in enumerate(ALL_CODES)}
NO_CODE = -1
S = 1_000_000  # microseconds per second
ET = ZoneInfo("America/New_York")
UNAUTHORIZED = ("R10", "R05", "R29", "R07", "R11")
DEBIT_ONLY = ("R01", "R08", "R16", "R20", *UNAUTHORIZED)


@dataclass(frozen=True)
class Window:
    start_us: int  # first instant of the demo data, epoch microseconds UTC
    as_of_us: int  # the demo's "now"
    days: int


def window(as_of: datetime, days: int) -> Window:
    start = datetime.combine(as_of.date() - timedelta(days=days - 1), time(), tzinfo=UTC)
    return Window(_us(start), _us(as_of), days)


def _us(ts: datetime) -> int:
    return int(ts.timestamp() * S)


def draw_rail(rng: np.random.Generator, shape: RailShape, n: int, win: Window) -> dict:
    """n first attempts on one rail, before scenarios and final status."""
    clients = list(shape.clients)
    cw = np.array([shape.clients[c] for c in clients], dtype=float)
    partners = list(shape.partners)
    pw = np.array([shape.partners[p] for p in partners], dtype=float)
    types = list(shape.txn_types)
    tw = np.array(list(shape.txn_types.values()))
    cols = {
        "rail": np.full(n, RAIL_IDS.index(shape.rail_id), dtype=np.int8),
        "client": np.array([CLIENT_IDS.index(c) for c in clients], dtype=np.int8)[
            rng.choice(len(clients), n, p=cw / cw.sum())
        ],
        "partner": np.array([PARTNER_IDS.index(p) for p in partners], dtype=np.int8)[
            rng.choice(len(partners), n, p=pw / pw.sum())
        ],
        "txn_type": rng.choice(len(types), n, p=tw / tw.sum()).astype(np.int8),
        "created_us": draw_times(rng, shape, n, win),
        "pull": rng.random(n) < shape.pull_share,
    }
    cols["amount"] = draw_amounts(rng, shape, n)
    cols["latency_us"] = (
        rng.lognormal(np.log(max(shape.latency_median_s, 1e-3)), shape.latency_sigma, n) * S
    ).astype(np.int64)
    cols["code"] = draw_codes(rng, shape, n)
    if shape.rail_id == "ACH":
        credit_returns(rng, cols)
    cols["types"] = types
    return cols


def credit_returns(rng: np.random.Generator, cols: dict) -> None:
    """ACH credits are not returned for debit reasons (NSF, stop payment, unauthorized):
    an RDFI returns a credit for a bad account (R02/R03/R04, domain.md §1.1)."""
    debit_only = np.array([CODE_INDEX[c] for c in DEBIT_ONLY], dtype=np.int16)
    m = ~cols["pull"] & np.isin(cols["code"], debit_only)
    admin = np.array([CODE_INDEX[c] for c in ("R03", "R02", "R04")], dtype=np.int16)
    cols["code"][m] = np.where(
        rng.random(m.sum()) < 0.4, admin[rng.integers(0, 3, m.sum())], NO_CODE
    )


def draw_times(rng: np.random.Generator, shape: RailShape, n: int, win: Window) -> np.ndarray:
    """Creation instants with weekday and hour-of-day seasonality and slight growth."""
    day_start = win.start_us + np.arange(win.days, dtype=np.int64) * 86_400 * S
    weekday = (pd.to_datetime(day_start, unit="us").dayofweek.to_numpy()) >= 5
    weight = np.where(weekday, shape.weekend_factor, 1.0) * np.linspace(0.9, 1.1, win.days)
    elapsed = (win.as_of_us - day_start[-1]) / (86_400 * S)
    weight[-1] *= elapsed  # the last day is partial: it ends at the demo's "now"
    day = rng.choice(win.days, n, p=weight / weight.sum())
    hour = np.mod(np.round(rng.normal(shape.hour_peak_utc, 4.0, n)), 24).astype(np.int64)
    ts = day_start[day] + hour * 3600 * S + rng.integers(0, 3600 * S, n)
    # A draw later than "now" on the last day moves to a random earlier time that day.
    late = ts > win.as_of_us
    span = max(win.as_of_us - day_start[-1], 1)
    ts[late] = day_start[-1] + rng.integers(0, span, late.sum())
    return ts


def draw_amounts(rng: np.random.Generator, shape: RailShape, n: int) -> np.ndarray:
    currency_exp = exponent(currency_of(shape.rail_id))
    major = rng.lognormal(np.log(shape.median_major), shape.sigma, n)
    major = np.clip(major, 1.0, 250_000.0)
    cents = np.round(major * 100).astype(np.int64)  # whole cents, then scale to the currency
    return cents * 10 ** (currency_exp - 2)


def draw_codes(rng: np.random.Generator, shape: RailShape, n: int) -> np.ndarray:
    codes = list(shape.failures)
    probs = np.array([shape.failures[c] for c in codes])
    u = rng.random(n)
    edges = np.cumsum(probs)
    pick = np.searchsorted(edges, u, side="right")
    idx = np.array([CODE_INDEX[c] for c in codes] + [NO_CODE], dtype=np.int16)
    return idx[np.minimum(pick, len(codes))]


def currency_of(rail_id: str) -> str:
    return {"SEPA_INST": "EUR", "SPEI": "MXN", "UPI": "INR", "USDC": "USDC"}.get(rail_id, "USD")


def apply_scenarios(rng: np.random.Generator, cols: dict, as_of: datetime) -> None:
    """Bend the drawn payments so each documented scenario shows in the data."""
    rail, created = cols["rail"], cols["created_us"]
    code, latency = cols["code"], cols["latency_us"]

    s = scenario("rtp_lakeshore_timeouts")
    m = _in(s, cols, as_of)
    hit = m & (rng.random(len(rail)) < 0.25)
    code[hit] = CODE_INDEX["DS24"]
    latency[m] = latency[m] * 6
    latency[hit] = 20 * S + rng.integers(0, 5 * S, hit.sum())

    s = scenario("visa_latency_day")
    m = _in(s, cols, as_of)
    latency[m] = latency[m] * 8
    code[m & (rng.random(len(rail)) < 0.02)] = CODE_INDEX["91"]

    s = scenario("spei_unexpected_code")
    m = _in(s, cols, as_of)
    code[m & (rng.random(len(rail)) < 0.25)] = CODE_INDEX["26"]

    s = scenario("granite_ach_unauthorized")
    start, end = (_us(t) for t in s.window(as_of))
    m = (rail == RAIL_IDS.index("ACH")) & (cols["client"] == CLIENT_IDS.index("granite"))
    cols["pull"][m] = True  # rent collection: debits
    progress = np.clip((created - start) / max(end - start, 1), 0.0, 1.0)
    p_unauth = np.where(created >= start, 0.001 + 0.02 * progress, 0.001)
    hit = m & (rng.random(len(rail)) < p_unauth)
    pick = rng.choice(len(UNAUTHORIZED), hit.sum(), p=[0.45, 0.2, 0.15, 0.1, 0.1])
    code[hit] = np.array([CODE_INDEX[c] for c in UNAUTHORIZED], dtype=np.int16)[pick]


def _in(s, cols: dict, as_of: datetime) -> np.ndarray:
    start, end = (_us(t) for t in s.window(as_of))
    m = (cols["rail"] == RAIL_IDS.index(s.rail_id)) & (cols["created_us"] >= start)
    m &= cols["created_us"] < end
    if s.partner_id:
        m &= cols["partner"] == PARTNER_IDS.index(s.partner_id)
    return m


def ach_settlement_us(created_us: np.ndarray, same_day: np.ndarray) -> np.ndarray:
    """Settlement instant of ACH entries (domain.md §2.6).

    Same Day entries submitted before a window's 10:30/14:45/16:45 ET deadline settle at
    13:00/17:00/18:00 ET that banking day; the rest settle 8:30 ET the next banking day.
    """
    days = pd.to_datetime(created_us, unit="us", utc=True).tz_convert(ET)
    local_day = days.normalize().tz_localize(None).to_numpy().astype("datetime64[D]")
    uniq, inv = np.unique(local_day, return_inverse=True)
    table = [_settle_options(d.item()) for d in uniq]
    secs = (days.hour * 3600 + days.minute * 60).to_numpy()
    out = np.empty(len(created_us), dtype=np.int64)
    for i, opts in enumerate(table):
        m = inv == i
        nxt, windows, banking = opts
        res = np.full(m.sum(), nxt, dtype=np.int64)
        if banking:
            s_sub, sd_sub = secs[m], same_day[m]
            for deadline, settle in reversed(windows):
                res = np.where(sd_sub & (s_sub < deadline), settle, res)
        out[m] = res
    return out


def _settle_options(d) -> tuple[int, list[tuple[int, int]], bool]:
    banking = calendars.is_banking_day("US_FED", d)
    nxt_day = calendars.next_banking_day("US_FED", d)
    nxt = _us(datetime.combine(nxt_day, time(8, 30), tzinfo=ET))
    windows = [
        (10 * 3600 + 30 * 60, _us(datetime.combine(d, time(13, 0), tzinfo=ET))),
        (14 * 3600 + 45 * 60, _us(datetime.combine(d, time(17, 0), tzinfo=ET))),
        (16 * 3600 + 45 * 60, _us(datetime.combine(d, time(18, 0), tzinfo=ET))),
    ]
    return nxt, windows, banking
