-- Every deadline of one case, stage by stage, oldest first. Inputs: $case_id.
-- Grain: one row per (stage, rule).
SELECT
    deadline_id, stage, rule_id, party, action, start_on, network_due, processor_due, internal_due,
    calendar, uncertain, computed_at, done_at, late
FROM dispute_deadlines
WHERE case_id = $case_id
ORDER BY computed_at, deadline_id
