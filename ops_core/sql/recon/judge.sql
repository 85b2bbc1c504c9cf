-- Each finding with its amount at stake in USD cents (fx_reference_rates.csv), its age in days
-- (from the day the money moved or should have), severity, SLA hours and escalation queue from
-- break_sla (the most specific category, then the highest amount band, then the highest age
-- band that applies) and its queue and owner from break_routing (lowest priority number that
-- matches rail, partner, category and amount). Inputs: rx_findings, rx_fx, break_sla,
-- break_routing; $as_of_day. Grain: one row per finding (break_key).
CREATE OR REPLACE TEMP TABLE rx_judged AS
WITH
-- a break_key found twice keeps its largest exposure; the rare repeated keys are deduplicated
-- on their own (a window, or an arg_max, over every finding packs every column of 76k rows)
repeated AS (
    SELECT break_key FROM rx_findings GROUP BY break_key HAVING count(*) > 1
),
once AS (
    SELECT * FROM rx_findings WHERE break_key NOT IN (SELECT break_key FROM repeated)
    UNION ALL
    SELECT * FROM rx_findings WHERE break_key IN (SELECT break_key FROM repeated)
    QUALIFY row_number() OVER (PARTITION BY break_key ORDER BY exposure_minor DESC) = 1
),
f AS (
    SELECT
        f.* REPLACE (
            coalesce(upper(left(f.detail, 1)) || substr(f.detail, 2), f.category) AS detail),
        CAST(round(f.exposure_minor * coalesce(fx.usd_per_unit, 1) * 100
            / 10 ** coalesce(fx.exponent, 2)) AS BIGINT) AS exposure_usd_minor,
        date_diff('day', f.item_date, CAST($as_of_day AS DATE)) AS age_days
    FROM once AS f
    LEFT JOIN rx_fx AS fx ON fx.currency = f.currency
),
-- the best rule per finding as an arg_min over an ordering key (an aggregate: a window per
-- break_key sorted tens of thousands of tiny partitions)
sla AS (
    SELECT f.break_key, arg_min(
        {'severity': s.severity, 'sla_hours': s.sla_hours, 'escalate_to': s.escalate_to},
        {'generic': s.category = '*', 'amount': -s.min_amount_usd_minor,
            'age': -s.min_age_days}) AS best
    FROM f
    JOIN break_sla AS s
        ON s.category IN (f.category, '*')
        AND s.min_amount_usd_minor <= f.exposure_usd_minor
        AND s.min_age_days <= f.age_days
        AND s.effective_from <= $as_of_day
    GROUP BY f.break_key
),
route AS (
    SELECT f.break_key, arg_min(
        {'queue': r.queue, 'owner': r.owner},
        {'priority': r.priority, 'any_rail': r.rail_id = '*', 'any_partner': r.partner_id = '*',
            'any_category': r.category = '*'}) AS best
    FROM f
    JOIN break_routing AS r
        ON r.rail_id IN (coalesce(f.rail_id, '?'), '*')
        AND r.partner_id IN (coalesce(f.partner_id, '?'), '*')
        AND r.category IN (f.category, '*')
        AND r.min_amount_usd_minor <= f.exposure_usd_minor
        AND r.effective_from <= $as_of_day
    GROUP BY f.break_key
)
SELECT
    f.*,
    coalesce(s.best.severity, 'medium') AS severity,
    coalesce(s.best.sla_hours, 48) AS sla_hours,
    coalesce(s.best.escalate_to, 'recon-leads') AS escalate_to,
    coalesce(r.best.queue, 'recon-ops') AS queue,
    r.best.owner AS owner
FROM f
LEFT JOIN sla AS s ON s.break_key = f.break_key
LEFT JOIN route AS r ON r.break_key = f.break_key
