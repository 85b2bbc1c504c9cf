-- Close the breaks of rx_close as resolved (resolution: auto_cleared), with their reason.
-- Inputs: rx_close; $run_id, $now, $actor. Grain: updates breaks.
UPDATE recon_breaks AS b
SET status = 'resolved', resolution_category = 'auto_cleared', closed_reason = c.reason,
    resolved_at = $now, resolved_by = $actor, last_run_id = $run_id, version = b.version + 1
FROM rx_close AS c
WHERE b.break_id = c.break_id
