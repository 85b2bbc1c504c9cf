-- Dispute cases for the case picker and lists, newest first, with the next open deadline
-- of our own (the team's date). Inputs: $open_only (BOOLEAN). Grain: one row per case.
SELECT
    c.case_id,
    c.network,
    c.reason_code,
    c.client_id,
    k.name AS client,
    c.rail_id,
    c.txn_type,
    c.stage,
    c.status,
    c.outcome,
    c.amount_disputed_minor,
    c.currency,
    c.opened_at,
    min(d.internal_due) FILTER (WHERE d.party = 'us' AND d.done_at IS NULL) AS next_due
FROM dispute_cases AS c
LEFT JOIN clients AS k ON k.client_id = c.client_id
LEFT JOIN dispute_deadlines AS d ON d.case_id = c.case_id
WHERE NOT $open_only OR c.status <> 'closed'
GROUP BY ALL
ORDER BY next_due NULLS LAST, c.opened_at DESC, c.case_id DESC
