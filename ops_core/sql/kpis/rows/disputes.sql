-- Rows behind the dispute win rates for one ISO week (UTC): the cases closed in the week with
-- a decided outcome (won, lost, expired); conceded (accepted) cases are listed last, not counted.
-- Inputs: dispute_cases (migration 020); $start, $end (the week), $rails. Grain: case.
SELECT
    case_id,
    network,
    rail_id,
    client_id,
    reason_code,
    stage,
    outcome,
    outcome IN ('won', 'lost', 'expired') AS counted,
    amount_disputed_minor,
    amount_recovered_minor,
    currency,
    opened_at,
    closed_at
FROM dispute_cases
WHERE closed_at >= $start AND closed_at < $end
  AND outcome IS NOT NULL
  AND list_contains($rails, rail_id)
ORDER BY counted DESC, outcome, closed_at, case_id
