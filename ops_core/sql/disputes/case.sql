-- One dispute case with its client's name and onboarding date. Inputs: $case_id.
-- Grain: one row (none when the case does not exist).
SELECT c.*, k.name AS client, k.onboarded_on
FROM dispute_cases AS c
LEFT JOIN clients AS k ON k.client_id = c.client_id
WHERE c.case_id = $case_id
