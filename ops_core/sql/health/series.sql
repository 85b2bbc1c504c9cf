-- Volume and success rate over time for the chosen rails, partners and clients.
-- Inputs: rollup_hourly; $start, $end (UTC), $grain ('hour' or 'day'), $tz (viewer's zone),
-- $rails, $partners, $clients. Grain: one row per time bucket in the viewer's zone.
SELECT
    date_trunc($grain, timezone($tz, hour)) AS bucket,
    sum(payments) AS payments,
    sum(succeeded) AS succeeded,
    sum(failed) AS failed,
    sum(returned) AS returned,
    sum(pending) AS pending,
    sum(amount_minor) AS amount_minor
FROM rollup_hourly
WHERE hour >= $start AND hour < $end
  AND list_contains($rails, rail_id)
  AND list_contains($partners, partner_id)
  AND list_contains($clients, client_id)
GROUP BY bucket
ORDER BY bucket
