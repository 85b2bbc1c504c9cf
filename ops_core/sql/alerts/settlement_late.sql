-- Expected settlements not received: reconciliation's open 'missing_at_bank' breaks (a ledger
-- item past its rail's settlement window with nothing from the bank, network or chain;
-- items still inside the window are in flight, not breaks), as they stood at each
-- evaluation time (detected by then, not resolved by then).
-- Inputs: recon_breaks (migration 050); $times. The rule is skipped while the table is
-- missing (ops_core.alerts.rules.missing_sources). Grain: evaluation time x break.
WITH t AS (
    SELECT unnest($times) AS eval_at
)
SELECT
    t.eval_at,
    b.rail_id,
    b.partner_id,
    b.break_id,
    b.item_date,
    b.exposure_minor AS amount_minor,
    b.currency
FROM t
JOIN recon_breaks AS b
    ON b.detected_at <= t.eval_at
    AND (b.resolved_at > t.eval_at
        OR (b.resolved_at IS NULL AND b.status NOT IN ('resolved', 'written_off')))
WHERE b.category = 'missing_at_bank'
