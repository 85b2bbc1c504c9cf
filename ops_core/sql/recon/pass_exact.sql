-- Pass 1, exact reference match per rail: every in-scope ledger item against every settlement
-- item of its rule's source, on the reference (trace number, EndToEndId, network transaction
-- id, tx hash + log index), classified in one go. A pair is 'ok' or within tolerance, or
-- names what differs, in this order: status (ledger failed but the bank paid, or the other way
-- round), currency, direction, amount (within tolerance; short by a netted fee; else a
-- mismatch), the reported fee against the rule's expected fee, then a settlement date on or
-- after the late day. An unpaired ledger item is written missing at the bank and given its
-- verdict by verdicts (it depends on the run's date); an unpaired external item is
-- unknown to the ledger (or still pending at the bank). Items a kept tolerance or batch
-- match holds take no part.
-- The source is matched on its one-byte code inside ext_id (see stage_external), not its name,
-- the statuses and directions cross the join as one-byte codes and the currencies as their
-- cur_code (migration 056), not strings (the join's hash table carries every column of one
-- side: narrower rows make a faster pass).
-- The result is written narrow: the outcome as a one-byte code, the rule as its number
-- (rx_rule_no); no reference, difference or other_id (the duplicate step looks references up,
-- findings_pairs computes the difference of the few pairs that break). The rx_pairs view
-- (pairs_view) reads codes back as strings. Ten million strings written cost more than the
-- join: measured at 3M rows, the same join writing outcome and rule_id as strings took 1.6 to
-- 1.9x the floor, as codes 1.35 to 1.6x. The codes: rx_names('outcome') (macro_names).
-- The rule's tolerances and fee terms come from the per-run macros rx_rule_<column>(rule_no)
-- (engine._register_rule_params), read only for the pairs whose CASE gets that far; a join of
-- every pair to the rules cost a tenth of the pass.
-- $all: every item (a first run, or the pairs' basis changed: engine._pairs_scope); else only
-- the items of rx_dirty_l and rx_dirty_e (those sharing a reference with an item staged since
-- the kept pairs were made), whose kept pairs are replaced (pairs_delete, pairs_insert).
-- Inputs: recon_ledger_items (cur: rx_cur), recon_ext_items, rx_dirty_l, rx_dirty_e,
-- recon_matches, rx_rule_<column> macros; $all.
-- Grain: one row per pair, unpaired ledger item or unpaired external item (fan-out on
-- duplicated references is resolved by dup_*).
CREATE OR REPLACE TEMP TABLE rx_pairs_x AS
WITH
held_ext AS (
    -- a kept tolerance match holds its external item; a kept batch match holds the bank line
    -- (ext_ids[1]) but not the card rows behind it, which pair with the ledger on their own
    SELECT unnest(ext_ids) AS ext_id FROM recon_matches WHERE pass = 'tolerance'
    UNION
    SELECT ext_ids[1] FROM recon_matches WHERE pass = 'batch'
),
held_ledger AS (
    SELECT DISTINCT unnest(ledger_ids) AS payment_id FROM recon_matches
),
l AS (
    -- st (rx_names('status')): failed, pending, completed, returned. The two tests below
    -- (not failed; before completed) count returned as completed (the money moved) as they
    -- stand: no least(st, completed) per row (a tenth of the pass at 3M rows)
    SELECT payment_id, rule_no, src, ref, l_in, amount_minor, cur, st AS l_st, late_from
    FROM recon_ledger_items
    WHERE rule_no IS NOT NULL AND payment_id NOT IN (SELECT payment_id FROM held_ledger)
        AND ($all OR payment_id IN (SELECT payment_id FROM rx_dirty_l))
),
e AS (
    SELECT ext_id, CAST((ext_id // 1000000000) % 10 AS TINYINT) AS src, ref,
        -- the codes stage_external wrote (migration 052): status settled 0, pending 1,
        -- rejected or reversed 2
        flow_in AS e_in, amount_minor, cur_code AS cur, fee_minor, value_date, status_code AS e_st
    FROM recon_ext_items
    WHERE role = 'settlement' AND ext_id NOT IN (SELECT ext_id FROM held_ext)
        AND ($all OR ext_id IN (SELECT ext_id FROM rx_dirty_e))
)
SELECT
    l.payment_id,
    e.ext_id,
    l.rule_no,
    CASE
        WHEN e.ext_id IS NULL THEN rx_code('outcome', 'missing_at_bank')  -- verdicts
        WHEN l.payment_id IS NULL THEN
            CASE WHEN e.e_st = 1 THEN rx_code('outcome', 'ext_pending')
                ELSE rx_code('outcome', 'unknown_bank_item') END
        WHEN e.e_st = 2 AND l.l_st <> rx_code('status', 'failed')
            THEN rx_code('outcome', 'status_mismatch')
        WHEN e.e_st = 0 AND l.l_st < rx_code('status', 'completed')
            THEN rx_code('outcome', 'status_mismatch')
        WHEN e.e_st = 1 THEN rx_code('outcome', 'pending')
        WHEN e.cur <> l.cur THEN rx_code('outcome', 'currency_fx')
        WHEN e.e_in <> l.l_in THEN rx_code('outcome', 'amount_mismatch')
        WHEN e.amount_minor <> l.amount_minor
            AND abs(e.amount_minor - l.amount_minor) <= greatest(
                rx_rule_amount_tol_minor(l.rule_no),
                l.amount_minor * rx_rule_amount_tol_bps(l.rule_no) // 10000
            )
            THEN rx_code('outcome', 'ok_tolerance')
        WHEN e.amount_minor < l.amount_minor AND l.l_in
            AND l.amount_minor - e.amount_minor <= rx_rule_fee_max_minor(l.rule_no)
            THEN rx_code('outcome', 'fee_variance')
        WHEN e.amount_minor <> l.amount_minor THEN rx_code('outcome', 'amount_mismatch')
        WHEN e.fee_minor IS NOT NULL AND rx_rule_fee_fixed_minor(l.rule_no) IS NOT NULL
            AND abs(e.fee_minor - rx_rule_fee_fixed_minor(l.rule_no)
                - l.amount_minor * coalesce(rx_rule_fee_bps(l.rule_no), 0) // 10000)
                > rx_rule_amount_tol_minor(l.rule_no)
            THEN rx_code('outcome', 'fee_variance')
        WHEN e.value_date >= l.late_from THEN rx_code('outcome', 'late_settlement')
        ELSE rx_code('outcome', 'ok')
    END AS outcome
FROM l
FULL OUTER JOIN e ON e.src = l.src AND e.ref = l.ref
