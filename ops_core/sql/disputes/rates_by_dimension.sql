-- Dispute rate and outcomes by client, rail, transaction type, network, reason code and
-- onboarding cohort (clients.onboarded_on, by quarter), over cases opened and payments
-- created in [$start, $end). Payments count where disputes can arise: ACH debits (nacha),
-- Visa Direct (visa), Mastercard Move (mastercard), RTP and FedNow (reg_e). A reason code has
-- no payment count of its own (payments = NULL).
-- Inputs: $start, $end (TIMESTAMPTZ). Grain: one row per (dimension, value).
-- $partner: NULL = every partner; else that partner's payments and the cases on them only
-- (partner screen-share mode, issue 8).
WITH scope AS (
    SELECT
        p.client_id,
        p.rail_id,
        coalesce(p.txn_type, '') AS txn_type,
        CASE
            WHEN p.rail_id = 'ACH' AND p.dc = 'debit' THEN 'nacha'
            WHEN p.rail_id = 'VISA_DIRECT' THEN 'visa'
            WHEN p.rail_id = 'MC_MOVE' THEN 'mastercard'
            WHEN p.rail_id IN ('RTP', 'FEDNOW') THEN 'reg_e'
        END AS network,
        year(k.onboarded_on) || '-Q' || quarter(k.onboarded_on) AS cohort
    FROM payments AS p
    JOIN clients AS k ON k.client_id = p.client_id
    WHERE p.created_at >= $start AND p.created_at < $end AND p.attempt_no = 1
        AND (CAST($partner AS VARCHAR) IS NULL OR p.partner_id = CAST($partner AS VARCHAR))
),
volume AS (
    SELECT
        CASE
            WHEN grouping(client_id) = 0 THEN 'client'
            WHEN grouping(rail_id) = 0 THEN 'rail'
            WHEN grouping(txn_type) = 0 THEN 'txn_type'
            WHEN grouping(network) = 0 THEN 'network'
            ELSE 'cohort'
        END AS dimension,
        coalesce(client_id, rail_id, txn_type, network, cohort) AS value,
        count(*) AS payments
    FROM scope
    WHERE network IS NOT NULL
    GROUP BY GROUPING SETS ((client_id), (rail_id), (txn_type), (network), (cohort))
),
disputes AS (
    SELECT
        d.*,
        coalesce(d.txn_type, '') AS txn_type_key,
        year(k.onboarded_on) || '-Q' || quarter(k.onboarded_on) AS cohort
    FROM dispute_cases AS d
    LEFT JOIN clients AS k ON k.client_id = d.client_id
    WHERE d.opened_at >= $start AND d.opened_at < $end
        AND (CAST($partner AS VARCHAR) IS NULL OR d.payment_id IN (
            SELECT payment_id FROM payments WHERE partner_id = CAST($partner AS VARCHAR)
        ))
),
outcomes AS (
    SELECT
        CASE
            WHEN grouping(client_id) = 0 THEN 'client'
            WHEN grouping(rail_id) = 0 THEN 'rail'
            WHEN grouping(txn_type_key) = 0 THEN 'txn_type'
            WHEN grouping(network) = 0 THEN 'network'
            WHEN grouping(reason_code) = 0 THEN 'reason'
            ELSE 'cohort'
        END AS dimension,
        coalesce(client_id, rail_id, txn_type_key, network, reason_code, cohort) AS value,
        count(*) AS disputes,
        count(*) FILTER (WHERE outcome = 'won') AS won,
        count(*) FILTER (WHERE outcome = 'lost') AS lost,
        count(*) FILTER (WHERE outcome = 'accepted') AS accepted,
        count(*) FILTER (WHERE outcome = 'expired') AS expired,
        count(*) FILTER (WHERE status <> 'closed') AS open,
        CAST(sum(amount_disputed_minor) AS BIGINT) AS disputed_minor,
        CAST(sum(amount_recovered_minor) AS BIGINT) AS recovered_minor,
        min(currency) AS currency,
        count(DISTINCT currency) AS currencies
    FROM disputes
    GROUP BY GROUPING SETS (
        (client_id), (rail_id), (txn_type_key), (network), (reason_code), (cohort)
    )
)
SELECT
    coalesce(o.dimension, v.dimension) AS dimension,
    coalesce(o.value, v.value) AS value,
    v.payments,
    coalesce(o.disputes, 0) AS disputes,
    coalesce(o.won, 0) AS won,
    coalesce(o.lost, 0) AS lost,
    coalesce(o.accepted, 0) AS accepted,
    coalesce(o.expired, 0) AS expired,
    coalesce(o.open, 0) AS open,
    coalesce(o.disputed_minor, 0) AS disputed_minor,
    coalesce(o.recovered_minor, 0) AS recovered_minor,
    o.currency,
    coalesce(o.currencies, 0) AS currencies
FROM outcomes AS o
FULL OUTER JOIN volume AS v ON v.dimension = o.dimension AND v.value = o.value
ORDER BY dimension, disputes DESC, value
