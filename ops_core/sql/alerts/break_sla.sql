-- Open reconciliation breaks past their SLA at each evaluation time (detected by then, not
-- resolved by then, sla_due_at passed).
-- Inputs: recon_breaks (migration 050); $times. The rule is skipped while the table is
-- missing. Grain: evaluation time x break.
WITH t AS (
    SELECT unnest($times) AS eval_at
)
SELECT
    t.eval_at,
    b.rail_id,
    b.partner_id,
    b.break_id,
    b.category,
    b.sla_due_at,
    (epoch(t.eval_at) - epoch(b.sla_due_at)) / 3600 AS hours_past,
    b.exposure_minor AS amount_minor,
    b.currency
FROM t
JOIN recon_breaks AS b
    ON b.detected_at <= t.eval_at
    AND b.sla_due_at <= t.eval_at
    AND (b.resolved_at > t.eval_at
        OR (b.resolved_at IS NULL AND b.status NOT IN ('resolved', 'written_off')))
