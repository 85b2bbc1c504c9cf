"""Reconciliation benchmark: the engine on 10 million ledger rows against 10 million settlement
rows, next to the floor and to pandas and polars doing the exact pass.

    python -m bench.recon [--rows 10000000] [--keep] [--out bench/results/recon.json]

One run, all contenders in the same process one after the other, so the ratios hold on a noisy
machine. Order: reset, load-time staging (timed), a warm-up floor (untimed), floor, engine,
floor, rerun, the exact pass and the floor alternated three times, reset (staging too), floor,
the engine staging every file itself, floor, polars, pandas. Each engine number is divided by
the mean of the two floors either side of it.

The data is synthetic, generated in DuckDB SQL into the real schema (payments and the
ingest tables: BAI2-like bank lines for ACH and SEPA, card settlement rows, pacs.002 statuses
for RTP, USDC transfers) with realistic differences: 0.2 % missing at the bank, 0.3 % amount
mismatches, 0.1 % late, 0.05 % duplicates, 0.2 % unknown bank lines, 1 % failed payments.

- floor: a bare DuckDB full outer join of a flat ledger table (id, reference, amount) and a
  flat settlement table on the reference, classified four ways (match, mismatch, missing on
  either side) into a table. Measured before and after the engine; the ratios use the mean.
  It runs with the session settings the engine uses (``preserve_insertion_order = false``),
  so the engine gets no setting the floor does not.
- load-time staging: the generator writes straight into the ledger and ingest tables, so it
  stages them afterwards the way the loader does as each file arrives: the payments
  (``ops_core.recon.engine.stage_payments``, what the loader runs for a ledger file, here one
  transaction for all 10M), then the files (``ops_core.recon.staging.stage_loaded_file``, one
  transaction per file), timed on its own: the engine's own number no longer contains
  staging, "engine + load-time staging" does.
- engine exact pass: ``pass_exact`` as the engine runs it (on its staged tables).
- full engine: ``ops_core.recon.run`` end to end on a fresh database whose files were staged
  at load (rules, the ledger side, all passes, classification, tie-out, breaks, writing every
  item's state); then a rerun with nothing new (the steady-state cost of a run); then, after a
  reset that forgets the staging too, a run that stages every file itself (as for files
  written straight into the tables, or loaded before the loader staged them); then a late
  statement arrives (a BAI2-like file with every ACH entry the bank had not reported), is
  staged as the loader would, and a run takes it in (pairing again only its references).
- pandas, polars: the floor's join and classification on the same flat tables, fetched
  into DataFrames first (the fetch is not timed).

Peak memory: the process's peak RSS (getrusage) after each phase; the engine runs before the
DataFrame libraries so its peak is read before they allocate.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import resource
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ops_core.db import open_db
from ops_core.recon import engine, rules, staging
from ops_core.reference.sync import sync_reference

RESULTS = Path(__file__).parent / "results"
AS_OF = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
DAYS = 30

# Rails by i % 20: 8 ACH, 4 Visa, 2 Mastercard, 3 RTP, 1 USDC, 2 SEPA.
GENERATE_PAYMENTS = """
INSERT INTO payments (payment_id, original_payment_id, attempt_no, original_created_at,
    client_id, rail_id, partner_id, direction, dc, txn_type, amount_minor, currency, created_at,
    final_at, status, ach_trace_number, end_to_end_id, network_txn_id, tx_hash, log_index,
    counterparty_name)
