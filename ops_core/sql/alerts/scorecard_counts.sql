-- A partner's figures per rail and week, weeks counted back from $end (k = 0: the 7 days
-- before $end), for the partner scorecard.
-- payments / decided / succeeded / amount: logical payments from rollup_hourly by the hour of
-- their first attempt. settled / on_time: completed attempts, and those final within what
-- the rail should take: banking-day rails (ACH) settled at most rails.settlement_lag_days
-- banking days after the day they were made (in the rail's cut-off time zone: next-day ACH
-- settles the next banking day, domain.md §2.6); other rails final within twice their typical
-- time, rails.expected_final_seconds (RTP and FedNow 5 s, card push 30 s, USDC finality
-- 13 min: half of all payments take longer than typical, so typical alone is no bar).
-- Inputs: rollup_hourly, payments, rails; score_days (registered by
-- ops_core.alerts.scorecards: calendar, day, banking_day_index); $partner, $end, $weeks.
-- Grain: week back (k) x rail.
WITH counts AS (
    SELECT
        CAST(floor((epoch($end) - epoch(hour)) / 604800) AS INTEGER) AS k,
        rail_id,
        any_value(currency) AS currency,
        sum(payments) AS payments,
        sum(payments - pending) AS decided,
        sum(succeeded) AS succeeded,
        sum(amount_minor) AS amount_minor
    FROM rollup_hourly
    WHERE partner_id = $partner
      AND hour >= $end - to_days(7 * CAST($weeks AS INTEGER)) AND hour < $end
    GROUP BY ALL
),
timely AS (
    SELECT
        CAST(floor((epoch($end) - epoch(p.created_at)) / 604800) AS INTEGER) AS k,
        p.rail_id,
        count(*) AS settled,
        count(*) FILTER (
            WHERE CASE
                WHEN r.operating_hours = 'banking_days'
                    THEN fd.banking_day_index - cd.banking_day_index <= r.settlement_lag_days
                ELSE epoch(p.final_at) - epoch(p.created_at) <= 2 * r.expected_final_seconds
            END
        ) AS on_time
    FROM payments AS p
    JOIN rails AS r ON r.rail_id = p.rail_id
    LEFT JOIN score_days AS cd
        ON cd.calendar = r.calendar
        AND cd.day = CAST(timezone(coalesce(r.cutoff_timezone, 'UTC'), p.created_at) AS DATE)
    LEFT JOIN score_days AS fd
        ON fd.calendar = r.calendar
        AND fd.day = CAST(timezone(coalesce(r.cutoff_timezone, 'UTC'), p.final_at) AS DATE)
    WHERE p.partner_id = $partner
      AND p.status = 'completed'
      AND p.created_at >= $end - to_days(7 * CAST($weeks AS INTEGER)) AND p.created_at < $end
    GROUP BY ALL
)
SELECT
    c.k,
    c.rail_id,
    c.currency,
    c.payments,
    c.decided,
    c.succeeded,
    c.amount_minor,
    coalesce(t.settled, 0) AS settled,
    coalesce(t.on_time, 0) AS on_time
FROM counts AS c
LEFT JOIN timely AS t USING (k, rail_id)
ORDER BY c.rail_id, c.k
