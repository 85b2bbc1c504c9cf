"""A tiny hand-made ledger for the dispute tests: two clients, card, ACH and RTP payments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

T0 = datetime(2026, 10, 1, 15, 0, tzinfo=UTC)

PAYMENTS = [
    # id, client, rail, direction, dc, txn_type, amount, status, code, trace, created, returned
    (
        1,
        "alpha",
        "VISA_DIRECT",
        "pull",
        "debit",
        "AFT",
        12_500,
        "completed",
        None,
        None,
        "2026-10-01 15:00",
        None,
    ),
    (
        2,
        "alpha",
        "VISA_DIRECT",
        "push",
        "credit",
        "OCT",
        8_000,
        "completed",
        None,
        None,
        "2026-10-01 16:00",
        None,
    ),
    (
        3,
        "beta",
        "ACH",
        "pull",
        "debit",
        "PPD",
        30_000,
        "returned",
        "R10",
        "071000010000003",
        "2026-09-01 14:00",
        "2026-09-20 14:00",
    ),
    (
        4,
        "beta",
        "ACH",
        "pull",
        "debit",
        "CCD",
        45_000,
        "returned",
        "R29",
        "071000010000004",
        "2026-10-01 14:00",
        "2026-10-16 14:00",
    ),
    (
        5,
        "beta",
        "ACH",
        "pull",
        "debit",
        "PPD",
        10_000,
        "returned",
        "R01",
        "071000010000005",
        "2026-10-01 14:00",
        "2026-10-05 14:00",
    ),
    (
        6,
        "alpha",
        "RTP",
        "push",
        "credit",
        "P2P",
        20_000,
        "completed",
        None,
        None,
        "2026-10-02 10:00",
        None,
    ),
    (
        7,
        "beta",
        "MC_MOVE",
        "pull",
        "debit",
        "AFT",
        9_900,
        "completed",
        None,
        None,
        "2026-10-03 10:00",
        None,
    ),
]


def load_ledger(cur) -> None:
    cur.execute(
        "INSERT INTO clients VALUES ('alpha', 'Alpha Pay', 'payouts', 'US', '2024-01-01'),"
        " ('beta', 'Beta Rent', 'property', 'US', '2026-08-01')"
    )
    for p in PAYMENTS:
        pid, client, rail, direction, dc, txn, amount, status, code, trace, created, returned = p
        cur.execute(
            "INSERT INTO payments (payment_id, original_payment_id, attempt_no,"
            " original_created_at, client_id, rail_id, partner_id, direction, dc, txn_type,"
            " amount_minor, currency, created_at, final_at, status, returned_at, code_scheme,"
            " code, ach_trace_number) VALUES (?, ?, 1, ?, ?, ?, 'P', ?, ?, ?, ?, 'USD', ?,"
            " CAST(? AS TIMESTAMPTZ) + INTERVAL 1 DAY, ?, ?, ?, ?, ?)",
            [
                pid,
                pid,
                created,
                client,
                rail,
                direction,
                dc,
                txn,
                amount,
                created,
                created,
                status,
                returned,
                "nacha_return" if code else None,
                code,
                trace,
            ],
        )
        cur.execute("INSERT INTO payment_events VALUES (?, 1, 'created', ?, NULL)", [pid, created])


@pytest.fixture
def ledger(empty_db):
    with empty_db.transaction() as cur:
        load_ledger(cur)
        from ops_core.reference.sync import sync_reference

        sync_reference(cur)
    return empty_db
