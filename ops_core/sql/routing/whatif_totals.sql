-- What-if headline: payments in the period, how many the policy would move, how many keep
-- their route for want of an eligible one, and expected cost (exact USD-cent sums), mean
-- success and median and mean time, actual against policy.
-- Inputs: temp table routing_whatif. Grain: one row.
SELECT
    count(*) AS payments,
    count(*) FILTER (
        WHERE (rail_id, partner_id, service) <> (chosen_rail, chosen_partner, chosen_service)
    ) AS moved,
    count(*) FILTER (WHERE kept) AS kept,
    count(*) FILTER (WHERE actual_blocked_by IS NOT NULL) AS actual_blocked,
    coalesce(sum(amount_usd_minor), 0) AS amount_usd_minor,
    coalesce(sum(actual_cost_usd_minor), 0) AS actual_cost_usd_minor,
    coalesce(sum(chosen_cost_usd_minor), 0) AS chosen_cost_usd_minor,
    avg(actual_success) AS actual_success,
    avg(chosen_success) AS chosen_success,
    median(actual_seconds) AS actual_seconds_p50,
    median(chosen_seconds) AS chosen_seconds_p50,
    avg(actual_seconds) AS actual_seconds_mean,
    avg(chosen_seconds) AS chosen_seconds_mean
FROM routing_whatif
