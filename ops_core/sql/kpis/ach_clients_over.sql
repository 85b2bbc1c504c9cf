-- KPI ach_clients_over: originators (clients) over any Nacha return-rate threshold as at the
-- end of each ISO week (UTC): unauthorized, administrative or overall debit return rate,
-- method 1 over the $lookback_days days before the week's end (domain.md §1.2). Thresholds
-- are basis points ($limit_unauthorized_bps = 50 for 0.5%) from
-- reference/ach_return_thresholds.csv, compared in integers (exact at the threshold). A
-- client with returns but no debit entries in the window has no rate and is not counted.
-- Inputs: payments, codes; $start, $end, $rails, $lookback_days, $limit_unauthorized_bps,
-- $limit_administrative_bps, $limit_overall_bps. Grain: week (DATE) x series ('all');
-- numerator = clients over, denominator = clients with debit entries in the window.
WITH weeks AS (
    SELECT
        CAST(range AT TIME ZONE 'UTC' AS DATE) AS week,
        range + INTERVAL 7 DAY - to_days(CAST($lookback_days AS INTEGER)) AS from_at,
        range + INTERVAL 7 DAY AS to_at
    FROM range(CAST($start AS TIMESTAMPTZ), CAST($end AS TIMESTAMPTZ), INTERVAL 7 DAY)
),
debits AS (
    SELECT
        p.client_id,
        p.created_at,
        CASE WHEN p.status = 'returned' THEN p.returned_at END AS returned_at,
        coalesce(c.category, 'other') AS category
    FROM payments AS p
    LEFT JOIN codes AS c ON c.scheme = 'nacha_return' AND c.code = p.code
    WHERE p.rail_id = 'ACH'
      AND p.dc = 'debit'
      AND coalesce(p.txn_type, '') <> 'RCK'
      AND list_contains($rails, 'ACH')
      AND p.created_at < $end
      AND (
          p.created_at >= $start - to_days(CAST($lookback_days AS INTEGER))
          OR p.returned_at >= $start - to_days(CAST($lookback_days AS INTEGER))
      )
),
per_client AS (
    SELECT
        w.week,
        d.client_id,
        count(*) FILTER (WHERE d.created_at >= w.from_at AND d.created_at < w.to_at) AS entries,
        count(*) FILTER (
            WHERE d.returned_at >= w.from_at AND d.returned_at < w.to_at
              AND d.category = 'unauthorized'
        ) AS unauthorized,
        count(*) FILTER (
            WHERE d.returned_at >= w.from_at AND d.returned_at < w.to_at
              AND d.category = 'administrative'
        ) AS administrative,
        count(*) FILTER (WHERE d.returned_at >= w.from_at AND d.returned_at < w.to_at) AS overall
    FROM weeks AS w
    JOIN debits AS d
        ON (d.created_at >= w.from_at AND d.created_at < w.to_at)
        OR (d.returned_at >= w.from_at AND d.returned_at < w.to_at)
    GROUP BY w.week, d.client_id
)
SELECT
    week,
    'all' AS series,
    CAST(count(*) FILTER (
        WHERE entries > 0 AND (
            unauthorized * 10000 > $limit_unauthorized_bps * entries
            OR administrative * 10000 > $limit_administrative_bps * entries
            OR overall * 10000 > $limit_overall_bps * entries
        )
    ) AS DOUBLE) AS value,
    CAST(count(*) FILTER (
        WHERE entries > 0 AND (
            unauthorized * 10000 > $limit_unauthorized_bps * entries
            OR administrative * 10000 > $limit_administrative_bps * entries
            OR overall * 10000 > $limit_overall_bps * entries
        )
    ) AS DOUBLE) AS numerator,
    CAST(count(*) FILTER (WHERE entries > 0) AS DOUBLE) AS denominator
FROM per_client
GROUP BY week
ORDER BY week
