-- Write the engine's break changes to the audit trail, one row per field (as audit.record).
-- Inputs: rx_changes; $now, $actor. Grain: inserts audit_log rows.
INSERT INTO audit_log (event_at, actor, entity, entity_id, field, old_value, new_value)
SELECT $now, $actor, 'break', CAST(break_id AS VARCHAR), field, old_value, new_value
FROM rx_changes
ORDER BY break_id, seq
