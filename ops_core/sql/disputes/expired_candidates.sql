-- Open cases whose response window has passed without a response: a deadline of ours
-- (party 'us') still open (not done) with its network date before $today, the case not yet
-- answered (status new or in review: 'waiting' means we responded).
-- Inputs: $today (DATE). Grain: one row per case (its earliest passed deadline).
SELECT
    c.case_id,
    c.network,
    c.version,
    c.stage,
    arg_min(d.rule_id, d.network_due) AS rule_id,
    min(d.network_due) AS network_due
FROM dispute_cases AS c
JOIN dispute_deadlines AS d USING (case_id)
WHERE c.status IN ('new', 'in_review')
    AND d.party = 'us'
    AND d.done_at IS NULL
    AND d.stage = c.stage
    AND d.network_due < $today
GROUP BY c.case_id, c.network, c.version, c.stage
ORDER BY c.case_id
