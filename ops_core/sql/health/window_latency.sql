-- p50/p95/p99 attempt latency per rail for the selected day ('day') and for the 7 days
-- before it ('baseline'), read from the log-latency histogram (migration 002).
-- Inputs: rollup_latency; $day_start, $cur_end, $partners (the partners in view).
-- Grain: rail x period.
WITH h AS (
    SELECT
        rail_id,
        CASE WHEN hour >= $day_start THEN 'day' ELSE 'baseline' END AS period,
        bucket,
        sum(n) AS n
    FROM rollup_latency
    WHERE hour >= $day_start - INTERVAL 7 DAY AND hour < $cur_end
      AND list_contains($partners, partner_id)
    GROUP BY ALL
),
c AS (
    SELECT
        *,
        sum(n) OVER (PARTITION BY rail_id, period ORDER BY bucket) AS cum,
        sum(n) OVER (PARTITION BY rail_id, period) AS total
    FROM h
)
SELECT
    rail_id,
    period,
    pow(2, (min(bucket) FILTER (WHERE cum >= 0.50 * total) + 0.5) / 4) AS p50_ms,
    pow(2, (min(bucket) FILTER (WHERE cum >= 0.95 * total) + 0.5) / 4) AS p95_ms,
    pow(2, (min(bucket) FILTER (WHERE cum >= 0.99 * total) + 0.5) / 4) AS p99_ms
FROM c
GROUP BY rail_id, period
