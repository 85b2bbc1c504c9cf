-- The evidence checklist of one case in checklist order. Inputs: $case_id.
-- Grain: one row per evidence item.
SELECT evidence_id, position, item, required, status, note, version
FROM dispute_evidence
WHERE case_id = $case_id
ORDER BY position
