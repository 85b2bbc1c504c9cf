-- The what-if per logical payment: the route actually used and the route $policy picks among
-- the candidates no constraint rules out ('cheapest', 'fastest' or 'most_reliable'; ties go
-- to the cheaper, then faster, then more reliable route, then by name). When no candidate is
-- eligible the payment keeps its actual route (kept = true).
-- Inputs: temp table routing_candidates (whatif_candidates). Grain: one row per logical payment.
CREATE OR REPLACE TEMP TABLE routing_whatif AS
WITH ranked AS (
    SELECT
        *,
        count(*) OVER (PARTITION BY original_payment_id, rail_id, partner_id) AS eligible,
        row_number() OVER (
            PARTITION BY original_payment_id, rail_id, partner_id
            ORDER BY
                CASE WHEN $policy = 'cheapest' THEN cost_usd_minor END NULLS LAST,
                CASE WHEN $policy = 'fastest' THEN expected_seconds END NULLS LAST,
                CASE WHEN $policy = 'most_reliable' THEN -success END NULLS LAST,
                cost_usd_minor,
                expected_seconds,
                -success,
                cand_rail,
                cand_partner,
                cand_service
        ) AS pick
    FROM routing_candidates
    WHERE blocked_by IS NULL
)
SELECT
    a.original_payment_id,
    a.rail_id,
    a.partner_id,
    a.service,
    a.created_at,
    a.client_id,
    a.instrument,
    a.direction,
    a.currency,
    a.source_currency,
    a.band,
    a.amount_minor,
    a.amount_usd_minor,
    a.blocked_by AS actual_blocked_by,
    coalesce(c.eligible, 0) AS eligible,
    c.cand_rail IS NULL AS kept,
    coalesce(c.cand_rail, a.cand_rail) AS chosen_rail,
    coalesce(c.cand_partner, a.cand_partner) AS chosen_partner,
    coalesce(c.cand_service, a.cand_service) AS chosen_service,
    a.cost_minor AS actual_cost_minor,
    coalesce(c.cost_minor, a.cost_minor) AS chosen_cost_minor,
    a.cost_usd_minor AS actual_cost_usd_minor,
    coalesce(c.cost_usd_minor, a.cost_usd_minor) AS chosen_cost_usd_minor,
    a.success AS actual_success,
    coalesce(c.success, a.success) AS chosen_success,
    a.expected_seconds AS actual_seconds,
    coalesce(c.expected_seconds, a.expected_seconds) AS chosen_seconds
FROM routing_candidates AS a
LEFT JOIN ranked AS c
    ON c.original_payment_id = a.original_payment_id
    AND c.rail_id = a.rail_id
    AND c.partner_id = a.partner_id
    AND c.pick = 1
WHERE a.is_actual
