-- KPI dispute_win_rate_amount: the disputed amount of the cases won over that of the cases
-- decided (won, lost or expired), for the cases closed in each ISO week (UTC), in $currency
-- only (amounts in other currencies are not added up without FX).
-- Inputs: dispute_cases (migration 020); $start, $end, $rails, $currency.
-- Grain: week (DATE) x series ('all'); numerator and denominator in minor units.
SELECT
    CAST(date_trunc('week', closed_at AT TIME ZONE 'UTC') AS DATE) AS week,
    'all' AS series,
    CAST(coalesce(sum(amount_disputed_minor) FILTER (WHERE outcome = 'won'), 0) AS DOUBLE)
        / sum(amount_disputed_minor) AS value,
    CAST(coalesce(sum(amount_disputed_minor) FILTER (WHERE outcome = 'won'), 0) AS DOUBLE)
        AS numerator,
    CAST(sum(amount_disputed_minor) AS DOUBLE) AS denominator
FROM dispute_cases
WHERE outcome IN ('won', 'lost', 'expired')
  AND closed_at >= $start AND closed_at < $end
  AND currency = $currency
  AND list_contains($rails, rail_id)
GROUP BY ALL
ORDER BY week
