-- KPI open_breaks: breaks open at the end of each ISO week (UTC: the next Monday 00:00),
-- in all and by age at that moment (days since item_date, the day the money moved or should
-- have), in the Reconciliation page's buckets (ops_core.recon.breaks.AGE_BUCKETS): '0-1 d',
-- '2-3 d', '4-7 d', '8-14 d', '15-30 d', '31+ d'.
-- Open at T = detected before T and not resolved or written off before T (the table keeps
-- no status history: resolved_at is when it closed).
-- Inputs: recon_breaks (migration 050); $start, $end, $rails, $all_rails.
-- Grain: week (DATE) x series ('all' or an age bucket).
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
WITH weeks AS (
    SELECT
        CAST(range AT TIME ZONE 'UTC' AS DATE) AS week,
        range + INTERVAL 7 DAY AS at
    FROM range(CAST($start AS TIMESTAMPTZ), CAST($end AS TIMESTAMPTZ), INTERVAL 7 DAY)
),
open_at AS (
    SELECT
        w.week,
        CASE
            WHEN datediff('day', b.item_date, CAST(w.at AT TIME ZONE 'UTC' AS DATE)) <= 1
                THEN '0-1 d'
            WHEN datediff('day', b.item_date, CAST(w.at AT TIME ZONE 'UTC' AS DATE)) <= 3
                THEN '2-3 d'
            WHEN datediff('day', b.item_date, CAST(w.at AT TIME ZONE 'UTC' AS DATE)) <= 7
                THEN '4-7 d'
            WHEN datediff('day', b.item_date, CAST(w.at AT TIME ZONE 'UTC' AS DATE)) <= 14
                THEN '8-14 d'
            WHEN datediff('day', b.item_date, CAST(w.at AT TIME ZONE 'UTC' AS DATE)) <= 30
                THEN '15-30 d'
            ELSE '31+ d'
        END AS age
    FROM weeks AS w
    JOIN recon_breaks AS b
        ON b.detected_at < w.at AND (b.resolved_at IS NULL OR b.resolved_at >= w.at)
    WHERE ($all_rails OR list_contains($rails, b.rail_id))
        AND (CAST($partner AS VARCHAR) IS NULL OR b.partner_id = CAST($partner AS VARCHAR))
)
SELECT
    week,
    coalesce(age, 'all') AS series,
    CAST(count(*) AS DOUBLE) AS value,
    CAST(NULL AS DOUBLE) AS numerator,
    CAST(NULL AS DOUBLE) AS denominator
FROM open_at
GROUP BY GROUPING SETS ((week, age), (week))
ORDER BY week, series
