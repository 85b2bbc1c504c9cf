-- The timeline of one case: what happened at which stage, by whom, newest first (field-level
-- edits are in audit_log, read with ops_core.audit.history). Inputs: $case_id.
-- Grain: one row per event.
SELECT event_at, actor, kind, stage, detail
FROM dispute_events
WHERE case_id = $case_id
ORDER BY event_at DESC, event_id DESC
