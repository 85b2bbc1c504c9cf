-- Rows behind the ACH return-rate KPIs for one ISO week (UTC): per client (originator), debit
-- entries and returns by Nacha category over the $lookback_days days before the week's end
-- (method 1, domain.md §1.2; RCK left out), their rates and whether each is over its
-- threshold ($limit_*_bps, basis points, compared in integers).
-- Inputs: payments, codes, clients; $end (the week's end), $rails, $lookback_days,
-- $limit_unauthorized_bps, $limit_administrative_bps, $limit_overall_bps. Grain: client.
WITH debits AS (
    SELECT
        p.client_id,
        p.created_at >= $end - to_days(CAST($lookback_days AS INTEGER)) AS originated,
        p.status = 'returned'
        AND p.returned_at >= $end - to_days(CAST($lookback_days AS INTEGER))
        AND p.returned_at < $end AS returned,
        coalesce(c.category, 'other') AS category
    FROM payments AS p
    LEFT JOIN codes AS c ON c.scheme = 'nacha_return' AND c.code = p.code
    WHERE p.rail_id = 'ACH'
      AND p.dc = 'debit'
      AND coalesce(p.txn_type, '') <> 'RCK'
      AND list_contains($rails, 'ACH')
      AND p.created_at < $end
),
per_client AS (
    SELECT
        client_id,
        count(*) FILTER (WHERE originated) AS debit_entries,
        count(*) FILTER (WHERE returned AND category = 'unauthorized') AS unauthorized,
        count(*) FILTER (WHERE returned AND category = 'administrative') AS administrative,
        count(*) FILTER (WHERE returned) AS overall
    FROM debits
    GROUP BY client_id
    HAVING count(*) FILTER (WHERE originated OR returned) > 0
)
SELECT
    r.client_id,
    coalesce(k.name, r.client_id) AS client,
    r.debit_entries,
    r.unauthorized,
    CAST(r.unauthorized AS DOUBLE) / nullif(r.debit_entries, 0) AS unauthorized_rate,
    r.administrative,
    CAST(r.administrative AS DOUBLE) / nullif(r.debit_entries, 0) AS administrative_rate,
    r.overall,
    CAST(r.overall AS DOUBLE) / nullif(r.debit_entries, 0) AS overall_rate,
    r.debit_entries > 0 AND (
        r.unauthorized * 10000 > $limit_unauthorized_bps * r.debit_entries
        OR r.administrative * 10000 > $limit_administrative_bps * r.debit_entries
        OR r.overall * 10000 > $limit_overall_bps * r.debit_entries
    ) AS over_threshold
FROM per_client AS r
LEFT JOIN clients AS k ON k.client_id = r.client_id
ORDER BY over_threshold DESC, unauthorized_rate DESC NULLS LAST, r.client_id
