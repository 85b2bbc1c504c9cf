-- Rows behind dispute_deadlines_missed for one ISO week: our responses whose network deadline
-- fell in the week, whether each was missed (answered late, or unanswered past it by $now)
-- and the case's outcome (a case conceded on purpose missed nothing).
-- Inputs: dispute_deadlines, dispute_cases (migration 020); $start, $end, $rails, $now.
-- Grain: deadline.
SELECT
    d.case_id,
    coalesce(c.outcome, '') <> 'accepted'
    AND coalesce(d.late, d.done_at IS NULL AND d.network_due < CAST($now AS DATE)) AS missed,
    d.network_due,
    d.done_at,
    d.late,
    c.outcome,
    c.network,
    c.rail_id,
    c.client_id,
    d.stage,
    d.rule_id,
    d.action,
    c.amount_disputed_minor,
    c.currency
FROM dispute_deadlines AS d
JOIN dispute_cases AS c ON c.case_id = d.case_id
WHERE d.party = 'us'
  AND d.network_due >= CAST($start AS DATE) AND d.network_due < CAST($end AS DATE)
  AND list_contains($rails, c.rail_id)
ORDER BY missed DESC, d.network_due, d.case_id
