-- What-if totals per payment profile and move (actual route -> chosen route): payments, USD
-- value, expected cost both ways (exact DECIMAL sums), summed expected success (divide by
-- payments for the mean) and median expected time both ways.
-- Inputs: temp table routing_whatif. Grain: profile (instrument x direction x currency x band
-- x urgency) x actual route x chosen route.
SELECT
    instrument,
    direction,
    currency,
    band,
    service AS urgency,
    rail_id,
    partner_id,
    service,
    chosen_rail,
    chosen_partner,
    chosen_service,
    count(*) AS payments,
    count(*) FILTER (WHERE kept) AS kept,
    sum(amount_usd_minor) AS amount_usd_minor,
    sum(actual_cost_usd_minor) AS actual_cost_usd_minor,
    sum(chosen_cost_usd_minor) AS chosen_cost_usd_minor,
    sum(actual_success) AS actual_success_sum,
    sum(chosen_success) AS chosen_success_sum,
    median(actual_seconds) AS actual_seconds_p50,
    median(chosen_seconds) AS chosen_seconds_p50
FROM routing_whatif
GROUP BY ALL
ORDER BY payments DESC
