-- Failure/return codes ranked per rail in a window, with the code's meaning.
-- Inputs: rollup_codes, codes; $start, $end (UTC instants), $rails, $partners, $clients (lists).
-- Grain: rail x scheme x code, most frequent first; ties by rail, scheme and code (so a
-- tile's top code does not change between renders).
SELECT
    r.rail_id,
    r.code_scheme,
    r.code,
    coalesce(c.title, 'unknown code') AS title,
    c.category,
    sum(r.n) AS n,
    sum(r.amount_minor) AS amount_minor
FROM rollup_codes AS r
LEFT JOIN codes AS c ON c.scheme = r.code_scheme AND c.code = r.code
WHERE r.hour >= $start AND r.hour < $end
  AND list_contains($rails, r.rail_id)
  AND list_contains($partners, r.partner_id)
  AND list_contains($clients, r.client_id)
GROUP BY ALL
ORDER BY n DESC, r.rail_id, r.code_scheme, r.code
