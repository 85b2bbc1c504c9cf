-- Attempts pending longer than their rail allows (rails.stuck_after_seconds) at $now.
-- Inputs: pending_payments, rails, partners, clients; $now, $partners (the partners in view).
-- Grain: one row per stuck attempt.
SELECT
    p.payment_id,
    p.rail_id,
    p.partner_id,
    pa.name AS partner,
    p.client_id,
    cl.name AS client,
    p.created_at,
    p.amount_minor,
    p.currency,
    epoch($now) - epoch(p.created_at) AS age_seconds,
    r.stuck_after_seconds
FROM pending_payments AS p
JOIN rails AS r USING (rail_id)
LEFT JOIN partners AS pa USING (partner_id)
LEFT JOIN clients AS cl USING (client_id)
WHERE epoch($now) - epoch(p.created_at) > r.stuck_after_seconds
  AND list_contains($partners, p.partner_id)
ORDER BY p.created_at
