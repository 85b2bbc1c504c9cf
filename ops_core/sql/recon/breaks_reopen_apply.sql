-- Reopen the breaks of rx_reopen (a new version: a person's open form on them is stale).
-- Inputs: rx_reopen; $run_id. Grain: updates breaks.
UPDATE recon_breaks AS b
SET status = 'open', resolution_category = NULL, resolved_at = NULL, resolved_by = NULL,
    closed_reason = NULL, last_run_id = $run_id, version = b.version + 1
FROM rx_reopen AS r
WHERE b.break_id = r.break_id
