-- Rows behind the payment KPIs (volume, value, success rate) for one ISO week (UTC): logical
-- payments per rail and partner, by outcome, with their amount in the rail's currency.
-- Inputs: rollup_hourly, partners; $start, $end (the week), $rails.
-- Grain: rail x partner x currency.
-- $partner: NULL = every partner; else that partner's rows only (partner screen-share mode).
SELECT
    h.rail_id,
    h.partner_id,
    coalesce(p.name, h.partner_id) AS partner,
    h.currency,
    CAST(sum(h.payments) AS BIGINT) AS payments,
    CAST(sum(h.succeeded) AS BIGINT) AS succeeded,
    CAST(sum(h.failed) AS BIGINT) AS failed,
    CAST(sum(h.returned) AS BIGINT) AS returned,
    CAST(sum(h.pending) AS BIGINT) AS pending,
    CAST(sum(h.succeeded) AS DOUBLE) / nullif(sum(h.payments - h.pending), 0) AS success_rate,
    CAST(sum(h.amount_minor) AS BIGINT) AS amount_minor
FROM rollup_hourly AS h
LEFT JOIN partners AS p ON p.partner_id = h.partner_id
WHERE h.hour >= $start AND h.hour < $end AND list_contains($rails, h.rail_id)
    AND (CAST($partner AS VARCHAR) IS NULL OR h.partner_id = CAST($partner AS VARCHAR))
GROUP BY ALL
ORDER BY h.rail_id, payments DESC, h.partner_id
