-- Audit escalations. Inputs: rx_escalate. Grain: appends rx_changes rows.
INSERT INTO rx_changes
SELECT break_id, 1, 'status', old_status, 'escalated' FROM rx_escalate
UNION ALL
SELECT break_id, 2, 'queue', old_queue, escalate_to FROM rx_escalate
WHERE old_queue <> escalate_to
