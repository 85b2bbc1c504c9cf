-- KPI p95_latency: the 95th percentile of attempt latency (created -> first terminal
-- status), in seconds, per rail and ISO week (UTC). Read from the log-scale histogram
-- rollup_latency the way health/window_latency reads it: the first bucket whose cumulative
-- count reaches 95%, at its geometric middle (within about 9% of the exact value).
-- No 'all' series: a percentile across rails that settle in seconds and in days says nothing.
-- Inputs: rollup_latency; $start, $end, $rails. Grain: week (DATE) x series (rail id).
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
WITH h AS (
    SELECT
        CAST(date_trunc('week', hour AT TIME ZONE 'UTC') AS DATE) AS week,
        rail_id,
        bucket,
        sum(n) AS n
    FROM rollup_latency
    WHERE hour >= $start AND hour < $end AND list_contains($rails, rail_id)
        AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
    GROUP BY ALL
),
c AS (
    SELECT
        *,
        sum(n) OVER (PARTITION BY week, rail_id ORDER BY bucket) AS cum,
        sum(n) OVER (PARTITION BY week, rail_id) AS total
    FROM h
)
SELECT
    week,
    rail_id AS series,
    pow(2, (min(bucket) FILTER (WHERE cum >= 0.95 * total) + 0.5) / 4) / 1000 AS value,
    CAST(NULL AS DOUBLE) AS numerator,
    CAST(max(total) AS DOUBLE) AS denominator
FROM c
GROUP BY week, rail_id
ORDER BY week, series
