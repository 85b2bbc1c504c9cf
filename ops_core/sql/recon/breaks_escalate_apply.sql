-- Escalate the older breaks of rx_escalate (the new ones were written escalated).
-- Inputs: rx_escalate; $now. Grain: updates breaks.
UPDATE recon_breaks AS b
SET status = 'escalated', queue = e.escalate_to, escalated_at = $now, version = b.version + 1
FROM rx_escalate AS e
WHERE b.break_id = e.break_id AND NOT e.is_new
