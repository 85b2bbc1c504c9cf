"""Build the demo database: reference data, ledger, events, scenarios and rollups."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from ops_core import rollups, routing, sql
from ops_core.alerts import demo as alerts_demo
from ops_core.db import Database
from ops_core.demo import generate as g
from ops_core.demo.catalog import CLIENTS, FIRST_NAMES, LAST_NAMES, PARTNERS, RAIL_SHAPES
from ops_core.demo.outcome import finalize, retries
from ops_core.demo.scenarios import SCENARIOS, scenario
from ops_core.disputes import demo_report
from ops_core.disputes.demo import seed_disputes
from ops_core.ingest import demo_files
from ops_core.recon import demo as recon_demo
from ops_core.reference.sync import sync_reference

# Routing-number prefixes (8 digits) used in ACH trace numbers, per partner.
ROUTING = {"LAKESHORE": "07100001", "MERIDIAN": "02100002"}
TXN_TYPES = sorted({t for s in RAIL_SHAPES for t in s.txn_types})
CODE_SCHEME = {
    "ACH": "nacha_return",
    "RTP": "iso20022",
    "FEDNOW": "iso20022",
    "SEPA_INST": "iso20022",
    "VISA_DIRECT": "iso8583",
    "MC_MOVE": "iso8583",
    "USDC": "chain",
    "SPEI": "spei_return",
    "UPI": "upi",
}


@dataclass(frozen=True)
class DemoResult:
    payments: int
    attempts: int
    as_of: datetime
    seconds: float


def build(
    db: Database,
    *,
    seed: int = 7,
    payments: int = 1_000_000,
    days: int = 90,
    as_of: datetime | None = None,
    files: bool = True,
    alerts: bool = True,
) -> DemoResult:
    """Replace all ledger data with a fresh demo world; deterministic for (seed, as_of).

    With ``files`` the external side (bank statements, ACH returns, status reports, card
    settlements, USDC logs) is written as real files next to the database and loaded
    through the importers, so the demo exercises the real ingest path, and reconciled. With
    ``alerts`` the alert rules are replayed hourly over the last 14 days.
    """
    started = clock.perf_counter()
    as_of = (as_of or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    rng = np.random.default_rng(seed)
    cols = draw_all(rng, payments, g.window(as_of, days), as_of)
    frame = to_frame(cols)
    with db.transaction() as cur:
        sync_reference(cur)
        write_world(cur, as_of)
        cur.register("demo_frame", frame)
        sql.execute(cur, "demo/insert_payments", **lookups(seed))
        cur.unregister("demo_frame")
        sql.execute(cur, "demo/insert_events")
        seed_disputes(cur, as_of, seed)
        rollups.refresh(cur, None)
        routing.refresh(cur, None)
        cur.execute("UPDATE data_version SET as_of = $as_of WHERE id = 1", {"as_of": as_of})
    if files:
        demo_files.write_and_load(db, demo_files.demo_dir(db), as_of)
        demo_report.write_and_load(db, demo_files.demo_dir(db), as_of)  # + expiry run
        recon_demo.run_demo(db, as_of)  # reconcile the ledger against the loaded files
    if alerts:
        alerts_demo.seed(db, as_of)  # replay alert rules over the last 14 days
    logical = int((frame["attempt_no"] == 1).sum())
    return DemoResult(logical, len(frame), as_of, clock.perf_counter() - started)


def draw_all(rng: np.random.Generator, n: int, win: g.Window, as_of: datetime) -> dict:
    parts = []
    for shape in RAIL_SHAPES:
        cols = g.draw_rail(rng, shape, max(round(n * shape.share), 1), win)
        types = np.array([TXN_TYPES.index(t) for t in cols.pop("types")], dtype=np.int8)
        cols["txn_type"] = types[cols["txn_type"]]
        parts.append(cols)
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    cols = _with_stuck_batch(rng, cols, as_of)
    g.apply_scenarios(rng, cols, as_of)
    finalize(rng, cols, win.as_of_us)
    stuck = cols.pop("stuck")
    cols["status"][stuck] = 0
    cols["final_us"][stuck] = -1
    cols["code"][stuck] = g.NO_CODE
    return _with_retries(rng, cols, win.as_of_us)


def _with_stuck_batch(rng: np.random.Generator, cols: dict, as_of: datetime) -> dict:
    """The FedNow batch that never got a final status (scenario fednow_meridian_stuck)."""
    s = scenario("fednow_meridian_stuck")
    start, end = (g._us(t) for t in s.window(as_of))
    k = 60
    extra = {
        "rail": np.full(k, g.RAIL_IDS.index("FEDNOW"), dtype=np.int8),
        "client": np.full(k, g.CLIENT_IDS.index("northwind"), dtype=np.int8),
        "partner": np.full(k, g.PARTNER_IDS.index("MERIDIAN"), dtype=np.int8),
        "txn_type": np.full(k, TXN_TYPES.index("B2C"), dtype=np.int8),
        "created_us": np.sort(rng.integers(start, end, k)),
        "pull": np.zeros(k, dtype=bool),
        "amount": rng.integers(5_000, 150_000, k).astype(np.int64),
        "latency_us": np.full(k, 10**12, dtype=np.int64),
        "code": np.full(k, g.NO_CODE, dtype=np.int16),
    }
    cols["stuck"] = np.zeros(len(cols["rail"]), dtype=bool)
    extra["stuck"] = np.ones(k, dtype=bool)
    return {key: np.concatenate([cols[key], extra[key]]) for key in cols}


def _with_retries(rng: np.random.Generator, cols: dict, as_of_us: int) -> dict:
    order = np.argsort(cols["created_us"], kind="stable")
    cols = {k: v[order] for k, v in cols.items()}
    n = len(cols["rail"])
    cols["payment_id"] = np.arange(1, n + 1, dtype=np.int64)
    cols["original_id"] = cols["payment_id"].copy()
    cols["original_created_us"] = cols["created_us"].copy()
    cols["attempt_no"] = np.ones(n, dtype=np.int16)
    extra = retries(rng, cols, as_of_us)
    parent = extra.pop("parent")
    extra["payment_id"] = np.arange(n + 1, n + 1 + len(parent), dtype=np.int64)
    extra["original_id"] = cols["payment_id"][parent]
    extra["original_created_us"] = cols["created_us"][parent]
    extra["attempt_no"] = np.full(len(parent), 2, dtype=np.int16)
    return {k: np.concatenate([cols[k], extra[k]]) for k in cols}


def to_frame(cols: dict) -> pd.DataFrame:
    keep = [
        "payment_id",
        "original_id",
        "attempt_no",
        "original_created_us",
        "rail",
        "client",
        "partner",
        "txn_type",
        "pull",
        "amount",
        "created_us",
        "final_us",
        "returned_us",
        "status",
        "code",
    ]
    return pd.DataFrame({k: cols[k] for k in keep})


def lookups(seed: int) -> dict:
    return {
        "seed": str(seed),
        "rails": g.RAIL_IDS,
        "currencies": [g.currency_of(r) for r in g.RAIL_IDS],
        "schemes": [CODE_SCHEME[r] for r in g.RAIL_IDS],
        "clients": g.CLIENT_IDS,
        "partners": g.PARTNER_IDS,
        "routing": [ROUTING.get(p, "00000000") for p in g.PARTNER_IDS],
        "txn_types": TXN_TYPES,
        "statuses": g.STATUSES,
        "codes": g.ALL_CODES,
        "first_names": FIRST_NAMES,
        "last_names": LAST_NAMES,
    }


def write_world(cur, as_of: datetime) -> None:
    """Partners, clients, which partner serves which rail, and the scenario windows."""
    for table in (
        "payment_events",
        "payments",
        "rail_partners",
        "demo_scenarios",
        "partners",
        "clients",
    ):
        cur.execute(f"DELETE FROM {table}")
    cur.executemany("INSERT INTO partners VALUES (?, ?, ?, ?)", [list(p) for p in PARTNERS])
    today = as_of.date()
    cur.executemany(
        "INSERT INTO clients VALUES (?, ?, ?, ?, ?)",
        [[c, name, seg, ctry, today - timedelta(days=age)] for c, name, seg, ctry, age in CLIENTS],
    )
    pairs = {(s.rail_id, p) for s in RAIL_SHAPES for p in s.partners}
    cur.executemany("INSERT INTO rail_partners VALUES (?, ?)", [list(p) for p in sorted(pairs)])
    rows = []
    for s in SCENARIOS:
        start, end = s.window(as_of)
        rows.append(
            [s.scenario_id, s.title, s.rail_id, s.partner_id, s.client_id, start, end, s.where_seen]
        )
    cur.executemany("INSERT INTO demo_scenarios VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def default_as_of(today: date | None = None) -> datetime:
    return datetime.now(UTC) if today is None else datetime.combine(today, datetime.min.time(), UTC)
