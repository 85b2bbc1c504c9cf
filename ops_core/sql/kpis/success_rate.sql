-- KPI success_rate: completed logical payments over decided ones (completed, failed or
-- returned; still-pending payments are left out), per ISO week (UTC) of first creation.
-- Success counts a retried payment once, by its final attempt's status (rollup_hourly,
-- migration 002), the same rate the Overview and Rail Health pages show.
-- Inputs: rollup_hourly; $start, $end, $rails. Grain: week (DATE) x series (rail id, or 'all').
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
SELECT
    CAST(date_trunc('week', hour AT TIME ZONE 'UTC') AS DATE) AS week,
    coalesce(rail_id, 'all') AS series,
    CAST(sum(succeeded) AS DOUBLE) / nullif(sum(payments - pending), 0) AS value,
    CAST(sum(succeeded) AS DOUBLE) AS numerator,
    CAST(sum(payments - pending) AS DOUBLE) AS denominator
FROM rollup_hourly
WHERE hour >= $start AND hour < $end AND list_contains($rails, rail_id)
    AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
GROUP BY GROUPING SETS ((week, rail_id), (week))
ORDER BY week, series