WITH g AS (
    SELECT i, hash(i) AS h,
        CASE WHEN i % 20 < 8 THEN 'ACH' WHEN i % 20 < 12 THEN 'VISA_DIRECT'
             WHEN i % 20 < 14 THEN 'MC_MOVE' WHEN i % 20 < 17 THEN 'RTP'
             WHEN i % 20 < 18 THEN 'USDC' ELSE 'SEPA_INST' END AS rail,
        $start + to_seconds(CAST(i * ($days * 86400 - 7200) // $n AS BIGINT)) AS created
    FROM range($n) AS t(i)
)
SELECT
    i + 1, i + 1, 1, created, 'bench', rail,
    CASE rail WHEN 'ACH' THEN CASE WHEN h % 2 = 0 THEN 'LAKESHORE' ELSE 'MERIDIAN' END
        WHEN 'VISA_DIRECT' THEN 'VISA' WHEN 'MC_MOVE' THEN 'MASTERCARD' WHEN 'RTP' THEN 'LAKESHORE'
        WHEN 'USDC' THEN 'KEYSTONE' ELSE 'NORDHAVN' END,
    CASE WHEN (rail = 'ACH' AND h % 3 = 0) OR (rail IN ('VISA_DIRECT', 'MC_MOVE') AND h % 5 = 0)
        THEN 'pull' ELSE 'push' END,
    CASE WHEN (rail = 'ACH' AND h % 3 = 0) OR (rail IN ('VISA_DIRECT', 'MC_MOVE') AND h % 5 = 0)
        THEN 'debit' ELSE 'credit' END,
    CASE WHEN rail IN ('VISA_DIRECT', 'MC_MOVE') THEN CASE WHEN h % 5 = 0 THEN 'AFT' ELSE 'OCT' END
        ELSE 'PPD' END,
    CASE WHEN rail = 'USDC' THEN 1000000 + (h // 7) % 500000000 ELSE 100 + (h // 7) % 500000 END,
    CASE rail WHEN 'USDC' THEN 'USDC' WHEN 'SEPA_INST' THEN 'EUR' ELSE 'USD' END,
    created, created + INTERVAL 1 HOUR,
    CASE WHEN (h // 11) % 100 = 0 THEN 'failed' ELSE 'completed' END,
    CASE WHEN rail = 'ACH' THEN '0710000' || lpad(CAST(i AS VARCHAR), 8, '0') END,
    CASE WHEN rail IN ('RTP', 'SEPA_INST') THEN 'RYB' || lpad(CAST(i AS VARCHAR), 12, '0') END,
    CASE WHEN rail IN ('VISA_DIRECT', 'MC_MOVE') THEN lpad(CAST(i AS VARCHAR), 15, '0') END,
    CASE WHEN rail = 'USDC' THEN '0x' || md5(CAST(i AS VARCHAR)) END,
    CASE WHEN rail = 'USDC' THEN CAST(h % 300 AS INTEGER) END,
    'Counterparty ' || (h % 1000)
FROM g
"""

# The fate of each payment on the external side, from a hash: 0.2 % missing, 0.3 % amount,
# 0.1 % late, 0.05 % duplicated; failed payments move no money (RTP reports RJCT).
FATES = """
CREATE OR REPLACE TEMP TABLE bench_fate AS
SELECT p.*, CAST(p.final_at AS DATE) AS day,
    CASE WHEN f < 20 THEN 'missing' WHEN f < 50 THEN 'amount' WHEN f < 60 THEN 'late'
         WHEN f < 65 THEN 'twice' ELSE 'exact' END AS fate,
    CASE WHEN f >= 20 AND f < 50 THEN p.amount_minor + 1 + p.amount_minor // 10
         ELSE p.amount_minor END AS ext_amount,
    CAST(p.final_at AS DATE) + CASE WHEN f >= 50 AND f < 60 THEN 3 ELSE 0 END AS ext_day,
    (p.payment_id // 50000) AS file_n
FROM (SELECT *, (hash(payment_id * 7919) // 13) % 10000 AS f FROM payments) AS p
WHERE f >= 20 AND (p.status = 'completed' OR p.rail_id = 'RTP')
"""

FILES = """
INSERT INTO source_files (file_id, sha256, original_name, format, size_bytes, row_count, totals,
    loaded_at, loaded_by, control_ok)
SELECT DISTINCT file_n + 1, 'bench-' || file_n, 'bench_' || file_n || '.dat', 'bench', 0, 0,
    '{}', $now, 'bench', TRUE
FROM bench_fate
UNION ALL
SELECT 900000 + d, 'bench-unknown-' || d, 'bench_unknown_' || d || '.bai2', 'bai2', 0, 0, '{}',
    $now, 'bench', TRUE
FROM range($days) AS t(d)
"""

BANK = """
INSERT INTO bank_statement_lines (source_file_id, source_line, account, amount_minor, currency,
    dc, type_code, booking_date, value_date, bank_reference, customer_reference, text, status,
    end_to_end_id)
SELECT file_n + 1, CAST((payment_id * 2 + range) % 1000000000 AS INTEGER),
    CASE partner_id WHEN 'LAKESHORE' THEN '4410072819' WHEN 'MERIDIAN' THEN '7730021455'
        ELSE 'DK5000400440116243' END,
    CASE dc WHEN 'debit' THEN ext_amount ELSE -ext_amount END, currency,
    CASE dc WHEN 'debit' THEN 'credit' ELSE 'debit' END,
    CASE dc WHEN 'debit' THEN '143' ELSE '452' END, ext_day, ext_day,
    'B' || payment_id, coalesce(ach_trace_number, ''), counterparty_name, 'BOOK',
    coalesce(end_to_end_id, '')
FROM bench_fate, range(CASE WHEN fate = 'twice' THEN 2 ELSE 1 END)
WHERE rail_id IN ('ACH', 'SEPA_INST')
UNION ALL
SELECT 900000 + (k % $days), CAST(k AS INTEGER), '4410072819', (hash(k) % 90000) + 100, 'USD',
    'credit', '143', CAST($start AS DATE) + CAST(k % $days AS INTEGER),
    CAST($start AS DATE) + CAST(k % $days AS INTEGER), 'U' || k, 'UNK' || k, 'unknown payer',
    'BOOK', ''
FROM range($unknown) AS t(k)
"""

CARDS = """
INSERT INTO card_settlements
SELECT file_n + 1, CAST((payment_id * 2 + range) % 1000000000 AS INTEGER), ext_day + 1,
    CASE rail_id WHEN 'VISA_DIRECT' THEN 'VISA' ELSE 'MASTERCARD' END, network_txn_id, txn_type,
    ext_amount, 'USD', 25 + amount_minor * 10 // 10000, 0,
    CASE txn_type WHEN 'AFT' THEN ext_amount - (25 + amount_minor * 10 // 10000)
        ELSE -(ext_amount + 25 + amount_minor * 10 // 10000) END,
    rail_id || strftime(ext_day + 1, '%Y%m%d')
FROM bench_fate, range(CASE WHEN fate = 'twice' THEN 2 ELSE 1 END)
WHERE rail_id IN ('VISA_DIRECT', 'MC_MOVE')
"""

STATUSES = """
INSERT INTO iso_status_reports (source_file_id, xml_path, msg_id, original_end_to_end_id,
    status, reason_code, created_at)
SELECT file_n + 1, '/Document/FIToFIPmtStsRpt/TxInfAndSts[' || (payment_id * 2 + range) || ']',
    'M' || file_n,
    end_to_end_id, CASE status WHEN 'failed' THEN 'RJCT' ELSE 'ACSC' END,
    CASE status WHEN 'failed' THEN 'AM04' ELSE '' END,
    CAST(ext_day AS TIMESTAMPTZ) + INTERVAL 23 HOUR
FROM bench_fate, range(CASE WHEN fate = 'twice' THEN 2 ELSE 1 END)
WHERE rail_id = 'RTP'
"""

CHAIN = """
INSERT INTO chain_transfers
SELECT file_n + 1, CAST((payment_id * 2 + range) % 1000000000 AS INTEGER), 'ethereum', tx_hash,
    log_index,
    21000000 + payment_id, 'usdc', 'treasury', 'payee', ext_amount, 'USDC', FALSE,
    CAST(ext_day AS TIMESTAMPTZ) + INTERVAL 12 HOUR
FROM bench_fate, range(CASE WHEN fate = 'twice' THEN 2 ELSE 1 END)
WHERE rail_id = 'USDC'
"""

BALANCES = """
INSERT INTO bank_balances (source_file_id, account, balance_type, amount_minor, currency, as_of)
WITH d AS (
    SELECT account, booking_date AS day, any_value(currency) AS currency, sum(amount_minor) AS net,
        min(source_file_id) AS file_id
    FROM bank_statement_lines GROUP BY ALL
), c AS (
    SELECT *, 100000000000 + sum(net) OVER (PARTITION BY account ORDER BY day) AS closing
    FROM d
)
SELECT file_id, account, '010', closing - net, currency, day FROM c
UNION ALL
SELECT file_id, account, '015', closing, currency, day FROM c
"""

# The floor's inputs: the same two sides as flat tables (reference chosen per rail, like the
# exact rules), built before any timing.
FLAT_LEDGER = """
CREATE OR REPLACE TABLE bench_l AS
SELECT payment_id AS id, coalesce(ach_trace_number, end_to_end_id, network_txn_id,
    tx_hash || ':' || log_index) AS ref, amount_minor AS amount
FROM payments
"""
FLAT_SETTLEMENT = """
CREATE OR REPLACE TABLE bench_s AS
SELECT row_number() OVER () AS id, ref, amount FROM (
    SELECT nullif(coalesce(nullif(customer_reference, ''), end_to_end_id), '') AS ref,
        abs(amount_minor) AS amount FROM bank_statement_lines
    UNION ALL SELECT network_txn_id, amount_minor FROM card_settlements
    UNION ALL SELECT original_end_to_end_id, NULL FROM iso_status_reports
    UNION ALL SELECT tx_hash || ':' || log_index, amount_minor FROM chain_transfers
)
"""
FLOOR = """
CREATE OR REPLACE TEMP TABLE bench_floor AS
SELECT l.id AS ledger_id, s.id AS settlement_id,
    CASE WHEN l.id IS NULL THEN 'missing_in_ledger' WHEN s.id IS NULL THEN 'missing_in_settlement'
         WHEN l.amount = s.amount OR s.amount IS NULL THEN 'match' ELSE 'mismatch' END AS outcome
FROM bench_l AS l FULL OUTER JOIN bench_s AS s ON l.ref = s.ref
"""


SESSION = "SET SESSION preserve_insertion_order = false"  # as the engine's run does


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def generate(path: Path, rows: int) -> dict:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    db = open_db(path)
    started = time.perf_counter()
    start = datetime(2026, 10, 21, tzinfo=UTC)
    params = {"n": rows, "days": DAYS, "start": start, "now": AS_OF, "unknown": rows // 500}
    with db.transaction() as cur:
        sync_reference(cur)
        for statement in (GENERATE_PAYMENTS, FATES, FILES, BANK, CARDS, STATUSES, CHAIN, BALANCES):
            used = set(re.findall(r"\$(\w+)", statement))
            names = {k: v for k, v in params.items() if k in used}
            cur.execute(statement, names)
        cur.execute("UPDATE data_version SET as_of = ? WHERE id = 1", [AS_OF])
        cur.execute(FLAT_LEDGER)
        cur.execute(FLAT_SETTLEMENT)
    counts = {
        t: db.cursor().execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in (
            "payments",
            "bank_statement_lines",
            "card_settlements",
            "iso_status_reports",
            "chain_transfers",
            "bench_l",
            "bench_s",
        )
    }
    db.close()
    return {"seconds": round(time.perf_counter() - started, 1), "counts": counts}


def run_floor(db) -> tuple[float, dict]:
    cur = db.cursor()
    cur.execute(SESSION)
    started = time.perf_counter()
    cur.execute(FLOOR)
    seconds = time.perf_counter() - started
    outcomes = dict(cur.execute("SELECT outcome, count(*) FROM bench_floor GROUP BY 1").fetchall())
    cur.execute("DROP TABLE bench_floor")
    cur.close()
    return seconds, outcomes


def exact_vs_floor(db, rounds: int) -> tuple[list[float], list[float]]:
    """The engine's exact pass and the floor, alternated ``rounds`` times on the staged data of
    the run before (the engine's own prelude rebuilds its temp inputs first, untimed)."""
    cur = db.cursor()
    cur.execute(SESSION)
    cur.begin()
    params = {
        "run_id": 0,
        "as_of": AS_OF,
        "as_of_day": AS_OF.date(),
        "now": AS_OF,
        "actor": "bench",
    }
    step = engine._Steps(cur, params)
    rules.sync(cur)
    step("setup", "macros", "macro_source", "macro_names", "macro_code")
    engine.stage_ledger(cur, step, AS_OF.date())
    step("exact", "dirty_none", "dirty_none_ext")
    exact, floor = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        step("exact", "pass_exact", all=True)  # every item, as a first run pairs them
        exact.append(time.perf_counter() - started)
        started = time.perf_counter()
        cur.execute(FLOOR)
        floor.append(time.perf_counter() - started)
    cur.rollback()
    cur.close()
    return exact, floor


def stage_at_load(db) -> dict:
    """What the loader pays for staging, file by file, each in its own transaction (as
    ``ops_core.ingest.loader`` calls ``staging.stage_loaded_file`` for each file it loads)."""
    with db.transaction() as cur:
        rules.sync(cur)  # the rules a first run would have synced
        rows = cur.execute("SELECT file_id FROM source_files ORDER BY 1").fetchall()
    files = [r[0] for r in rows]
    started = time.perf_counter()
    with db.transaction() as cur:  # the ledger, as the loader stages a ledger file's payments
        engine.stage_payments(cur, AS_OF.date())
    cur = db.cursor()
    cur.execute("CHECKPOINT")
    cur.close()
    ledger_seconds = time.perf_counter() - started
    items = 0
    for file_id in files:
        with db.transaction() as cur:
            items += staging.stage_loaded_file(cur, file_id) or 0
    cur = db.cursor()
    cur.execute("CHECKPOINT")  # the staged rows' WAL, folded in: part of the loader's cost
    cur.close()
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "ledger_seconds": round(ledger_seconds, 2),
        "files": len(files),
        "items": items,
    }


LATE_FILE = 950000  # the late statement's file id (bench_unknown_* files are 900000 + day)

LATE_LINES = """
INSERT INTO bank_statement_lines (source_file_id, source_line, account, amount_minor, currency,
    dc, type_code, booking_date, value_date, bank_reference, customer_reference, text, status,
    end_to_end_id)
SELECT $file, CAST(row_number() OVER (ORDER BY payment_id) AS INTEGER),
    CASE partner_id WHEN 'LAKESHORE' THEN '4410072819' ELSE '7730021455' END,
    CASE dc WHEN 'debit' THEN amount_minor ELSE -amount_minor END, currency,
    CASE dc WHEN 'debit' THEN 'credit' ELSE 'debit' END,
    CASE dc WHEN 'debit' THEN '143' ELSE '452' END, utc_day(final_at), utc_day(final_at),
    'L' || payment_id, ach_trace_number, counterparty_name, 'BOOK', ''
FROM payments
WHERE rail_id = 'ACH' AND status = 'completed'
    AND ach_trace_number NOT IN (
        SELECT customer_reference FROM bank_statement_lines WHERE source_file_id < 900000)
"""


def late_statement(db) -> dict:
    """A statement with the ACH entries the bank had not reported arrives (the bank's late
    file): loaded and staged as the loader would (staging timed), then a run. What a run
    costs when something new arrives, next to a first run over everything."""
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO source_files (file_id, sha256, original_name, format, size_bytes,"
            " row_count, totals, loaded_at, loaded_by, control_ok)"
            " VALUES (?, 'bench-late', 'bench_late.bai2', 'bai2', 0, 0, '{}', ?, 'bench', TRUE)",
            [LATE_FILE, AS_OF],
        )
        cur.execute(LATE_LINES, {"file": LATE_FILE})
        lines = cur.execute(
            "SELECT count(*) FROM bank_statement_lines WHERE source_file_id = ?", [LATE_FILE]
        ).fetchone()[0]
        started = time.perf_counter()
        staging.stage_loaded_file(cur, LATE_FILE)
        staged = time.perf_counter() - started
    result = engine.run(db, as_of=AS_OF)
    return {
        "lines": lines,
        "staging_seconds": round(staged, 2),
        "run_seconds": round(result.seconds, 2),
        "run_steps": {k: round(v, 2) for k, v in result.timings.items()},
        "pairs_made": result.inputs["pairs_made"],
        "pair_rows_made": result.inputs["pair_rows_made"],
        "breaks": result.counts["breaks"],
    }


def forget_late_statement(db) -> None:
    """Take the late statement out again (a reused database starts without it)."""
    with db.transaction() as cur:
        cur.execute("DELETE FROM bank_statement_lines WHERE source_file_id = ?", [LATE_FILE])
    with db.transaction() as cur:  # DuckDB checks the foreign key against committed rows
        cur.execute("DELETE FROM source_files WHERE file_id = ?", [LATE_FILE])


def run_pandas(db) -> tuple[float, dict]:
    import numpy as np
    import pandas as pd

    cur = db.cursor()
    left = cur.execute("SELECT * FROM bench_l").df()
    right = cur.execute("SELECT * FROM bench_s").df()
    cur.close()
    started = time.perf_counter()
    joined = left.merge(right, on="ref", how="outer", suffixes=("_l", "_s"))
    same = (joined.amount_l == joined.amount_s).fillna(False) | joined.amount_s.isna()
    outcome = np.select(
        [joined.id_l.isna().to_numpy(), joined.id_s.isna().to_numpy(), same.to_numpy(dtype=bool)],
        ["missing_in_ledger", "missing_in_settlement", "match"],
        "mismatch",
    )
    result = pd.DataFrame(
        {"ledger_id": joined.id_l, "settlement_id": joined.id_s, "outcome": outcome}
    )
    seconds = time.perf_counter() - started
    counts = result.outcome.value_counts().to_dict()
    del left, right, joined, result
    gc.collect()
    return seconds, {k: int(v) for k, v in counts.items()}


def run_polars(db) -> tuple[float, dict]:
    import polars as pl

    cur = db.cursor()
    left = pl.from_arrow(cur.sql("SELECT * FROM bench_l").to_arrow_table())
    right = pl.from_arrow(cur.sql("SELECT * FROM bench_s").to_arrow_table())
    cur.close()
    started = time.perf_counter()
    joined = left.join(right, on="ref", how="full", suffix="_s", nulls_equal=False)
    result = joined.select(
        pl.col("id").alias("ledger_id"),
        pl.col("id_s").alias("settlement_id"),
        pl.when(pl.col("id").is_null())
        .then(pl.lit("missing_in_ledger"))
        .when(pl.col("id_s").is_null())
        .then(pl.lit("missing_in_settlement"))
        .when((pl.col("amount") == pl.col("amount_s")) | pl.col("amount_s").is_null())
        .then(pl.lit("match"))
        .otherwise(pl.lit("mismatch"))
        .alias("outcome"),
    )
    seconds = time.perf_counter() - started
    counts = dict(result.group_by("outcome").len().iter_rows())
    del left, right, joined, result
    gc.collect()
    return seconds, {k: int(v) for k, v in counts.items()}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} vCPU {cpu}, {mem:.0f} GiB RAM, Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recon", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse a generated database")
    parser.add_argument("--out", default=str(RESULTS / "recon.json"))
    args = parser.parse_args(argv)
    path = RESULTS / f"recon_{args.rows}.duckdb"
    report: dict = {
        "machine": machine(),
        "date": datetime.now(UTC).date().isoformat(),
        "rows": args.rows,
    }
    if not (args.keep and path.exists()):
        report["generate"] = generate(path, args.rows)
        print("generated", report["generate"], flush=True)
    db = open_db(path)
    engine.reset(db)  # with --keep: the engine's run is a first run, not a rerun
    load_staging = stage_at_load(db)
    print("load-time staging", load_staging, flush=True)
    run_floor(db)  # warm-up (untimed): the flat tables and the process, not the engine's data
    floor1, floor_counts = run_floor(db)
    print(f"floor {floor1:.2f} s {floor_counts}", flush=True)
    result = engine.run(db, as_of=AS_OF)
    rss_engine = peak_rss_gib()
    print(f"engine {result.seconds:.2f} s, exact {result.timings['exact']:.2f} s", flush=True)
    floor2, _ = run_floor(db)
    print(f"floor again {floor2:.2f} s", flush=True)
    rerun = engine.run(db, as_of=AS_OF)  # nothing new: what a run costs once files are staged
    print(f"rerun {rerun.seconds:.2f} s", flush=True)
    exact_runs, floor_runs = exact_vs_floor(db, 3)
    print(f"exact {exact_runs} floor {floor_runs}", flush=True)
    engine.reset(db)  # staging too: files nobody staged at load (written straight in, or old)
    floor3, _ = run_floor(db)
    bulk = engine.run(db, as_of=AS_OF)
    floor4, _ = run_floor(db)
    print(f"engine staging every file itself {bulk.seconds:.2f} s", flush=True)
    late = late_statement(db)
    floor5, _ = run_floor(db)
    forget_late_statement(db)
    print(f"late statement {late}", flush=True)
    db.close()
    db = open_db(path, read_only=True)
    polars_s, polars_counts = run_polars(db)
    print(f"polars {polars_s:.2f} s", flush=True)
    pandas_s, pandas_counts = run_pandas(db)
    print(f"pandas {pandas_s:.2f} s", flush=True)
    db.close()
    floor = (floor1 + floor2) / 2  # the floors either side of the engine's run
    bulk_floor = (floor3 + floor4) / 2  # and either side of the run that stages itself
    report.update(
        floor_seconds=[round(floor1, 2), round(floor2, 2)],
        floor_seconds_around_staging_run=[round(floor3, 2), round(floor4, 2)],
        floor_outcomes=floor_counts,
        exact_seconds=round(result.timings["exact"], 2),
        alternated={
            "exact": [round(s, 2) for s in exact_runs],
            "floor": [round(s, 2) for s in floor_runs],
        },
        load_staging=load_staging,
        engine_seconds=round(result.seconds, 2),
        engine_plus_load_staging_seconds=round(result.seconds + load_staging["seconds"], 2),
        engine_steps={k: round(v, 2) for k, v in result.timings.items()},
        engine_staging_itself_seconds=round(bulk.seconds, 2),
        engine_staging_itself_steps={k: round(v, 2) for k, v in bulk.timings.items()},
        engine_staging_itself_same_counts=bulk.counts == result.counts,
        rerun_seconds=round(rerun.seconds, 2),
        rerun_steps={k: round(v, 2) for k, v in rerun.timings.items()},
        rerun_breaks=rerun.counts["breaks"],
        late_statement=late,
        floor_after_late_statement=round(floor5, 2),
        engine_counts=result.counts,
        engine_inputs=result.inputs,
        polars_seconds=round(polars_s, 2),
        polars_outcomes=polars_counts,
        pandas_seconds=round(pandas_s, 2),
        pandas_outcomes=pandas_counts,
        ratios={
            "exact / floor": round(result.timings["exact"] / floor, 2),
            "exact / floor, median of 3 alternated": round(
                statistics.median(exact_runs) / statistics.median(floor_runs), 2
            ),
            "engine / floor": round(result.seconds / floor, 2),
            "engine + load-time staging / floor": round(
                (result.seconds + load_staging["seconds"]) / floor, 2
            ),
            "engine staging every file itself / floor": round(bulk.seconds / bulk_floor, 2),
            "rerun / floor": round(rerun.seconds / floor, 2),
            "run after the late statement / floor": round(
                late["run_seconds"] / ((floor4 + floor5) / 2), 2
            ),
            "polars / floor": round(polars_s / floor, 2),
            "pandas / floor": round(pandas_s / floor, 2),
        },
        peak_rss_gib={"after engine": round(rss_engine, 2), "end": round(peak_rss_gib(), 2)},
    )
    Path(args.out).write_text(json.dumps(report, indent=1, default=str) + "\n")
    print(json.dumps(report["ratios"]), json.dumps(report["peak_rss_gib"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
