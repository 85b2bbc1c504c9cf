"""Staging at load time (ops_core.recon.staging): the loader stages a file's rows in the file's
own transaction, and a run over them reaches exactly what it reaches when it stages the file
itself."""

from __future__ import annotations

import itertools
from datetime import date

from ops_core.db import MIGRATIONS_DIR, Database
from ops_core.ingest._common import ISO_4217_EXTRA
from ops_core.ingest.loader import load_file
from ops_core.money import EXPONENT
from ops_core.recon import engine
from ops_core.recon.staging import LOAD_RUN_ID
from tests.recon.conftest import World

MON = date(2026, 3, 9)
HEADER = (
    b"settlement_date,network,network_txn_id,txn_type,amount,currency,fee,interchange,net,"
    b"batch_id\n"
)
ROWS = (
    b"2026-03-10,VISA,N1,OCT,100.00,USD,0.35,0.10,-100.45,B1\n"  # the rule's fee: matched
    b"2026-03-10,VISA,N2,OCT,100.00,USD,0.99,0.10,-101.09,B1\n"  # a fee variance
    b"2026-03-10,VISA,N9,OCT,25.00,USD,0.28,0.10,-25.38,B1\n"  # unknown to the ledger
)
ITEMS = "SELECT * EXCLUDE (run_id) FROM recon_ext_items ORDER BY ext_id"
STATES = (
    "SELECT 'ledger' AS side, payment_id AS id, state, category FROM recon_ledger_state"
    " UNION ALL SELECT 'external', ext_id, state, category FROM recon_ext_state ORDER BY 1, 2"
)
BREAKS = "SELECT break_key, category, field, exposure_minor FROM recon_breaks ORDER BY 1"


def test_a_loaded_file_is_staged_at_load_and_a_run_agrees(world: World):
    world.payment(rail="VISA_DIRECT", partner="VISA", ntid="N1", day=MON)
    world.payment(rail="VISA_DIRECT", partner="VISA", ntid="N2", day=MON)
    world.run()  # the first run syncs the rule tables; from then on the loader stages
    loaded = load_file(world.db, HEADER + ROWS, name="visa.csv", format="card_csv", actor="t")
    staged = world.query("SELECT file_id, run_id, items FROM recon_staged_files")
    assert staged.values.tolist() == [[loaded.file_id, LOAD_RUN_ID, 3]]
    at_load = world.query(ITEMS)

    first = world.run()
    assert (first.inputs["files_staged"], first.inputs["external_items"]) == (0, 3)
    states, breaks = world.query(STATES), world.query(BREAKS)
    assert sorted(breaks.category) == ["fee_variance", "unknown_bank_item"]

    engine.reset(world.db)  # forgets the staging too: the run stages the file itself
    second = world.run()
    assert second.inputs["files_staged"] == 1
    assert world.query(ITEMS).equals(at_load)
    assert world.query(STATES).equals(states)
    assert world.query(BREAKS).equals(breaks)


def test_before_the_rules_are_synced_the_run_stages_the_file(world: World):
    world.payment(rail="VISA_DIRECT", partner="VISA", ntid="N1", day=MON)
    load_file(world.db, HEADER + ROWS, name="visa.csv", format="card_csv", actor="t")
    assert world.query("SELECT count(*) AS n FROM recon_staged_files").n[0] == 0
    result = world.run()
    assert (result.inputs["files_staged"], result.inputs["items_staged"]) == (1, 3)


def test_reset_can_keep_the_staging(world: World):
    world.payment(rail="VISA_DIRECT", partner="VISA", ntid="N1", day=MON)
    world.run()
    load_file(world.db, HEADER + ROWS, name="visa.csv", format="card_csv", actor="t")
    engine.reset(world.db, staging=False)
    assert world.query("SELECT count(*) AS n FROM recon_ext_items").n[0] == 3
    assert world.run().inputs["files_staged"] == 0


