-- Breaks for the queue and the summary, filtered (an empty list means any): status, category,
-- rail, partner, severity, queue; $assignee NULL = anyone, '' = unassigned. Age in days from
-- the item's date to $as_of; SLA state breached / at risk (due within $risk_hours) / ok.
-- Inputs: recon_breaks; $statuses, $categories, $rails, $partners, $severities, $queues
-- (VARCHAR[]), $assignee, $as_of, $risk_hours; $partner (NULL = every partner; else that
-- partner's breaks only: partner screen-share mode). Grain: one row per break.
SELECT
    b.break_id,
    b.category,
    b.status,
    b.severity,
    b.rail_id,
    b.partner_id,
    b.account,
    b.queue,
    b.assignee,
    b.currency,
    b.exposure_minor,
    b.exposure_usd_minor,
    b.difference_minor,
    b.field,
    b.ledger_value,
    b.ext_value,
    b.detail,
    b.item_date,
    date_diff('day', b.item_date, CAST($as_of AS DATE)) AS age_days,
    b.detected_at,
    b.sla_due_at,
    CASE
        WHEN b.status NOT IN ('open', 'investigating', 'escalated') THEN 'closed'
        WHEN b.sla_due_at < $as_of THEN 'breached'
        WHEN b.sla_due_at < $as_of + to_hours(CAST($risk_hours AS INTEGER)) THEN 'at_risk'
        ELSE 'ok'
    END AS sla_state,
    b.resolution_category,
    b.resolved_at,
    b.payment_id,
    b.ext_id,
    b.version
FROM recon_breaks AS b
WHERE (len($statuses) = 0 OR list_contains($statuses, b.status))
    AND (len($categories) = 0 OR list_contains($categories, b.category))
    AND (len($rails) = 0 OR list_contains($rails, b.rail_id))
    AND (len($partners) = 0 OR list_contains($partners, b.partner_id))
    AND (len($severities) = 0 OR list_contains($severities, b.severity))
    AND (len($queues) = 0 OR list_contains($queues, b.queue))
    AND ($assignee IS NULL OR coalesce(b.assignee, '') = $assignee)
    AND (CAST($partner AS VARCHAR) IS NULL OR b.partner_id = CAST($partner AS VARCHAR))
ORDER BY b.break_id
