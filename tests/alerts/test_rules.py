"""The rule table: every row valid and cited, every rule has a detector, the most specific
row in force wins."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ops_core.alerts import detectors as detect_module
from ops_core.alerts import rules
from ops_core.errors import ConfigError

HEADER = ",".join(rules.COLUMNS)


def test_every_row_loads_and_cites_a_source():
    rows = rules.settings()
    assert {s.rule_id for s in rows} == set(rules.RULES)
    assert all(len(s.source) > 20 for s in rows)


def test_every_rule_has_a_detector():
    assert set(detect_module._detectors(lambda: None, lambda ctx: None)) == set(rules.RULES)


@pytest.mark.parametrize(
    ("rule_id", "rail", "partner", "threshold", "unit", "enabled"),
    [
        ("stuck", "RTP", "LAKESHORE", 60, "seconds", True),
        ("stuck", "ACH", "MERIDIAN", 2, "banking_days", True),
        ("stuck", "USDC", "KEYSTONE", 256, "confirmations", True),
        ("stuck", "SPEI", "ALTAVISTA", 300, "seconds", True),
        ("success_drop", "RTP", "LAKESHORE", 5, "pp", True),
        ("success_drop", "ACH", "LAKESHORE", 5, "pp", False),  # the ACH row beats '*'
        ("latency_spike", "VISA_DIRECT", "VISA", 3, "ratio", True),
        ("latency_spike", "ACH", "MERIDIAN", 3, "ratio", False),
        ("nacha_unauthorized", "ACH", "*", 0.8, "share_of_limit", True),
        ("dispute_deadline", "*", "*", 2, "banking_days", True),
    ],
)
def test_the_most_specific_row_wins(rule_id, rail, partner, threshold, unit, enabled):
    s = rules.setting_for(rule_id, rail, partner, date(2026, 11, 20))
    assert (s.threshold, s.unit, s.enabled) == (threshold, unit, enabled)


def test_a_row_not_yet_in_force_is_ignored():
    assert rules.setting_for("stuck", "RTP", "LAKESHORE", date(2025, 1, 1)) is None
    assert rules.setting_for("nacha_overall", "ACH", "*", date(2015, 9, 18)) is not None


BAD_ROWS = [
    ("nope,*,*,true,1,,count,1,,1,1,,2026-01-01,src", "unknown rule 'nope'"),
    ("stuck,RTP,*,true,1,,pp,1,,1,1,,2026-01-01,src", "does not measure in 'pp'"),
    ("stuck,RTP,*,maybe,1,,seconds,1,,1,1,,2026-01-01,src", "expected true or false"),
    ("stuck,RTP,*,true,x,,seconds,1,,1,1,,2026-01-01,src", "expected a number"),
    ("stuck,USDC,*,true,9,,confirmations,1,,1,1,,2026-01-01,src", "needs unit_seconds"),
    ("stuck,RTP,*,true,1,,seconds,1,,1,1,,2026-13-01,src", "expected a date"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_bad_rows_are_refused_with_file_and_line(tmp_path: Path, monkeypatch, row, message):
    path = tmp_path / "alert_rules.csv"
    path.write_text(f"{HEADER}\n{row}\n")
    monkeypatch.setattr(rules, "RULES_CSV", path)
    rules.settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match=message) as err:
            rules.settings()
        assert "line 2" in str(err.value)
    finally:
        rules.settings.cache_clear()


def test_missing_sources_names_the_missing_table(empty_db):
    cur = empty_db.cursor()
    for rule in rules.RULES.values():  # every source table exists after the migrations
        assert rules.missing_sources(cur, rule) is None, rule.rule_id
    future = rules.Rule("x", "", "", (), requires=(("chargeback_feed", ("case_id",)),))
    assert rules.missing_sources(cur, future) == "table chargeback_feed does not exist yet"
    cur.execute("CREATE TABLE chargeback_feed (other BIGINT)")
    assert rules.missing_sources(cur, future) == "table chargeback_feed lacks columns ['case_id']"
