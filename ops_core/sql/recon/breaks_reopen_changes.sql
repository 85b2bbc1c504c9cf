-- Audit reopened breaks. Inputs: rx_reopen. Grain: appends rx_changes rows.
INSERT INTO rx_changes
SELECT break_id, 1, 'status', old_status, 'open' FROM rx_reopen
UNION ALL
SELECT break_id, 2, 'resolution_category', 'auto_cleared', NULL FROM rx_reopen
