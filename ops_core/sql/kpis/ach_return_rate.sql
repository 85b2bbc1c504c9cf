-- KPI ach_*_return_rate: the portfolio's ACH return rate as at the end of each ISO week
-- (UTC), Nacha method 1 (domain.md §1.2): debit returns received in the lookback window over
-- debit entries originated in it, the window being the $lookback_days days before the week's
-- end. Only debit entries count, RCK is left out; every attempt is an entry (a re-initiated
-- debit is a new entry). $category picks the numerator: 'unauthorized' or 'administrative'
-- (codes.category of scheme nacha_return) or 'all' (every return code: the overall rate).
-- Inputs: payments, codes; $start, $end, $rails (the KPI is empty unless ACH is in scope),
-- $lookback_days, $category. Grain: week (DATE) x series ('all').
WITH weeks AS (
    SELECT
        CAST(range AT TIME ZONE 'UTC' AS DATE) AS week,
        range + INTERVAL 7 DAY - to_days(CAST($lookback_days AS INTEGER)) AS from_at,
        range + INTERVAL 7 DAY AS to_at
    FROM range(CAST($start AS TIMESTAMPTZ), CAST($end AS TIMESTAMPTZ), INTERVAL 7 DAY)
),
debits AS (
    SELECT
        p.created_at,
        CASE WHEN p.status = 'returned' THEN p.returned_at END AS returned_at,
        $category = 'all' OR coalesce(c.category, 'other') = $category AS counted
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
)
SELECT
    w.week,
    'all' AS series,
    CAST(count(d.created_at) FILTER (
        WHERE d.counted AND d.returned_at >= w.from_at AND d.returned_at < w.to_at
    ) AS DOUBLE) / nullif(count(d.created_at) FILTER (
        WHERE d.created_at >= w.from_at AND d.created_at < w.to_at
    ), 0) AS value,
    CAST(count(d.created_at) FILTER (
        WHERE d.counted AND d.returned_at >= w.from_at AND d.returned_at < w.to_at
    ) AS DOUBLE) AS numerator,
    CAST(count(d.created_at) FILTER (
        WHERE d.created_at >= w.from_at AND d.created_at < w.to_at
    ) AS DOUBLE) AS denominator
FROM weeks AS w
LEFT JOIN debits AS d
    ON (d.created_at >= w.from_at AND d.created_at < w.to_at)
    OR (d.returned_at >= w.from_at AND d.returned_at < w.to_at)
GROUP BY w.week
HAVING count(d.created_at) > 0
ORDER BY w.week
