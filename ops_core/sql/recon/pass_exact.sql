-- Pass 1, exact reference match per rail: every in-scope ledger item against every settlement
-- item of its rule's source, on the reference (trace number, EndToEndId, network transaction
-- id, tx hash + log index), classified in one go. A pair is 'ok' or within tolerance, or
-- names what differs, in this order: status (ledger failed but the bank paid, or the other way
-- round), currency, direction, amount (within tolerance; short by a netted fee; else a
-- mismatch), the reported fee against the rule's expected fee, then a settlement date on or
-- after the late day. An unpaired ledger item takes its verdict from rx_ledger; an unpaired
-- external item is unknown to the ledger (or still pending at the bank).
-- The source is matched on its one-byte code inside ext_id (see stage_external), not its name,
-- and the statuses and directions cross the join as one-byte codes, not strings (the join's
-- hash table carries every column of one side: narrower rows make a faster pass).
-- Inputs: rx_ledger, recon_ext_items, recon_matches, recon_rules.
-- Grain: one row per pair, unpaired ledger item or unpaired external item (fan-out on
-- duplicated references is resolved by dup_*). The reference itself is not carried: 10 million
-- strings written again cost more than the join; the rare duplicate step looks it up.
CREATE OR REPLACE TEMP TABLE rx_pairs AS
WITH
held_ext AS (
    -- a kept tolerance match holds its external item; a kept batch match holds the bank line
    -- (ext_ids[1]) but not the card rows behind it, which pair with the ledger on their own
    SELECT unnest(ext_ids) AS ext_id FROM recon_matches WHERE pass = 'tolerance'
    UNION
    SELECT ext_ids[1] FROM recon_matches WHERE pass = 'batch'
),
l AS (
    SELECT payment_id, rule_id, src, ref, flow = 'in' AS l_in, amount_minor, currency,
        -- payments.status: failed 0, pending 1, completed or returned 2
        CAST(CASE status WHEN 'failed' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END AS UTINYINT)
            AS l_st,
        late_from, verdict
    FROM rx_ledger
    WHERE rule_id IS NOT NULL AND NOT held
),
e AS (
    SELECT ext_id, CAST((ext_id // 1000000000) % 10 AS TINYINT) AS src, ref,
        flow = 'in' AS e_in, amount_minor, currency, fee_minor, value_date,
        -- ext_status: settled 0, pending 1, rejected or reversed 2 (stage_external makes no other)
        CAST(CASE ext_status WHEN 'settled' THEN 0 WHEN 'pending' THEN 1
            WHEN 'rejected' THEN 2 WHEN 'reversed' THEN 2 ELSE 3 END AS UTINYINT) AS e_st
    FROM recon_ext_items
    WHERE role = 'settlement' AND ext_id NOT IN (SELECT ext_id FROM held_ext)
)
SELECT
    l.payment_id,
    e.ext_id,
    l.rule_id,
    CASE
        WHEN e.ext_id IS NULL THEN l.verdict
        WHEN l.payment_id IS NULL THEN
            CASE WHEN e.e_st = 1 THEN 'ext_pending' ELSE 'unknown_bank_item' END
        WHEN e.e_st = 2 AND l.l_st <> 0 THEN 'status_mismatch'
        WHEN e.e_st = 0 AND l.l_st IN (0, 1) THEN 'status_mismatch'
        WHEN e.e_st = 1 THEN 'pending'
        WHEN e.currency <> l.currency THEN 'currency_fx'
        WHEN e.e_in <> l.l_in THEN 'amount_mismatch'
        WHEN e.amount_minor <> l.amount_minor
            AND abs(e.amount_minor - l.amount_minor)
                <= greatest(r.amount_tol_minor, l.amount_minor * r.amount_tol_bps // 10000)
            THEN 'ok_tolerance'
        WHEN e.amount_minor < l.amount_minor AND l.l_in
            AND l.amount_minor - e.amount_minor <= r.fee_max_minor
            THEN 'fee_variance'
        WHEN e.amount_minor <> l.amount_minor THEN 'amount_mismatch'
        WHEN e.fee_minor IS NOT NULL AND r.fee_fixed_minor IS NOT NULL
            AND abs(e.fee_minor - r.fee_fixed_minor
                - l.amount_minor * coalesce(r.fee_bps, 0) // 10000) > r.amount_tol_minor
            THEN 'fee_variance'
        WHEN e.value_date >= l.late_from THEN 'late_settlement'
        ELSE 'ok'
    END AS outcome,
    e.amount_minor - l.amount_minor AS difference_minor,
    NULL::BIGINT AS other_id
FROM l
FULL OUTER JOIN e ON e.src = l.src AND e.ref = l.ref
LEFT JOIN recon_rules AS r ON r.rule_id = l.rule_id
