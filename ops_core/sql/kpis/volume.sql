-- KPI volume: logical payments created per ISO week (UTC), per rail and for all rails.
-- A retry on the same route counts once (rollup_hourly, migration 002).
-- Inputs: rollup_hourly; $start, $end (Monday 00:00 UTC bounds), $rails (rail ids in scope).
-- Grain: week (the Monday, DATE) x series (rail id, or 'all').
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
SELECT
    CAST(date_trunc('week', hour AT TIME ZONE 'UTC') AS DATE) AS week,
    coalesce(rail_id, 'all') AS series,
    CAST(sum(payments) AS DOUBLE) AS value,
    CAST(NULL AS DOUBLE) AS numerator,
    CAST(NULL AS DOUBLE) AS denominator
FROM rollup_hourly
WHERE hour >= $start AND hour < $end AND list_contains($rails, rail_id)
    AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
GROUP BY GROUPING SETS ((week, rail_id), (week))
ORDER BY week, series
