"""The ledger side staged once (migration 061) and the exact pass's pairs kept (062): a run
stages only the payments nobody has staged, forgets those that are gone, and stages
everything again when a rule or a calendar the staged rows depend on changes; it pairs again
only the references of what arrived since the pairs were made, and everything when an item
went away or a rule changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ops_core import recon
from ops_core.ingest.loader import load_file
from ops_core.recon import engine, rules
from tests.ingest.test_ledger import GOOD
from tests.recon.conftest import AS_OF, World
from tests.recon.test_golden import MON, THU, TUE, cover_ach

EARLY = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)  # the day before the new rule
STAGED = "SELECT rowid, * FROM recon_ledger_items ORDER BY payment_id"
STATES = "SELECT * EXCLUDE (run_id) FROM recon_ledger_state ORDER BY payment_id"


def two_entries(world: World) -> tuple[int, int]:
    fid = world.file("lakeshore-a.bai2")
    cover_ach(world, fid, MON, THU)
    on_time = world.payment(trace="071000010000060", amount=20_000, day=MON)
    world.bank_line(fid, amount=20_000, ref="071000010000060", day=MON, line=50)
    late = world.payment(trace="071000010000061", amount=30_000, day=MON)
    world.bank_line(fid, amount=30_000, ref="071000010000061", day=THU, line=51)
    return on_time, late


def test_a_rerun_stages_nothing_and_a_new_payment_alone(world: World):
    on_time, _ = two_entries(world)
    world.run()
    first = world.query(STAGED)
    assert on_time in first.payment_id.tolist()
    rerun = world.run()
    assert rerun.inputs["ledger_items"] == len(first)
    assert (rerun.inputs["pairs_made"], rerun.inputs["pair_rows_made"]) == ("changed", 0)
    assert first.equals(world.query(STAGED))  # same rows, not written again
    fid = world.file("lakeshore-b.bai2")
    new = world.payment(trace="071000010000062", amount=5_000, day=TUE)
    world.bank_line(fid, amount=5_000, ref="071000010000062", day=TUE)
    result = world.run()
    assert (result.inputs["pairs_made"], result.inputs["pair_rows_made"]) == ("changed", 1)
    now = world.query(STAGED)
    assert now[now.payment_id != new].reset_index(drop=True).equals(first)
    assert world.ledger_state(new) == "matched"


def test_a_gone_payment_is_forgotten(world: World):
    on_time, _ = two_entries(world)
    world.run()
    with world.db.transaction() as cur:
        cur.execute("DELETE FROM payments WHERE payment_id = ?", [on_time])
    assert world.run().inputs["pairs_made"] == "all"  # an item went away: pair everything
    assert on_time not in world.query(STAGED).payment_id.tolist()
    assert world.query("SELECT * FROM recon_ledger_state WHERE payment_id = ?", on_time).empty
    ext = world.query(
        "SELECT s.state, s.category FROM recon_ext_state AS s"
        " JOIN recon_ext_items AS e USING (ext_id) WHERE e.ref = '071000010000060'"
    )
    assert ext.values.tolist() == [["break", "unknown_bank_item"]]


def test_a_changed_rule_restages_every_payment(world: World, tmp_path: Path):
    _, late = two_entries(world)
    world.run()
    assert world.ledger_state(late) == "break"  # booked Thursday: late after 1 banking day
    staged = world.query(STAGED)
    text = rules.RULES_CSV.read_text()
    header, *rows = text.splitlines()
    at = header.split(",").index("late_after_days")
    edited = []
    for row in rows:
        cells = row.split(",")
        if cells[0] == "EXACT-ACH-BANK":
            cells[at] = "5"
        edited.append(",".join(cells))
    path = tmp_path / "recon_rules.csv"
    path.write_text("\n".join([header, *edited]) + "\n")
    result = recon.run(world.db, as_of=AS_OF, files=rules.RuleFiles(rules=path))
    assert result.inputs["pairs_made"] == "all"
    again = world.query(STAGED)
    assert set(again.payment_id) == set(staged.payment_id)
    assert not set(again.rowid) & set(staged.rowid)  # every row written again
    assert world.ledger_state(late) == "matched"
    recon.run(world.db, as_of=AS_OF)  # and back
    assert world.ledger_state(late) == "break"


def test_a_loaded_ledger_file_is_staged_at_load_and_a_run_agrees(world: World):
    world.payment(trace="071000010000060", day=MON)
    world.run()  # syncs the rule tables: from then on the loader stages
    loaded = load_file(world.db, GOOD, name="ledger.csv", format="ledger_csv", actor="t")
    at_load = world.query(STAGED)
    assert len(at_load) == 1 + loaded.rows  # staged in the load's own transaction
    states = world.query(STATES)
    result = world.run()
    assert result.inputs["ledger_items"] == len(at_load)
    assert world.query(STAGED).equals(at_load)  # the run staged nothing again
    ran = world.query(STATES)
    engine.reset(world.db)  # forgets the staging: the run stages every payment itself
    world.run()
    assert world.query(STATES).equals(ran)
    again = world.query(STAGED).drop(columns=["rowid", "seq"])
    assert again.equals(at_load.drop(columns=["rowid", "seq"]))  # staged again, later
    assert len(states) == 1  # the loaded payments have no state before a run


def test_a_new_duplicate_of_a_matched_line_is_paired_with_its_reference(world: World):
    on_time, _ = two_entries(world)
    world.run()
    assert world.ledger_state(on_time) == "matched"
    fid = world.file("lakeshore-b.bai2")
    world.bank_line(fid, amount=20_000, ref="071000010000060", day=MON, line=7)
    result = world.run()
    # the kept pair and the new line share the reference: both are paired again
    assert (result.inputs["pairs_made"], result.inputs["pair_rows_made"]) == ("changed", 2)
    assert world.ledger_state(on_time) == "matched"
    ext = world.query(
        "SELECT s.state, s.category FROM recon_ext_state AS s"
        " JOIN recon_ext_items AS e USING (ext_id) WHERE e.ref = '071000010000060'"
        " ORDER BY e.ext_id"
    )
    assert ext.values.tolist() == [["matched", None], ["break", "duplicate"]]
    opened = world.open_breaks()
    assert opened[opened.category == "duplicate"].shape[0] == 1


def test_a_removed_file_pairs_everything_again(world: World):
    two_entries(world)
    late = world.file("lakeshore-b.bai2")
    world.bank_line(late, amount=1_234, ref="071000010009999", day=MON)
    world.run()
    with world.db.transaction() as cur:
        cur.execute("DELETE FROM bank_statement_lines WHERE source_file_id = ?", [late])
    with world.db.transaction() as cur:
        cur.execute("DELETE FROM source_files WHERE file_id = ?", [late])
    result = world.run()
    assert result.inputs["pairs_made"] == "all"
    assert (
        world.query(
            "SELECT count(*) AS n FROM recon_pairs WHERE ext_id // 10000000000 = ?", late
        ).n[0]
        == 0
    )


def test_a_rule_coming_into_force_restages_and_pairs_everything(world: World, tmp_path: Path):
    _, late = two_entries(world)
    header, *rows = rules.RULES_CSV.read_text().splitlines()
    names = header.split(",")
    (base,) = [row for row in rows if row.startswith("EXACT-ACH-BANK,")]
    cells = base.split(",")
    cells[0] = "EXACT-ACH-BANK-2026"
    cells[names.index("priority")] = "5"  # wins over EXACT-ACH-BANK once in force
    cells[names.index("late_after_days")] = "5"
    cells[-1] = AS_OF.date().isoformat()  # effective_from
    path = tmp_path / "recon_rules.csv"
    path.write_text("\n".join([header, *rows, ",".join(cells)]) + "\n")
    files = rules.RuleFiles(rules=path)
    before = recon.run(world.db, as_of=EARLY, files=files)
    assert world.ledger_state(late) == "break"  # the old rule: late after 1 banking day
    after = recon.run(world.db, as_of=AS_OF, files=files)
    assert (before.inputs["pairs_made"], after.inputs["pairs_made"]) == ("all", "all")
    assert world.ledger_state(late) == "matched"
    rule = world.query("SELECT rule_id FROM recon_ledger_state WHERE payment_id = ?", late)
    assert rule.rule_id.tolist() == ["EXACT-ACH-BANK-2026"]


def test_rows_staged_before_their_numbering_do_not_make_every_run_pair_all(world: World):
    two_entries(world)
    world.run()
    with world.db.transaction() as cur:  # a database migrated from 061: no numbers, no pairs
        cur.execute("UPDATE recon_ledger_items SET seq = NULL")
        cur.execute("DELETE FROM recon_pairs_basis")
    assert world.run().inputs["pairs_made"] == "all"
    again = world.run()
    assert (again.inputs["pairs_made"], again.inputs["pair_rows_made"]) == ("changed", 0)