CODES_DISAGREE = """
SELECT count(*) AS n FROM recon_ext_items
WHERE flow_in IS DISTINCT FROM (flow = 'in')
    OR status_code IS DISTINCT FROM CASE ext_status WHEN 'settled' THEN 0 WHEN 'pending' THEN 1
        WHEN 'rejected' THEN 2 WHEN 'reversed' THEN 2 ELSE 3 END
    OR cur_code IS DISTINCT FROM cur_code(currency)
"""


def test_staged_codes_agree_with_the_strings(demo_db):
    """The exact pass reads flow_in and status_code (migration 052), the pages read flow and
    ext_status: every staged item of the demo world (every source) says the same in both."""
    cur = demo_db.cursor()
    sources = "SELECT count(DISTINCT source_table) FROM recon_ext_items"
    assert cur.execute(sources).fetchone()[0] >= 5
    assert cur.execute(CODES_DISAGREE).fetchone()[0] == 0


def test_migration_052_fills_the_codes_of_items_staged_before_it(world: World):
    world.payment(rail="VISA_DIRECT", partner="VISA", ntid="N1", day=MON)
    world.run()
    load_file(world.db, HEADER + ROWS, name="visa.csv", format="card_csv", actor="t")
    with world.db.transaction() as cur:  # as a database staged before 052 had them
        cur.execute("UPDATE recon_ext_items SET flow_in = NULL, status_code = NULL")
        cur.execute((MIGRATIONS_DIR / "052_recon_ext_codes.sql").read_text().split("\n\n")[-1])
    assert world.query(CODES_DISAGREE).n[0] == 0
    assert world.query("SELECT count(*) AS n FROM recon_ext_items WHERE status_code = 0").n[0] == 3


def test_currency_codes_are_equal_exactly_when_the_currencies_are(empty_db: Database):
    """cur_code (migration 056): the exact pass compares these numbers instead of the strings,
    so two codes must be equal exactly when the strings are, and NULL must stay NULL."""
    strings = [*EXPONENT, *ISO_4217_EXTRA, "", "usd", "US", "USD ", "ABCDEFG", "ABCDEFGH",
               "ABCDEFGHI", "\u00e9", "EURO-CASH"]  # fmt: skip
    cur = empty_db.cursor()
    codes = cur.execute("SELECT list_transform($s, lambda c: cur_code(c))", {"s": strings})
    codes = codes.fetchone()[0]
    assert None not in codes and len(set(codes)) == len(set(strings))
    assert cur.execute("SELECT cur_code(NULL::VARCHAR)").fetchone()[0] is None
    long_codes = cur.execute("SELECT cur_code('ABCDEFGH'), cur_code('ABCDEFGH')").fetchone()
    assert long_codes[0] == long_codes[1] >= 2**63  # a long string: its hash, top bit set


def test_migration_056_fills_the_currency_codes_of_items_staged_before_it(world: World):
    world.payment(rail="VISA_DIRECT", partner="VISA", ntid="N1", day=MON)
    world.run()
    load_file(world.db, HEADER + ROWS, name="visa.csv", format="card_csv", actor="t")
    with world.db.transaction() as cur:  # as a database staged before 056 had them
        cur.execute("UPDATE recon_ext_items SET cur_code = NULL")
        cur.execute((MIGRATIONS_DIR / "056_currency_codes.sql").read_text().split("\n\n")[-1])
    assert world.query(CODES_DISAGREE).n[0] == 0
    usd = world.query("SELECT count(*) AS n FROM recon_ext_items WHERE cur_code = cur_code('USD')")
    assert usd.n[0] == 3


def test_the_ledger_view_decodes_every_currency_code(empty_db: Database):
    """rx_currency (engine._register_currencies) turns the ledger's codes back into the strings,
    quotes included; with no payments it is NULL."""
    cur = empty_db.cursor()
    names = ["USD", "USDC", "O'K", "LONGER-THAN-7"]
    cur.execute(
        "CREATE TEMP TABLE rx_cur AS SELECT c AS currency, cur_code(c) AS cur FROM unnest($n) t(c)",
        {"n": names},
    )
    engine._register_currencies(cur)
    got = cur.execute("SELECT currency, rx_currency(cur) FROM rx_cur").fetchall()
    assert sorted(got) == sorted((n, n) for n in names)
    assert cur.execute("SELECT rx_currency(cur_code('EUR'))").fetchone()[0] is None
    cur.execute("DELETE FROM rx_cur")
    engine._register_currencies(cur)
    assert cur.execute("SELECT rx_currency(1)").fetchone()[0] is None


