-- Audit the breaks this run opened (status: none -> open, and who they were routed to).
-- Inputs: recon_breaks; $run_id. Grain: appends rx_changes rows.
INSERT INTO rx_changes
SELECT break_id, 1, 'status', NULL, 'open' FROM recon_breaks WHERE first_run_id = $run_id
UNION ALL
SELECT break_id, 2, 'queue', NULL, queue FROM recon_breaks WHERE first_run_id = $run_id
UNION ALL
SELECT break_id, 3, 'assignee', NULL, assignee
FROM recon_breaks WHERE first_run_id = $run_id AND assignee IS NOT NULL
