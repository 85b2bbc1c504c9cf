-- Each finding with its amount at stake in USD cents (fx_reference_rates.csv), its age in days
-- (from the day the money moved or should have), severity, SLA hours and escalation queue from
-- break_sla (the most specific category, then the highest amount band, then the highest age
-- band that applies) and its queue and owner from break_routing (lowest priority number that
-- matches rail, partner, category and amount). Inputs: rx_findings, rx_fx, break_sla,
-- break_routing; $as_of_day. Grain: one row per finding (break_key).
CREATE OR REPLACE TEMP TABLE rx_judged AS
WITH
f AS (
    SELECT
        f.* REPLACE (
            coalesce(upper(left(f.detail, 1)) || substr(f.detail, 2), f.category) AS detail),
        CAST(round(f.exposure_minor * coalesce(fx.usd_per_unit, 1) * 100
            / 10 ** coalesce(fx.exponent, 2)) AS BIGINT) AS exposure_usd_minor,
        date_diff('day', f.item_date, CAST($as_of_day AS DATE)) AS age_days
    FROM rx_findings AS f
    LEFT JOIN rx_fx AS fx ON fx.currency = f.currency
    QUALIFY row_number() OVER (PARTITION BY f.break_key ORDER BY f.exposure_minor DESC) = 1
),
sla AS (
    SELECT f.break_key, s.severity, s.sla_hours, s.escalate_to
    FROM f
    JOIN break_sla AS s
        ON s.category IN (f.category, '*')
        AND s.min_amount_usd_minor <= f.exposure_usd_minor
        AND s.min_age_days <= f.age_days
        AND s.effective_from <= $as_of_day
    QUALIFY row_number() OVER (
        PARTITION BY f.break_key
        ORDER BY s.category = '*', s.min_amount_usd_minor DESC, s.min_age_days DESC) = 1
),
route AS (
    SELECT f.break_key, r.queue, r.owner
    FROM f
    JOIN break_routing AS r
        ON r.rail_id IN (coalesce(f.rail_id, '?'), '*')
        AND r.partner_id IN (coalesce(f.partner_id, '?'), '*')
        AND r.category IN (f.category, '*')
        AND r.min_amount_usd_minor <= f.exposure_usd_minor
        AND r.effective_from <= $as_of_day
    QUALIFY row_number() OVER (
        PARTITION BY f.break_key
        ORDER BY r.priority, r.rail_id = '*', r.partner_id = '*', r.category = '*') = 1
)
SELECT
    f.*,
    coalesce(s.severity, 'medium') AS severity,
    coalesce(s.sla_hours, 48) AS sla_hours,
    coalesce(s.escalate_to, 'recon-leads') AS escalate_to,
    coalesce(r.queue, 'recon-ops') AS queue,
    r.owner
FROM f
LEFT JOIN sla AS s ON s.break_key = f.break_key
LEFT JOIN route AS r ON r.break_key = f.break_key
