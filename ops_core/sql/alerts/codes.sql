-- Failure and return codes per hour and route with their baselines, for the code rules.
-- For each hour h in [$start, $end) where a code arrived on a route (rail x partner):
--   n / total: that code's count and all codes' count on the route in h;
--   base_n / base_total: the same over [h - $lookback_days days, h - 1 day) (yesterday and
--     today are left out, so an incident that began this morning is not its own baseline);
--   rail_seen: the code's count on the whole rail (any partner) over that baseline window.
-- Inputs: rollup_codes (by the hour the code arrived), codes; $start, $end, $lookback_days.
-- Grain: hour x rail x partner x code scheme x code.
WITH hourly AS (
    SELECT hour, rail_id, partner_id, code_scheme, code, sum(n) AS n, sum(amount_minor) AS amount_minor
    FROM rollup_codes
    WHERE hour >= $start - to_days(CAST($lookback_days AS INTEGER)) AND hour < $end
    GROUP BY ALL
),
route_total AS (
    SELECT hour, rail_id, partner_id, sum(n) AS total
    FROM hourly
    GROUP BY ALL
),
rail_code AS (
    SELECT hour, rail_id, code_scheme, code, sum(n) AS n
    FROM hourly
    GROUP BY ALL
),
route_code_base AS (
    SELECT
        *,
        coalesce(sum(n) OVER (
            PARTITION BY rail_id, partner_id, code_scheme, code ORDER BY hour
            RANGE BETWEEN to_days(CAST($lookback_days AS INTEGER)) PRECEDING AND INTERVAL 1 DAY PRECEDING
        ), 0) AS base_n
    FROM hourly
),
route_total_base AS (
    SELECT
        *,
        coalesce(sum(total) OVER (
            PARTITION BY rail_id, partner_id ORDER BY hour
            RANGE BETWEEN to_days(CAST($lookback_days AS INTEGER)) PRECEDING AND INTERVAL 1 DAY PRECEDING
        ), 0) AS base_total
    FROM route_total
),
rail_code_base AS (
    SELECT
        *,
        coalesce(sum(n) OVER (
            PARTITION BY rail_id, code_scheme, code ORDER BY hour
            RANGE BETWEEN to_days(CAST($lookback_days AS INTEGER)) PRECEDING AND INTERVAL 1 DAY PRECEDING
        ), 0) AS rail_seen
    FROM rail_code
)
SELECT
    c.hour,
    c.rail_id,
    c.partner_id,
    c.code_scheme,
    c.code,
    coalesce(k.title, 'unknown code') AS title,
    c.n,
    c.amount_minor,
    t.total,
    c.base_n,
    t.base_total,
    r.rail_seen
FROM route_code_base AS c
JOIN route_total_base AS t USING (hour, rail_id, partner_id)
JOIN rail_code_base AS r USING (hour, rail_id, code_scheme, code)
LEFT JOIN codes AS k ON k.scheme = c.code_scheme AND k.code = c.code
WHERE c.hour >= $start
ORDER BY c.rail_id, c.partner_id, c.code, c.hour
