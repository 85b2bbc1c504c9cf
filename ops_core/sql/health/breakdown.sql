-- Volume, value and success rate by partner and by client for the chosen filters.
-- Inputs: rollup_hourly, partners, clients; $start, $end, $rails, $partners, $clients.
-- Grain: rail x partner x client.
SELECT
    h.rail_id,
    h.partner_id,
    p.name AS partner,
    h.client_id,
    c.name AS client,
    h.currency,
    sum(h.payments) AS payments,
    sum(h.succeeded) AS succeeded,
    sum(h.payments - h.pending) AS decided,
    sum(h.failed) AS failed,
    sum(h.returned) AS returned,
    sum(h.amount_minor) AS amount_minor
FROM rollup_hourly AS h
LEFT JOIN partners AS p USING (partner_id)
LEFT JOIN clients AS c USING (client_id)
WHERE h.hour >= $start AND h.hour < $end
  AND list_contains($rails, h.rail_id)
  AND list_contains($partners, h.partner_id)
  AND list_contains($clients, h.client_id)
GROUP BY ALL
