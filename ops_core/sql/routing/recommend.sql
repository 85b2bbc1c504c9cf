-- Routing recommendations per payment profile (instrument x direction x currency x band x
-- urgency) from the what-if: the route the policy picks most often, the runner-up (used
-- where the first is ruled out, e.g. after a cut-off), the route used today, and the evidence
-- behind the pick: the route's volume, sample of decided payments, successes and latency in
-- the statistics window, and the profile's expected cost and saving in the period.
-- Inputs: temp tables routing_whatif and routing_route_stats; amount_bands, urgencies.
-- Grain: one row per profile.
WITH picks AS (
    SELECT
        instrument,
        direction,
        currency,
        band,
        service AS urgency,
        chosen_rail,
        chosen_partner,
        chosen_service,
        count(*) AS n,
        sum(chosen_cost_usd_minor) AS cost_usd_minor,
        sum(amount_usd_minor) AS amount_usd_minor
    FROM routing_whatif
    GROUP BY ALL
),
ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY instrument, direction, currency, band, urgency
            ORDER BY n DESC, chosen_rail, chosen_partner, chosen_service
        ) AS rk
    FROM picks
),
used AS (
    SELECT
        instrument,
        direction,
        currency,
        band,
        service AS urgency,
        rail_id,
        partner_id,
        service,
        count(*) AS n
    FROM routing_whatif
    GROUP BY ALL
),
today AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY instrument, direction, currency, band, urgency
            ORDER BY n DESC, rail_id, partner_id, service
        ) AS rk
    FROM used
),
profile AS (
    SELECT
        instrument,
        direction,
        currency,
        band,
        service AS urgency,
        count(*) AS payments,
        sum(amount_usd_minor) AS amount_usd_minor,
        sum(actual_cost_usd_minor) AS actual_cost_usd_minor,
        sum(chosen_cost_usd_minor) AS chosen_cost_usd_minor
    FROM routing_whatif
    GROUP BY ALL
)
SELECT
    p.*,
    r1.chosen_rail AS rail_id,
    r1.chosen_partner AS partner_id,
    r1.chosen_service AS service,
    r1.n AS route_payments,
    r1.cost_usd_minor AS route_cost_usd_minor,
    r1.amount_usd_minor AS route_amount_usd_minor,
    r2.chosen_rail AS fallback_rail,
    r2.chosen_partner AS fallback_partner,
    r2.chosen_service AS fallback_service,
    coalesce(r2.n, 0) AS fallback_payments,
    t.rail_id AS current_rail,
    t.partner_id AS current_partner,
    t.service AS current_service,
    t.n AS current_payments,
    s.payments AS evidence_payments,
    s.sample AS evidence_sample,
    s.succeeded AS evidence_succeeded,
    s.success AS expected_success,
    s.p50_ms,
    s.p95_ms,
    b.lower_usd_minor,
    b.upper_usd_minor
FROM profile AS p
JOIN ranked AS r1
    ON r1.rk = 1 AND (r1.instrument, r1.direction, r1.currency, r1.band, r1.urgency)
        = (p.instrument, p.direction, p.currency, p.band, p.urgency)
LEFT JOIN ranked AS r2
    ON r2.rk = 2 AND (r2.instrument, r2.direction, r2.currency, r2.band, r2.urgency)
        = (p.instrument, p.direction, p.currency, p.band, p.urgency)
LEFT JOIN today AS t
    ON t.rk = 1 AND (t.instrument, t.direction, t.currency, t.band, t.urgency)
        = (p.instrument, p.direction, p.currency, p.band, p.urgency)
LEFT JOIN routing_route_stats AS s
    ON s.rail_id = r1.chosen_rail AND s.partner_id = r1.chosen_partner
        AND s.service = r1.chosen_service AND s.band = p.band
LEFT JOIN amount_bands AS b ON b.band = p.band
LEFT JOIN urgencies AS u ON u.urgency = p.urgency
ORDER BY p.instrument, p.direction, p.currency, b.sort_order, u.rank
