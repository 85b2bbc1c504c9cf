-- Open dispute deadlines (not yet met, the case not closed) with their case, for the
-- calendar: the team's date (internal_due) falls in [$start, $end] or is already past.
-- Inputs: $start, $end (DATE). Grain: one row per open deadline.
SELECT
    d.deadline_id,
    d.case_id,
    d.stage,
    d.rule_id,
    d.party,
    d.action,
    d.start_on,
    d.network_due,
    d.internal_due,
    d.processor_due,
    d.calendar,
    d.uncertain,
    c.network,
    c.reason_code,
    c.reason_category,
    c.client_id,
    k.name AS client,
    c.rail_id,
    c.txn_type,
    c.rights,
    c.status,
    c.assignee,
    c.amount_disputed_minor,
    c.currency
FROM dispute_deadlines AS d
JOIN dispute_cases AS c USING (case_id)
LEFT JOIN clients AS k ON k.client_id = c.client_id
WHERE d.done_at IS NULL
    AND d.party <> 'check'
    AND c.status <> 'closed'
    AND d.internal_due <= $end
    AND (d.internal_due >= $start OR d.party = 'us')
ORDER BY d.internal_due, d.network_due, d.case_id
