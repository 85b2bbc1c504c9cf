-- Breaks the engine closed earlier that are found again (e.g. a file was removed) reopen.
-- Inputs: rx_judged, recon_breaks. Grain: one row per break to reopen.
CREATE OR REPLACE TEMP TABLE rx_reopen AS
SELECT b.break_id, b.status AS old_status, b.closed_reason
FROM recon_breaks AS b
JOIN rx_judged AS j ON j.break_key = b.break_key
WHERE b.status = 'resolved' AND b.resolution_category = 'auto_cleared'
