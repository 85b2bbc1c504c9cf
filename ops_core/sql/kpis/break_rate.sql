-- KPI break_rate: settlement break rate per ISO week (UTC): breaks opened on the week's items
-- (recon_breaks.item_date, the day the money moved or should have, in the week) over the
-- ledger items of the week that reconciliation judged (payments created in the week whose
-- recon_ledger_state is matched, break or resolved: the Reconciliation page's "judged"
-- items, ops_core.recon.views.JUDGED; in-flight, linked, no-movement and not-covered items
-- are not). A cohort rate: a break found later on an item of
-- the week counts in the week of the item.
-- Inputs: recon_breaks, recon_ledger_state, payments (migrations 001, 050); $start, $end,
-- $rails, $all_rails (TRUE: also breaks with no rail, e.g. balance tie-outs).
-- Grain: week (DATE) x series ('all').
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
WITH items AS (
    SELECT
        CAST(date_trunc('week', p.created_at AT TIME ZONE 'UTC') AS DATE) AS week,
        count(*) AS n
    FROM recon_ledger_state AS s
    JOIN payments AS p ON p.payment_id = s.payment_id
    WHERE s.state IN ('matched', 'break', 'resolved')
      AND p.created_at >= $start AND p.created_at < $end
      AND list_contains($rails, p.rail_id)
      AND (CAST($partner AS VARCHAR) IS NULL OR p.partner_id = CAST($partner AS VARCHAR))
    GROUP BY ALL
),
opened AS (
    SELECT
        CAST(date_trunc('week', item_date) AS DATE) AS week,
        count(*) AS n
    FROM recon_breaks
    WHERE item_date >= CAST($start AS DATE) AND item_date < CAST($end AS DATE)
      AND ($all_rails OR list_contains($rails, rail_id))
      AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
    GROUP BY ALL
)
SELECT
    coalesce(i.week, o.week) AS week,
    'all' AS series,
    CAST(coalesce(o.n, 0) AS DOUBLE) / nullif(i.n, 0) AS value,
    CAST(coalesce(o.n, 0) AS DOUBLE) AS numerator,
    CAST(coalesce(i.n, 0) AS DOUBLE) AS denominator
FROM items AS i
FULL OUTER JOIN opened AS o ON o.week = i.week
ORDER BY week
