-- KPI value: the amount of the payments created per ISO week (UTC), in minor units of each
-- rail's currency (all statuses; a retry counts once, by its last attempt's amount). 'all'
-- adds up only the rails in $currency: there is no FX conversion here.
-- Inputs: rollup_hourly; $start, $end, $rails, $currency.
-- Grain: week (DATE) x series (rail id, or 'all') with its currency.
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
WITH w AS (
    SELECT
        CAST(date_trunc('week', hour AT TIME ZONE 'UTC') AS DATE) AS week,
        rail_id,
        currency,
        sum(amount_minor) AS amount_minor
    FROM rollup_hourly
    WHERE hour >= $start AND hour < $end AND list_contains($rails, rail_id)
        AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
    GROUP BY ALL
)
SELECT
    week,
    rail_id AS series,
    currency,
    CAST(amount_minor AS BIGINT) AS value,
    CAST(NULL AS DOUBLE) AS numerator,
    CAST(NULL AS DOUBLE) AS denominator
FROM w
UNION ALL
SELECT
    week,
    'all' AS series,
    $currency AS currency,
    CAST(sum(amount_minor) AS BIGINT) AS value,
    NULL,
    NULL
FROM w
WHERE currency = $currency
GROUP BY week
ORDER BY week, series, currency
