"""Amount bands (migration 057): routing_payments compares each amount with the band bounds
converted once per reference rate; the band must be exactly the one floor(amount * rate) in
whole USD cents falls in, at every bound, for any rate the rate table can hold."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor

import pandas as pd

from ops_core.db import Database
from tests.routing.ledger import COLUMNS

# usd_minor_per_minor (DECIMAL(24, 12)) per made-up currency: zero, the smallest step, the
# demo's kinds of rates, awkward fractions, and a rate far above one
RATES = {
    "ZER": "0",
    "TNY": "0.000000000001",
    "ONE": "1",
    "EUR": "1.08",
    "MXN": "0.055",
    "ODD": "0.012345678901",
    "KWD": "0.325403000000",
    "BIG": "123456.789012345678",
}
BIGINT_MAX = 2**63 - 1


def _band(bands: list[tuple[str, int, int | None]], cents: int) -> str:
    for band, lower, upper in bands:
        if lower <= cents and (upper is None or cents < upper):
            return band
    return "unbanded"


def test_the_band_is_the_one_of_the_floored_usd_cents_at_every_bound(tiny: Database):
    cur = tiny.cursor()
    bands = cur.execute(
        "SELECT band, lower_usd_minor, upper_usd_minor FROM amount_bands ORDER BY sort_order"
    ).fetchall()
    bounds = sorted({b[1] for b in bands} | {b[2] for b in bands if b[2] is not None})
    cur.execute("DELETE FROM fx_reference_rates")
    cur.executemany(
        "INSERT INTO fx_reference_rates VALUES (?, DATE '2020-01-01', NULL, 1, ?, 'test')",
        [(c, r) for c, r in RATES.items()],
    )
    when = datetime(2026, 1, 5, 15, tzinfo=UTC)
    rows, expected = [], {}
    for currency, text in RATES.items():
        rate = Fraction(Decimal(text))
        amounts = {1, 99, 10**12, BIGINT_MAX}  # the ledger holds positive amounts
        for lower in bounds:
            if rate:
                edge = ceil(Fraction(lower) / rate)  # the first amount whose cents reach it
                amounts |= {a for a in (edge - 1, edge, edge + 1) if 0 < a <= BIGINT_MAX}
        for amount in sorted(amounts):
            pid = len(rows) + 1
            rows.append(
                (pid, pid, 1, when, "us1", "RTP", "TCH", "push", "credit", amount, currency,
                 when, when, "completed")
            )  # fmt: skip
            expected[pid] = _band(bands, floor(amount * rate))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    cur.register("band_rows", frame)
    cur.execute("INSERT INTO payments BY NAME SELECT * FROM band_rows")
    got = dict(cur.execute("SELECT original_payment_id, band FROM routing_payments").fetchall())
    assert len(got) == len(expected) > 100
    wrong = {pid: (rows[pid - 1][9], rows[pid - 1][10], got[pid], want)
             for pid, want in expected.items() if got[pid] != want}  # fmt: skip
    assert not wrong
    # every band is reached by some rate and amount, and a rate of zero puts all in the first
    assert set(expected.values()) >= {b[0] for b in bands}
    zero = [got[pid] for pid, row in enumerate(rows, 1) if row[10] == "ZER"]
    assert set(zero) == {bands[0][0]}
