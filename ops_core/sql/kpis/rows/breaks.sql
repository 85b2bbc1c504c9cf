-- Rows behind the reconciliation KPIs for one ISO week (UTC): the breaks opened on the week's
-- items, closed in it, with an SLA due in it, or open at its end, with which of those apply.
-- Inputs: recon_breaks (migration 050); $start, $end (the week), $rails, $all_rails.
-- Grain: break.
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
SELECT
    break_id,
    category,
    rail_id,
    partner_id,
    status,
    severity,
    item_date,
    detected_at,
    resolved_at,
    sla_due_at,
    exposure_minor,
    currency,
    item_date >= CAST($start AS DATE) AND item_date < CAST($end AS DATE) AS opened_on_week_item,
    coalesce(
        status IN ('resolved', 'written_off') AND resolved_at >= $start AND resolved_at < $end,
        FALSE
    ) AS closed_in_week,
    sla_due_at >= $start AND sla_due_at < $end AS sla_due_in_week,
    coalesce(resolved_at <= sla_due_at, FALSE) AS closed_within_sla,
    detected_at < $end AND (resolved_at IS NULL OR resolved_at >= $end) AS open_at_end,
    datediff('day', item_date, CAST($end AS DATE)) AS age_days_at_end
FROM recon_breaks
WHERE ($all_rails OR list_contains($rails, rail_id))
  AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
  AND (
      (item_date >= CAST($start AS DATE) AND item_date < CAST($end AS DATE))
      OR (resolved_at >= $start AND resolved_at < $end)
      OR (sla_due_at >= $start AND sla_due_at < $end)
      OR (detected_at < $end AND (resolved_at IS NULL OR resolved_at >= $end))
  )
ORDER BY open_at_end DESC, age_days_at_end DESC, break_id
