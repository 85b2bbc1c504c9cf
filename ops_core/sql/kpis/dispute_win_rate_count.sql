-- KPI dispute_win_rate_count: disputes won over disputes decided (won, lost or expired;
-- accepted cases were conceded on purpose, as on the Dispute analytics page), for the cases
-- closed in each ISO week (UTC), by closed_at.
-- Inputs: dispute_cases (migration 020); $start, $end, $rails.
-- Grain: week (DATE) x series ('all').
SELECT
    CAST(date_trunc('week', closed_at AT TIME ZONE 'UTC') AS DATE) AS week,
    'all' AS series,
    CAST(count(*) FILTER (WHERE outcome = 'won') AS DOUBLE) / count(*) AS value,
    CAST(count(*) FILTER (WHERE outcome = 'won') AS DOUBLE) AS numerator,
    CAST(count(*) AS DOUBLE) AS denominator
FROM dispute_cases
WHERE outcome IN ('won', 'lost', 'expired')
  AND closed_at >= $start AND closed_at < $end
  AND list_contains($rails, rail_id)
GROUP BY ALL
ORDER BY week
