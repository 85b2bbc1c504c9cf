"""Golden cases on tiny hand-made worlds: each rule fires exactly where a person checking by
hand says it should, and stays quiet just below its threshold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ops_core.alerts import stuck
from ops_core.alerts.detectors import detect
from ops_core.reference.sync import sync_reference
from tests.alerts.conftest import T0, hours


@pytest.fixture
def world(empty_db):
    cur = empty_db.cursor()
    sync_reference(cur)
    cur.execute(
        "INSERT INTO partners VALUES ('LAKESHORE', 'Lakeshore Bank', 'bank', 'US'),"
        " ('KEYSTONE', 'Keystone Digital', 'psp', 'US'),"
        " ('ALTAVISTA', 'Banco Altavista', 'bank', 'MX')"
    )
    cur.execute(
        "INSERT INTO rail_partners VALUES ('RTP', 'LAKESHORE'), ('ACH', 'LAKESHORE'),"
        " ('USDC', 'KEYSTONE'), ('SPEI', 'ALTAVISTA')"
    )
    cur.execute(
        "INSERT INTO clients VALUES ('acme', 'Acme Payroll', 'payroll', 'US', '2025-01-01')"
    )
    return cur


_ids = iter(range(1, 10**6))


def payment(cur, rail, partner, created, final=None, amount=10_000, currency="USD"):
    pid = next(_ids)
    cur.execute(
        "INSERT INTO payments (payment_id, original_payment_id, original_created_at, client_id,"
        " rail_id, partner_id, direction, dc, amount_minor, currency, created_at, final_at, status)"
        " VALUES (?, ?, ?, 'acme', ?, ?, 'push', 'credit', ?, ?, ?, ?, ?)",
        [
            pid,
            pid,
            created,
            rail,
            partner,
            amount,
            currency,
            created,
            final,
            "pending" if final is None else "completed",
        ],
    )


def findings(cur, at, rule):
    found, skipped = detect(cur, [at], [rule])
    assert skipped == {}
    return found


# ---- stuck ----
@pytest.mark.parametrize(
    ("at", "n", "cut"),
    [
        # Thursday 2026-11-12 after Veterans Day (Wed 11-11, Fed closed): 2 banking days back
        # from Thu are Tue 11-10 and Mon 11-09; created before Mon 00:00 ET is stuck.
        (datetime(2026, 11, 12, 15, tzinfo=UTC), 2, datetime(2026, 11, 9, 5, tzinfo=UTC)),
        # Monday 2026-11-16: Fri 11-13, Thu 11-12 -> before Thu 00:00 ET
        (datetime(2026, 11, 16, 15, tzinfo=UTC), 2, datetime(2026, 11, 12, 5, tzinfo=UTC)),
        # on a Saturday the last banking day is Friday
        (datetime(2026, 11, 14, 15, tzinfo=UTC), 1, datetime(2026, 11, 12, 5, tzinfo=UTC)),
    ],
)
def test_ach_stuck_cut_counts_fed_banking_days(at, n, cut):
    assert stuck.banking_cut(at, n, "US_FED", "America/New_York") == cut


@pytest.mark.parametrize(
    ("unit", "threshold", "unit_seconds", "age"),
    [("seconds", 60, None, 60), ("confirmations", 256, 12, 3072)],
)
def test_stuck_cut_in_seconds_and_confirmations(unit, threshold, unit_seconds, age):
    cut = stuck.created_before(T0, unit, threshold, unit_seconds, "24x7", "UTC")
    assert (T0 - cut).total_seconds() == age


def test_stuck_rule_counts_pending_at_the_time(world):
    cur = world
    at = T0
    payment(cur, "RTP", "LAKESHORE", at - timedelta(seconds=61))  # stuck
    payment(cur, "RTP", "LAKESHORE", at - timedelta(seconds=59))  # not yet
    payment(cur, "RTP", "LAKESHORE", at - hours(1), final=at + hours(1))  # final after: stuck then
    payment(cur, "RTP", "LAKESHORE", at - hours(1), final=at - timedelta(minutes=5))  # done
    payment(cur, "USDC", "KEYSTONE", at - timedelta(minutes=50), currency="USDC")  # < 256 conf
    payment(cur, "USDC", "KEYSTONE", at - timedelta(minutes=52), currency="USDC")  # > 51.2 min
    f = findings(cur, at, "stuck").set_index("rail_id")
    assert f.loc["RTP", "value"] == 2 and f.loc["RTP", "impact_amount_minor"] == 20_000
    assert f.loc["USDC", "value"] == 1
    assert "256 confirmations (~51 min at 12 s a block)" in f.loc["USDC", "explanation"]
    assert "status=pending" in f.loc["RTP", "link"]


def test_stuck_ach_waits_for_banking_days(world):
    cur = world
    friday = datetime(2026, 11, 6, 20, tzinfo=UTC)  # Fri 15:00 ET
    payment(cur, "ACH", "LAKESHORE", friday)
    # Mon 11-09 and Tue 11-10 are 2 banking days; Wed 11-11 is Veterans Day; Thu is the 3rd.
    assert findings(cur, datetime(2026, 11, 11, 20, tzinfo=UTC), "stuck").empty
    f = findings(cur, datetime(2026, 11, 12, 14, tzinfo=UTC), "stuck")
    assert f.rule_id.tolist() == ["stuck"] and "2 banking days" in f.explanation.iat[0]


# ---- codes ----
def codes(cur, hour, rail, partner, scheme, code, n):
    cur.execute(
        "INSERT INTO rollup_codes VALUES (?, ?, ?, 'acme', 'failed', ?, ?, ?, ?)",
        [hour, rail, partner, scheme, code, n, n * 1000],
    )


def test_new_code_fires_on_a_code_never_seen_on_the_rail(world):
    cur = world
    for d in range(2, 20):  # the usual mix: AC04 every day
        codes(cur, T0 - timedelta(days=d), "SPEI", "ALTAVISTA", "spei_return", "01", 5)
    codes(cur, T0 - hours(1), "SPEI", "ALTAVISTA", "spei_return", "26", 3)  # threshold 3
    codes(cur, T0 - hours(1), "SPEI", "ALTAVISTA", "spei_return", "01", 2)
    f = findings(cur, T0, "new_code")
    assert f.subject.tolist() == ["26"] and f.value.tolist() == [3]
    assert "never seen on SPEI" in f.explanation.iat[0]
    assert findings(cur, T0, "code_spike").empty  # 01 is at its usual share


def test_new_code_stays_quiet_below_its_count(world):
    codes(world, T0 - hours(1), "SPEI", "ALTAVISTA", "spei_return", "26", 2)
    assert findings(world, T0, "new_code").empty


def test_code_spike_needs_ratio_volume_and_significance(world):
    cur = world
    for d in range(2, 29):
        codes(cur, T0 - timedelta(days=d), "RTP", "LAKESHORE", "iso20022", "AC04", 9)
        codes(cur, T0 - timedelta(days=d), "RTP", "LAKESHORE", "iso20022", "DS24", 1)
    codes(cur, T0 - hours(1), "RTP", "LAKESHORE", "iso20022", "DS24", 12)  # 10% -> 80%
    codes(cur, T0 - hours(1), "RTP", "LAKESHORE", "iso20022", "AC04", 3)
    f = findings(cur, T0, "code_spike")
    assert f.subject.tolist() == ["DS24"]
    assert f.value.iat[0] == pytest.approx(80.0) and f.baseline.iat[0] == pytest.approx(10.0)
    assert f.severity.iat[0] == "critical"  # 8x >= 6x


# ---- success rate and latency (hourly rollups, 4 prior weeks) ----
def hour_row(cur, hour, payments, succeeded, p95_bucket):
    cur.execute(
        "INSERT INTO rollup_hourly VALUES (?, 'RTP', 'LAKESHORE', 'acme', 'USD', ?, ?, ?, ?, 0,"
        " 0, ?, ?)",
        [
            hour,
            payments,
            payments,
            succeeded,
            payments - succeeded,
            payments * 100,
            succeeded * 100,
        ],
    )
    cur.execute(
        "INSERT INTO rollup_latency VALUES (?, 'RTP', 'LAKESHORE', ?, ?)",
        [hour, p95_bucket, payments],
    )


def test_success_drop_needs_two_bad_hours_and_resolves_on_a_good_one(world):
    cur = world
    for w in range(1, 5):  # same weekday and hours, 4 prior weeks: 100 of 100 succeed
        for h in range(3):
            hour_row(cur, T0 + hours(h) - timedelta(weeks=w), 100, 100, 40)
    hour_row(cur, T0, 100, 80, 40)  # 80%: 20 pp below
    hour_row(cur, T0 + hours(1), 100, 85, 40)
    hour_row(cur, T0 + hours(2), 100, 100, 40)
    assert findings(cur, T0 + hours(1), "success_drop").empty  # one bad hour
    f = findings(cur, T0 + hours(2), "success_drop")
    assert f.value.tolist() == [85.0] and f.severity.tolist() == ["critical"]  # 15 pp
    assert f.impact_count.tolist() == [35]  # failures over the two hours
    assert findings(cur, T0 + hours(3), "success_drop").empty


def test_latency_spike_against_the_median_p95(world):
    cur = world
    for w in range(1, 5):
        for h in range(2):
            hour_row(cur, T0 + hours(h) - timedelta(weeks=w), 50, 50, 40)  # 2^10 ms
    hour_row(cur, T0, 50, 50, 47)  # 2^(47.5/4) / 2^(40.5/4) = 3.4x
    hour_row(cur, T0 + hours(1), 50, 50, 47)
    f = findings(cur, T0 + hours(2), "latency_spike")
    assert len(f) == 1 and f.severity.iat[0] == "warning"
    assert f.value.iat[0] / f.baseline.iat[0] == pytest.approx(2 ** (7 / 4))
