-- Audit closed breaks. Inputs: rx_close. Grain: appends rx_changes rows.
INSERT INTO rx_changes
SELECT break_id, 1, 'status', old_status, 'resolved' FROM rx_close
UNION ALL
SELECT break_id, 2, 'resolution_category', NULL, 'auto_cleared' FROM rx_close
UNION ALL
SELECT break_id, 3, 'closed_reason', NULL, reason FROM rx_close