DIRECT_COVERAGE = (
    "SELECT source_table, rail_id, partner_id, min(value_date) AS first_day,"
    " max(value_date) AS last_day FROM recon_ext_items"
    " WHERE role = 'settlement' AND value_date IS NOT NULL GROUP BY ALL ORDER BY ALL"
)
KEPT_COVERAGE = (
    "SELECT source_table, rail_id, partner_id, min(first_day) AS first_day,"
    " max(last_day) AS last_day FROM recon_ext_coverage GROUP BY ALL ORDER BY ALL"
)
DIRECT_BANK_DAYS = (
    "SELECT account, value_date AS day,"
    " sum(CASE flow WHEN 'in' THEN amount_minor ELSE -amount_minor END) AS signed,"
    " count(*) AS n FROM recon_ext_items"
    " WHERE source_table = 'bank_statement_lines' AND ext_status = 'settled'"
    " GROUP BY ALL ORDER BY ALL"
)
KEPT_BANK_DAYS = (
    "SELECT account, day, sum(signed) AS signed, CAST(sum(n) AS BIGINT) AS n"
    " FROM recon_ext_bank_days"
    " GROUP BY ALL ORDER BY ALL"
)


def test_each_files_reported_days_are_kept_and_go_with_the_file(world: World):
    """Migrations 064 and 067: a run reads the days each source reported and each statement
    file's bank movements per account and day from per-file rows written at staging (by the
    loader or by the run), which must say what grouping every staged item says, as files
    come and go."""
    world.payment(rail="VISA_DIRECT", partner="VISA", ntid="N1", day=MON)
    world.run()
    card = load_file(world.db, HEADER + ROWS, name="visa.csv", format="card_csv", actor="t")
    at_load = world.query("SELECT file_id, first_day FROM recon_ext_coverage")
    assert at_load.file_id.tolist() == [card.file_id]
    world.files = itertools.count(card.file_id + 1)  # after the loader's file
    early = world.file("lakeshore-a.bai2")  # staged by the run, not the loader
    world.bank_line(early, amount=1_000, ref="071000010000001", day=date(2026, 3, 2))
    late = world.file("lakeshore-b.bai2")
    world.bank_line(late, amount=2_000, ref="071000010000002", day=date(2026, 3, 12))
    world.run()
    kept = world.query(KEPT_COVERAGE)
    assert kept.equals(world.query(DIRECT_COVERAGE))
    moves = world.query(KEPT_BANK_DAYS)
    assert moves.equals(world.query(DIRECT_BANK_DAYS))
    assert moves.signed.tolist() == [-1_000, -2_000]  # debits: money out
    days = {
        row.source_table: (row.first_day.date(), row.last_day.date()) for row in kept.itertuples()
    }
    assert days == {
        "bank_statement_lines": (date(2026, 3, 2), date(2026, 3, 12)),
        "card_settlements": (date(2026, 3, 10), date(2026, 3, 10)),
    }
    with world.db.transaction() as cur:
        cur.execute("DELETE FROM bank_statement_lines WHERE source_file_id = ?", [late])
    with world.db.transaction() as cur:
        cur.execute("DELETE FROM source_files WHERE file_id = ?", [late])
    world.run()
    kept = world.query(KEPT_COVERAGE)
    assert kept.equals(world.query(DIRECT_COVERAGE))
    assert world.query(KEPT_BANK_DAYS).equals(world.query(DIRECT_BANK_DAYS))
    assert world.query(KEPT_BANK_DAYS).signed.tolist() == [-1_000]
    bank = kept[kept.source_table == "bank_statement_lines"]
    assert bank.last_day.iloc[0].date() == date(2026, 3, 2)
    assert late not in world.query("SELECT file_id FROM recon_ext_coverage").file_id.tolist()
