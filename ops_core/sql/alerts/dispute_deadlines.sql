-- Our open dispute responses (party 'us') not done by each evaluation time and due by the
-- team's date within $horizon_days calendar days (a superset: ops_core.alerts.gated keeps
-- those due within the rule's banking days on the deadline's own calendar).
-- Inputs: dispute_deadlines, dispute_cases (migration 020); $times (list of TIMESTAMPTZ),
-- $horizon_days. Grain: evaluation time x deadline.
WITH t AS (
    SELECT unnest($times) AS eval_at
)
SELECT
    t.eval_at,
    c.network,
    d.case_id,
    d.action,
    d.calendar,
    d.internal_due,
    d.network_due,
    c.amount_disputed_minor AS amount_minor,
    c.currency
FROM t
JOIN dispute_deadlines AS d ON d.start_on <= CAST(t.eval_at AS DATE)
JOIN dispute_cases AS c ON c.case_id = d.case_id
WHERE d.party = 'us'
  AND c.opened_at <= t.eval_at
  AND (d.done_at IS NULL OR d.done_at > t.eval_at)
  AND (c.closed_at IS NULL OR c.closed_at > t.eval_at)
  AND d.internal_due <= CAST(t.eval_at AS DATE) + CAST($horizon_days AS INTEGER)
ORDER BY t.eval_at, c.network, d.internal_due
