-- Audit the breaks this run opened (status: none -> open, and the queue and owner they were
-- routed to; breaks_escalate_changes adds the escalation of those opened past their SLA).
-- Inputs: recon_breaks, rx_judged; $run_id. Grain: appends rx_changes rows.
INSERT INTO rx_changes
SELECT break_id, 1, 'status', NULL, 'open' FROM recon_breaks WHERE first_run_id = $run_id
UNION ALL
SELECT b.break_id, 2, 'queue', NULL, j.queue
FROM recon_breaks AS b
JOIN rx_judged AS j ON j.break_key = b.break_key
WHERE b.first_run_id = $run_id
UNION ALL
SELECT break_id, 3, 'assignee', NULL, assignee
FROM recon_breaks WHERE first_run_id = $run_id AND assignee IS NOT NULL
