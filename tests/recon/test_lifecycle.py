"""Runs over time: idempotent reruns, incremental staging, breaks closed with their reason when
new files make them match, reopened when the file goes, escalated past their SLA, and a
person's resolution respected by later runs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from ops_core import recon
from ops_core.errors import OpsError
from ops_core.recon import breaks, rules
from tests.recon.conftest import World
from tests.recon.test_golden import MON, THU, TUE, cover_ach

EARLY = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)  # before the missing entry's SLA ran out


def missing_entry(world: World) -> int:
    fid = world.file("lakeshore-a.bai2")
    cover_ach(world, fid, MON, THU)
    return world.payment(trace="071000010000060", amount=20_000, day=MON)


def test_rerun_is_idempotent(world: World):
    missing_entry(world)
    first = world.run(EARLY)
    states = world.query("SELECT * EXCLUDE (run_id) FROM recon_ledger_state ORDER BY 1")
    before = world.breaks()
    second = world.run(EARLY)
    assert second.counts["breaks"] == {**first.counts["breaks"], "new": 0}
    assert second.inputs["files_staged"] == 0 and second.inputs["items_staged"] == 0
    after = world.query("SELECT * EXCLUDE (run_id) FROM recon_ledger_state ORDER BY 1")
    assert states.equals(after)
    cols = ["break_id", "break_key", "status", "version", "severity", "detail"]
    assert before[cols].equals(world.breaks()[cols])
    runs = world.query("SELECT run_id, status, inputs, counts FROM recon_runs ORDER BY run_id")
    assert runs.status.tolist() == ["done", "done"]
    assert json.loads(runs.counts[1])["ledger"] == {"break": 1, "matched": 2}


def test_a_new_file_closes_the_break_with_the_reason(world: World):
    pid = missing_entry(world)
    world.run(EARLY)
    (break_id,) = world.open_breaks().break_id
    late = world.file("lakeshore-b.bai2")
    world.bank_line(late, amount=20_000, ref="071000010000060", day=MON)
    result = world.run(EARLY)
    assert result.inputs["files_staged"] == 1 and result.counts["breaks"]["closed"] == 1
    b = world.breaks().iloc[0]
    assert (b.status, b.resolution_category, b.resolved_by) == (
        "resolved",
        "auto_cleared",
        "reconciliation engine",
    )
    assert b.closed_reason.startswith("now matched by EXACT-ACH-BANK with external item")
    assert world.ledger_state(pid) == "matched"
    trail = world.query(
        "SELECT actor, field, old_value, new_value FROM audit_log"
        " WHERE entity_id = ? ORDER BY audit_id",
        str(break_id),
    )
    assert trail[trail.field == "status"].values.tolist() == [
        ["reconciliation engine", "status", None, "open"],
        ["reconciliation engine", "status", "open", "resolved"],
    ]


def test_a_removed_file_reopens_the_break(world: World):
    missing_entry(world)
    world.run(EARLY)
    late = world.file("lakeshore-b.bai2")
    world.bank_line(late, amount=20_000, ref="071000010000060", day=MON)
    world.run(EARLY)
    with world.db.transaction() as cur:
        cur.execute("DELETE FROM bank_statement_lines WHERE source_file_id = ?", [late])
    with world.db.transaction() as cur:
        cur.execute("DELETE FROM source_files WHERE file_id = ?", [late])
    result = world.run(EARLY)
    assert result.counts["breaks"]["reopened"] == 1
    b = world.breaks().iloc[0]
    assert (b.status, b.resolution_category, b.version) == ("open", None, 3)


def test_escalation_when_the_sla_is_breached(world: World):
    missing_entry(world)  # 200.00 USD: low, 72 h from 10 March 00:00 (the day after it was due)
    world.run(EARLY)
    b = world.breaks().iloc[0]
    assert (b.status, b.severity, str(b.sla_due_at)) == ("open", "low", "2026-03-13 00:00:00+00:00")
    result = world.run(datetime(2026, 3, 13, 9, 0, tzinfo=UTC))
    assert result.counts["breaks"]["escalated"] == 1
    b = world.breaks().iloc[0]
    assert (b.status, b.queue, b.version) == ("escalated", "recon-leads", 2)


def test_severity_rises_with_age(world: World):
    missing_entry(world)
    world.run(EARLY)
    assert world.breaks().severity[0] == "low"
    world.run(datetime(2026, 3, 20, 9, 0, tzinfo=UTC))  # 11 days old: break_sla.csv age 8+
    assert world.breaks().severity[0] == "medium"


def test_a_person_resolution_survives_later_runs(world: World):
    pid = missing_entry(world)
    world.run(EARLY)
    b = world.breaks().iloc[0]
    breaks.edit(
        world.db,
        int(b.break_id),
        expected_version=int(b.version),
        actor="Priya",
        status="written_off",
        notes="below our write-off threshold",
    )
    result = world.run(EARLY)
    after = world.breaks().iloc[0]
    assert (after.status, after.resolution_category) == ("written_off", "written_off")
    assert world.ledger_state(pid) == "resolved" and result.counts["ledger"]["resolved"] == 1


def test_a_failed_run_is_recorded_and_changes_nothing(world: World, tmp_path):
    missing_entry(world)
    bad = tmp_path / "rules.csv"
    bad.write_text("rule_id\nX\n")
    with pytest.raises(OpsError, match="header"):
        recon.run(world.db, as_of=EARLY, files=rules.RuleFiles(rules=bad))
    runs = world.query("SELECT status, message FROM recon_runs")
    assert runs.status.tolist() == ["failed"] and "header" in runs.message[0]
    assert world.breaks().empty


def test_pending_payments_judged_against_their_creation_day(world: World):
    fid = world.file("fednow.xml", "iso20022")
    world.payment(rail="FEDNOW", partner="MERIDIAN", e2e="F0", day=MON)
    world.status(fid, e2e="F0", day=MON, path="/D/T[1]")
    world.status(fid, e2e="OTHER", day=THU, path="/D/T[2]")
    stuck = world.payment(rail="FEDNOW", partner="MERIDIAN", status="pending", e2e="F1", day=TUE)
    world.run()
    assert world.ledger_state(stuck) == "break"
    b = world.open_breaks()
    assert "pending since 2026-03-10" in b[b.category == "missing_at_bank"].detail.iloc[0]


def test_the_demo_wiring_runs_and_tells_a_story(world: World):
    from ops_core.recon.demo import run_demo

    fid = world.file("lakeshore.bai2")
    world.payment(trace="071000010000070", dc="debit", amount=10_000, day=MON)
    world.bank_line(fid, amount=9_750, dc="credit", ref="071000010000070", day=MON)
    summary = run_demo(world.db, datetime.combine(date(2026, 3, 13), datetime.min.time(), UTC))
    assert summary["counts"]["breaks"]["new"] == 1 and len(summary["story"]) == 1
    b = world.breaks().iloc[0]
    assert (b.status, b.assignee) == ("investigating", "demo operator") and "2.50" in b.notes
