"""A tiny hand-made world for the KPI definitions: three rails, a few rollup rows, ACH debits
and returns, dispute cases with deadlines, and reconciliation breaks, every one placed so the
expected numbers (tests/kpis/test_definitions.py) can be worked out by hand.

Weeks: 2026-W45 = Mon 2 Nov to Mon 9 Nov 2026, 2026-W46 = Mon 9 Nov to Mon 16 Nov (UTC).
Tables use the real migrations' schemas (001, 002, 020, 050): the database is migrated.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ops_core.db import open_db
from ops_core.kpis import IsoWeek

NOW = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
W45, W46 = IsoWeek(2026, 45), IsoWeek(2026, 46)

RAILS = [("ACH", "ACH (Nacha)", "USD"), ("RTP", "RTP", "USD"), ("SEPA_INST", "SEPA Instant", "EUR")]
CODES = [("R10", "unauthorized"), ("R03", "administrative"), ("R01", "other")]
CLIENTS = [("alpha", "Alpha Co"), ("beta", "Beta Ltd"), ("gamma", "Gamma Inc")]

# rollup_hourly: hour, rail, currency, payments, succeeded, failed, returned, pending, amount
HOURLY = [
    ("2026-11-02 00:00", "ACH", "USD", 20, 19, 1, 0, 0, 200_000),  # W45's first hour
    ("2026-11-08 12:00", "RTP", "USD", 5, 5, 0, 0, 0, 25_000),
    ("2026-11-10 10:00", "ACH", "USD", 10, 8, 0, 1, 1, 100_000),
    ("2026-11-11 12:00", "RTP", "USD", 5, 4, 1, 0, 0, 50_000),
    ("2026-11-15 23:00", "SEPA_INST", "EUR", 4, 4, 0, 0, 0, 40_000),  # W46's last hour
    ("2026-11-16 00:00", "SEPA_INST", "EUR", 100, 100, 0, 0, 0, 1_000_000),  # W47
]
# rollup_latency: hour, rail, bucket, n  (bucket b = [2^(b/4), 2^((b+1)/4)) ms)
LATENCY = [
    ("2026-11-11 12:00", "RTP", 40, 18),
    ("2026-11-11 13:00", "RTP", 44, 2),  # 18 of 20 < 95%: p95 is bucket 44
    ("2026-11-10 10:00", "ACH", 60, 1),
]
# payments: id, client, rail, dc, txn_type, created, status, code, returned_at
PAYMENTS = [
    (1, "alpha", "ACH", "debit", "PPD", "2026-10-01 12:00", "completed", None, None),
    (2, "alpha", "ACH", "debit", "PPD", "2026-10-02 12:00", "returned", "R10", "2026-11-10 12:00"),
    (3, "alpha", "ACH", "debit", "WEB", "2026-11-03 12:00", "returned", "R03", "2026-11-05 12:00"),
    (4, "alpha", "ACH", "debit", "RCK", "2026-10-05 12:00", "returned", "R01", "2026-10-08 12:00"),
    (5, "alpha", "ACH", "credit", "PPD", "2026-10-05 12:00", "returned", "R01", "2026-10-08 12:00"),
    (6, "beta", "ACH", "debit", "CCD", "2026-09-12 12:00", "returned", "R01", "2026-09-20 12:00"),
    (7, "beta", "ACH", "debit", "PPD", "2026-11-10 12:00", "completed", None, None),
    (8, "beta", "ACH", "debit", "PPD", "2026-11-16 00:00", "completed", None, None),
    (9, "alpha", "RTP", "credit", "P2P", "2026-11-11 12:00", "completed", None, None),
    (10, "alpha", "RTP", "credit", "P2P", "2026-11-12 12:00", "pending", None, None),
    (11, "beta", "RTP", "credit", "P2P", "2026-11-13 12:00", "completed", None, None),
    (12, "beta", "RTP", "credit", "P2P", "2026-11-14 12:00", "completed", None, None),
    (13, "alpha", "RTP", "credit", "P2P", "2026-11-04 12:00", "completed", None, None),
    (14, "gamma", "ACH", "debit", "PPD", "2026-10-20 12:00", "completed", None, None),
]
# dispute_cases: id, rail, outcome, amount, currency, closed_at
CASES = [
    (1, "RTP", "won", 10_000, "USD", "2026-11-10 12:00"),
    (2, "RTP", "lost", 30_000, "USD", "2026-11-12 12:00"),
    (3, "ACH", "expired", 10_000, "USD", "2026-11-15 23:59"),
    (4, "ACH", "accepted", 50_000, "USD", "2026-11-11 12:00"),
    (5, "SEPA_INST", "won", 99_999, "EUR", "2026-11-11 12:00"),
    (6, "RTP", "won", 20_000, "USD", "2026-11-16 00:00"),  # W47
    (7, "RTP", "won", 5_000, "USD", "2026-11-04 12:00"),  # W45
]
# dispute_deadlines: case, party, network_due, done_at, late
DEADLINES = [
    (1, "us", "2026-11-10", "2026-11-09 12:00", False),
    (2, "us", "2026-11-11", "2026-11-12 12:00", True),  # answered late: missed
    (3, "us", "2026-11-12", None, None),  # never answered, past due by NOW: missed
    (4, "us", "2026-11-13", "2026-11-14 00:00", True),  # conceded on purpose: not missed
    (1, "counterparty", "2026-11-13", None, None),  # theirs, not ours
    (7, "us", "2026-11-16", None, None),  # W47
    (7, "us", "2026-11-05", "2026-11-06 12:00", True),  # W45: missed
]
# recon_ledger_state: payment, state
LEDGER_STATE = [
    (3, "matched"),
    (13, "break"),
    (7, "matched"),
    (9, "break"),
    (10, "in_flight"),
    (11, "resolved"),
    (12, "matched"),
    (14, "linked"),  # linked (a return to its original) is not judged
]
# recon_breaks: id, rail, category, status, item_date, detected_at, resolved_at, sla_due_at
BREAKS = [
    (1, "RTP", "missing_at_bank", "open", "2026-11-11", "2026-11-12 00:00", None,
     "2026-11-14 00:00"),
    (2, "RTP", "unknown_bank_item", "investigating", "2026-11-14", "2026-11-15 00:00", None,
     "2026-11-17 00:00"),
    (3, None, "unexplained_balance", "open", "2026-11-15", "2026-11-15 12:00", None,
     "2026-11-18 00:00"),
    (4, "ACH", "amount_mismatch", "resolved", "2026-10-31", "2026-11-01 00:00", "2026-11-10 00:00",
     "2026-11-05 00:00"),
    (5, "ACH", "fee_variance", "written_off", "2026-11-06", "2026-11-12 00:00", "2026-11-12 12:00",
     "2026-11-12 20:00"),
    (6, "RTP", "duplicate", "resolved", "2026-11-05", "2026-11-13 00:00", "2026-11-14 00:00",
     "2026-11-13 12:00"),
    (7, "ACH", "late_settlement", "resolved", "2026-11-01", "2026-11-02 00:00", "2026-11-03 00:00",
     "2026-11-04 00:00"),
    (8, "ACH", "status_mismatch", "resolved", "2026-09-30", "2026-10-01 00:00", "2026-11-16 00:00",
     "2026-10-04 00:00"),
]  # fmt: skip


def _ts(text: str | None) -> str | None:
    return None if text is None else f"{text}:00+00"


def seed_ledger(cur) -> None:
    for rail, name, currency in RAILS:
        cur.execute(
            "INSERT INTO rails (rail_id, name, currency, settlement_model, operating_hours,"
            " calendar, expected_final_seconds, stuck_after_seconds, settlement_lag_days,"
            " code_scheme, source, effective_from)"
            " VALUES (?, ?, ?, 'gross', '24x7', '24x7', 5, 60, 0, 'x', 'test', '2020-01-01')",
            [rail, name, currency],
        )
        cur.execute(
            "INSERT INTO partners VALUES (?, ?, 'bank', 'US')", [f"P_{rail}", f"{rail} bank"]
        )
    for code, category in CODES:
        cur.execute(
            "INSERT INTO codes (scheme, code, title, category, source, effective_from)"
            " VALUES ('nacha_return', ?, ?, ?, 'test', '2020-01-01')",
            [code, code, category],
        )
    for cid, name in CLIENTS:
        cur.execute("INSERT INTO clients VALUES (?, ?, 'test', 'US', '2024-01-01')", [cid, name])
    for hour, rail, cur_, pay, ok, failed, ret, pend, amount in HOURLY:
        cur.execute(
            "INSERT INTO rollup_hourly VALUES (?, ?, ?, 'alpha', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_ts(hour), rail, f"P_{rail}", cur_, pay, pay, ok, failed, ret, pend, amount, 0],
        )
    for hour, rail, bucket, n in LATENCY:
        cur.execute(
            "INSERT INTO rollup_latency VALUES (?, ?, ?, ?, ?)",
            [_ts(hour), rail, f"P_{rail}", bucket, n],
        )
    for pid, client, rail, dc, txn, created, status, code, returned in PAYMENTS:
        cur.execute(
            "INSERT INTO payments (payment_id, original_payment_id, original_created_at,"
            " client_id, rail_id, partner_id, direction, dc, txn_type, amount_minor, currency,"
            " created_at, status, returned_at, code_scheme, code)"
            " VALUES (?, ?, ?, ?, ?, ?, 'pull', ?, ?, 1000, 'USD', ?, ?, ?, ?, ?)",
            [pid, pid, _ts(created), client, rail, f"P_{rail}", dc, txn, _ts(created), status,
             _ts(returned), "nacha_return" if code else None, code],
        )  # fmt: skip
    cur.execute("UPDATE data_version SET as_of = ?", [NOW])


def seed_disputes(cur) -> None:
    for cid, rail, outcome, amount, currency, closed in CASES:
        cur.execute(
            "INSERT INTO dispute_cases (case_id, network, client_id, rail_id, rights,"
            " reason_code, reason_category, rule_category, stage, stage_started_on, status,"
            " outcome, amount_disputed_minor, currency, opened_at, closed_at, source)"
            " VALUES (?, 'reg_e', 'alpha', ?, 'full', 'x', 'x', 'x', 'notice', '2026-10-01',"
            " 'closed', ?, ?, ?, '2026-10-01 00:00:00+00', ?, 'manual')",
            [cid, rail, outcome, amount, currency, _ts(closed)],
        )
    for case, party, due, done, late in DEADLINES:
        cur.execute(
            "INSERT INTO dispute_deadlines (case_id, stage, rule_id, party, action, start_on,"
            " network_due, internal_due, calendar, uncertain, computed_at, done_at, late)"
            " VALUES (?, 'notice', 'R', ?, 'respond', '2026-10-01', ?, ?, 'US_FED', FALSE,"
            " '2026-10-01 00:00:00+00', ?, ?)",
            [case, party, due, due, _ts(done), late],
        )


def seed_recon(cur) -> None:
    cur.execute(
        "INSERT INTO recon_runs (started_at, as_of, actor, status)"
        " VALUES ('2026-11-20 00:00:00+00', '2026-11-20 00:00:00+00', 'test', 'done')"
    )
    for pid, state in LEDGER_STATE:
        # recon_ledger_state is a view over these tables (migration 051)
        cur.execute("INSERT INTO recon_ledger_exc (payment_id, state, run_id) VALUES (?, ?, 1)",
                    [pid, state])  # fmt: skip
    for bid, rail, category, status, item, detected, resolved, due in BREAKS:
        cur.execute(
            "INSERT INTO recon_breaks (break_id, break_key, category, side, rail_id, currency,"
            " exposure_minor, exposure_usd_minor, field, detail, item_date, detected_at,"
            " first_run_id, last_run_id, severity, sla_due_at, queue, status, resolved_at)"
            " VALUES (?, ?, ?, 'ledger', ?, 'USD', 500, 500, 'amount', 'd', ?, ?, 1, 1, 'low',"
            " ?, 'q', ?, ?)",
            [bid, f"k{bid}", category, rail, item, _ts(detected), _ts(due), status, _ts(resolved)],
        )


@pytest.fixture(scope="module")
def world():
    """Ledger, disputes and reconciliation: every KPI is available. Read it, never write."""
    db = open_db(":memory:")
    with db.transaction() as cur:
        seed_ledger(cur)
        seed_disputes(cur)
        seed_recon(cur)
    yield db
    db.close()


@pytest.fixture
def ledger_only():
    """Only the ledger: the dispute and reconciliation tables exist but are empty."""
    db = open_db(":memory:")
    with db.transaction() as cur:
        seed_ledger(cur)
    yield db
    db.close()
