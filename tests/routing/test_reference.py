"""The routing rule tables: the CSVs load, agree with each other and with rails.csv, and a
bad row is rejected with its file and line; cut-off windows become the right instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ops_core.errors import ConfigError
from ops_core.routing import reference, windows


@pytest.fixture
def cur(tiny):
    return tiny.cursor()


def test_every_rule_table_loads(cur):
    counts = {
        t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in (
            "fee_schedule",
            "route_catalog",
            "route_windows",
            "amount_bands",
            "urgencies",
            "fx_reference_rates",
            "funding_currencies",
        )
    }
    assert counts["route_catalog"] == 13 and counts["urgencies"] == 3
    assert min(counts.values()) > 0


def test_every_route_has_one_fee_row_for_every_day_since_2020(cur):
    gaps = cur.execute(
        "SELECT rail_id, partner_id, service, effective_from, effective_to, next_from FROM ("
        " SELECT *, lead(effective_from) OVER (PARTITION BY rail_id, partner_id, service"
        "  ORDER BY effective_from) AS next_from,"
        "  row_number() OVER (PARTITION BY rail_id, partner_id, service"
        "  ORDER BY effective_from) AS k FROM fee_schedule)"
        " WHERE (k = 1 AND effective_from > DATE '2020-01-01')"
        " OR (next_from IS NULL AND effective_to IS NOT NULL)"
        " OR (next_from IS NOT NULL AND effective_to IS DISTINCT FROM next_from)"
    ).fetchall()
    assert gaps == []


def test_partner_limits_never_exceed_the_network_limit(cur):
    over = cur.execute(
        "SELECT k.* FROM route_catalog k JOIN rails r USING (rail_id)"
        " WHERE k.rail_limit_applies AND k.max_amount_minor > r.max_amount_minor"
    ).fetchall()
    assert over == []


def test_banking_day_rails_have_windows_and_24x7_rails_none(cur):
    rows = cur.execute(
        "SELECT r.rail_id, r.operating_hours, count(w.rail_id) FROM route_catalog k"
        " JOIN rails r USING (rail_id) LEFT JOIN route_windows w USING (rail_id, partner_id,"
        " service) GROUP BY ALL"
    ).fetchall()
    for rail, hours, n in rows:
        assert (n > 0) == (hours == "banking_days"), rail


@pytest.mark.parametrize(
    ("currency", "per_minor"),
    [("USD", "1"), ("USDC", "0.0001"), ("EUR", "1.08"), ("INR", "0.012"), ("MXN", "0.055")],
)
def test_reference_rates_are_usd_cents_per_minor_unit(cur, currency, per_minor):
    value = cur.execute(
        "SELECT usd_minor_per_minor FROM fx_reference_rates WHERE currency = ?", [currency]
    ).fetchone()[0]
    assert value == Decimal(per_minor)


FEE_HEADER = (
    "rail_id,partner_id,service,currency,fixed_fee_minor,bps,fx_spread_bps,network_fee_minor,"
    "gas_fee_minor,effective_from,effective_to,source\n"
)


@pytest.mark.parametrize(
    ("table", "text", "message"),
    [
        (
            "fee_schedule",
            FEE_HEADER + "RTP,X,express,USD,1,0,0,0,0,2020-01-01,,s\n",
            "line 2: field service is 'express'",
        ),
        (
            "fee_schedule",
            FEE_HEADER + "RTP,X,instant,USD,1,-2,0,0,0,2020-01-01,,s\n",
            "field bps is '-2'",
        ),
        (
            "fee_schedule",
            FEE_HEADER + "RTP,X,instant,USD,1,0,0,0,0,2021-01-01,2020-01-01,s\n",
            "effective_to must be after effective_from",
        ),
        (
            "fee_schedule",
            FEE_HEADER + "RTP,X,instant,XYZ,1,0,0,0,0,2020-01-01,,s\n",
            "unknown currency 'XYZ'",
        ),
        ("fee_schedule", "rail_id,partner_id\nRTP,X\n", "header is"),
        (
            "route_windows",
            "rail_id,partner_id,service,calendar,timezone,cutoff_local,settle_local,"
            "settle_offset_days,source\nACH,X,same_day,MOON,UTC,10:30,13:00,0,s\n",
            "unknown calendar 'MOON'",
        ),
        (
            "route_windows",
            "rail_id,partner_id,service,calendar,timezone,cutoff_local,settle_local,"
            "settle_offset_days,source\nACH,X,same_day,US_FED,UTC,25:30,13:00,0,s\n",
            "field cutoff_local is '25:30'",
        ),
    ],
)
def test_a_bad_row_names_its_file_and_line(tmp_path, table, text, message):
    path = tmp_path / "rules.csv"
    path.write_text(text)
    spec = next(t for t in reference.TABLES if t.name == table)
    with pytest.raises(ConfigError, match=message):
        reference.read_table(spec, path)


@pytest.mark.parametrize(
    ("table", "replace", "message"),
    [
        # a second Lakeshore RTP row overlapping the first
        ("fee_schedule", ("2026-10-01,,", "2026-09-01,,"), "overlap"),
        (
            "fee_schedule",
            ("RTP,MERIDIAN,instant,USD", "RTP,MERIDIAN,instant,EUR"),
            "in the rail's currency",
        ),
        ("amount_bands", ("small,$100 to $1K,100,", "small,$100 to $1K,150,"), "contiguous"),
    ],
)
def test_cross_row_rules_are_checked_on_sync(cur, tmp_path, table, replace, message):
    spec = next(t for t in reference.TABLES if t.name == table)
    text = spec.path.read_text()
    assert replace[0] in text
    path = tmp_path / spec.csv
    path.write_text(text.replace(*replace))
    with pytest.raises(ConfigError, match=message):
        reference.sync(cur, {table: path})


def test_window_instants_follow_daylight_saving_and_the_fed_calendar(cur):
    frame = cur.execute("SELECT * FROM route_windows").df()
    inst = windows.window_instants(frame, date(2026, 10, 30), date(2026, 11, 30))
    sda = inst[(inst.partner_id == "MERIDIAN") & (inst.service == "same_day")]
    cutoffs = set(sda.cutoff_at)
    # 10:30 ET is 14:30 UTC on Friday 2026-10-30 (EDT) and 15:30 UTC on Monday 11-02 (EST)
    assert datetime(2026, 10, 30, 14, 30, tzinfo=UTC) in cutoffs
    assert datetime(2026, 11, 2, 15, 30, tzinfo=UTC) in cutoffs
    days = {t.date() for t in sda.cutoff_at}
    # weekends, Veterans Day (11-11) and Thanksgiving (11-26) are not banking days
    for closed in (date(2026, 10, 31), date(2026, 11, 11), date(2026, 11, 26)):
        assert closed not in days
    assert len(sda) == 3 * len(days)
    # next-day: the 02:15 ET cut-off settles 08:30 ET the same banking day
    nxt = inst[(inst.partner_id == "MERIDIAN") & (inst.service == "next_day")].iloc[0]
    assert (nxt.settle_at - nxt.cutoff_at).total_seconds() == 6.25 * 3600


def test_banking_day_index_counts_banking_days(cur):
    days = windows.banking_days(["US_FED"], date(2026, 11, 6), date(2026, 11, 12))
    index = dict(zip(days.day, days.banking_day_index, strict=True))
    # Fri 6 (1), Sat 7 and Sun 8 share Friday's, Mon 9 (2), Tue 10 (3), Wed 11 closed, Thu 12
    assert [index[date(2026, 11, d)] for d in range(6, 13)] == [1, 1, 1, 2, 3, 3, 4]
