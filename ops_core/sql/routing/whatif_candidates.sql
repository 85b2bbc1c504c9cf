-- What-if candidates: for each logical payment first created in [$start, $end), every route
-- that delivers its currency to the same instrument, with expected cost, success and time,
-- and the first constraint that rules the route out (NULL = eligible):
--   direction     push/pull not offered (RTP and FedNow are credit push only, domain.md §4.4)
--   amount_limit  above the partner's limit or the rail's network limit (rails.csv)
--   no_fee        no fee schedule row effective that day
--   urgency       a slower service than the payment needed (next-day ACH for a same-day payment)
--   cut_off       a banking-day route whose next cut-off settles too late (domain.md §2.6)
--   no_history    no success history to judge the route by
--   success_bar   expected success below $min_success
--   latency_bar   p95 latency above $max_p95_ms
-- A payment's urgency is the service its actual route delivered. Expected time is the wait
-- to settlement for banking-day routes and the route's p50 latency for 24x7 routes. Expected
-- cost = (fixed + network + gas + amount x (bps + FX spread if cross-currency) / 10^4) x
-- attempts per payment, in minor units of the payout currency (DECIMAL) and in USD cents.
-- Inputs: routing_payments, route_catalog, rails, urgencies, fee_schedule,
-- route_window_instants, routing_banking_days, route_windows, temp table routing_route_stats.
-- Grain: logical payment x candidate route. Kept in a temp table for whatif_choice.
CREATE OR REPLACE TEMP TABLE routing_candidates AS
WITH pay AS (
    SELECT
        p.original_payment_id,
        p.rail_id,
        p.partner_id,
        p.service,
        p.created_at,
        p.client_id,
        p.direction,
        p.currency,
        p.source_currency,
        p.amount_minor,
        p.amount_usd_minor,
        p.usd_minor_per_minor,
        p.band,
        k.instrument,
        u.rank AS urgency_rank,
        u.max_banking_days
    FROM routing_payments AS p
    JOIN route_catalog AS k
        ON k.rail_id = p.rail_id AND k.partner_id = p.partner_id AND k.service = p.service
    JOIN urgencies AS u ON u.urgency = p.service
    WHERE p.created_at >= $start AND p.created_at < $end
),
windowed AS (
    SELECT DISTINCT rail_id, partner_id, service FROM route_windows
),
cand AS (
    SELECT
        pay.*,
        k.rail_id AS cand_rail,
        k.partner_id AS cand_partner,
        k.service AS cand_service,
        k.rail_id = pay.rail_id AND k.partner_id = pay.partner_id
            AND k.service = pay.service AS is_actual,
        w.rail_id IS NOT NULL AS windowed,
        CASE pay.direction WHEN 'push' THEN k.push_ok ELSE k.pull_ok END AS direction_ok,
        least(k.max_amount_minor, CASE WHEN k.rail_limit_applies THEN r.max_amount_minor END)
            AS limit_minor,
        cu.rank AS cand_rank,
        f.fixed_fee_minor + f.network_fee_minor + f.gas_fee_minor AS per_attempt_fee_minor,
        f.bps + CASE WHEN pay.source_currency <> pay.currency THEN f.fx_spread_bps ELSE 0 END
            AS ad_valorem_bps,
        s.success,
        s.sample,
        s.attempts_per_payment,
        s.p50_ms,
        s.p95_ms
    FROM pay
    JOIN route_catalog AS k ON k.instrument = pay.instrument
    JOIN rails AS r ON r.rail_id = k.rail_id AND r.currency = pay.currency
    JOIN urgencies AS cu ON cu.urgency = k.service
    LEFT JOIN windowed AS w
        ON w.rail_id = k.rail_id AND w.partner_id = k.partner_id AND w.service = k.service
    LEFT JOIN fee_schedule AS f
        ON f.rail_id = k.rail_id AND f.partner_id = k.partner_id AND f.service = k.service
        AND f.effective_from <= CAST(pay.created_at AS DATE)
        AND (f.effective_to IS NULL OR CAST(pay.created_at AS DATE) < f.effective_to)
    LEFT JOIN routing_route_stats AS s
        ON s.rail_id = k.rail_id AND s.partner_id = k.partner_id AND s.service = k.service
        AND s.band = pay.band
),
timed AS (
    -- Only banking-day routes need their next cut-off; the 24x7 rest skip the ASOF join.
    SELECT cand.*, i.settle_at, i.settle_day, i.calendar AS window_calendar, i.timezone AS window_zone
    FROM (SELECT * FROM cand WHERE windowed) AS cand
    ASOF LEFT JOIN route_window_instants AS i
        ON i.rail_id = cand.cand_rail
        AND i.partner_id = cand.cand_partner
        AND i.service = cand.cand_service
        AND cand.created_at <= i.cutoff_at
    UNION ALL BY NAME
    SELECT * FROM cand WHERE NOT windowed
),
dated AS (
    SELECT
        timed.*,
        sd.banking_day_index - cd.banking_day_index AS banking_days_to_settle
    FROM timed
    LEFT JOIN routing_banking_days AS cd
        ON cd.calendar = timed.window_calendar
        AND cd.day = CAST(timezone(timed.window_zone, timed.created_at) AS DATE)
    LEFT JOIN routing_banking_days AS sd
        ON sd.calendar = timed.window_calendar AND sd.day = timed.settle_day
),
costed AS (
    SELECT
        dated.*,
        CAST(
            (per_attempt_fee_minor + amount_minor * ad_valorem_bps * 0.0001) * attempts_per_payment
            AS DECIMAL(38, 6)
        ) AS cost_minor,
        CASE
            WHEN windowed THEN epoch(settle_at) - epoch(created_at)
            ELSE p50_ms / 1000
        END AS expected_seconds
    FROM dated
)
SELECT
    * EXCLUDE (window_calendar, window_zone),
    CAST(cost_minor * usd_minor_per_minor AS DECIMAL(38, 6)) AS cost_usd_minor,
    CASE
        WHEN NOT direction_ok THEN 'direction'
        WHEN amount_minor > limit_minor THEN 'amount_limit'
        WHEN per_attempt_fee_minor IS NULL THEN 'no_fee'
        WHEN cand_rank > urgency_rank THEN 'urgency'
        WHEN windowed AND (settle_at IS NULL OR banking_days_to_settle IS NULL
            OR banking_days_to_settle > max_banking_days) THEN 'cut_off'
        WHEN success IS NULL OR expected_seconds IS NULL THEN 'no_history'
        WHEN success < $min_success THEN 'success_bar'
        WHEN p95_ms > $max_p95_ms THEN 'latency_bar'
    END AS blocked_by
FROM costed
