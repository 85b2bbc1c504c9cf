-- Per-client card dispute ratios over [$start, $end): card disputes opened in the window over
-- the client's card payments created in it, per network, split into pulls (AFT: full dispute
-- rights) and pushes (OCT: limited rights, domain.md §6.5).
-- Inputs: $start, $end (TIMESTAMPTZ). Grain: one row per (client, network).
-- $partner: NULL = every partner; else that partner's payments and the cases on them only
-- (partner screen-share mode, issue 8).
WITH pay AS (
    SELECT
        client_id,
        CASE rail_id WHEN 'VISA_DIRECT' THEN 'visa' ELSE 'mastercard' END AS network,
        count(*) AS payments,
        count(*) FILTER (WHERE direction = 'pull') AS pulls,
        count(*) FILTER (WHERE direction = 'push') AS pushes
    FROM payments
    WHERE rail_id IN ('VISA_DIRECT', 'MC_MOVE') AND status <> 'failed'
        AND created_at >= $start AND created_at < $end
        AND (CAST($partner AS VARCHAR) IS NULL OR partner_id = CAST($partner AS VARCHAR))
    GROUP BY ALL
),
disp AS (
    SELECT
        client_id,
        network,
        count(*) AS disputes,
        count(*) FILTER (WHERE direction = 'pull') AS pull_disputes,
        count(*) FILTER (WHERE direction = 'push') AS push_disputes,
        count(*) FILTER (WHERE reason_category = 'fraud') AS fraud_disputes
    FROM dispute_cases AS d
    WHERE network IN ('visa', 'mastercard') AND opened_at >= $start AND opened_at < $end
        AND (CAST($partner AS VARCHAR) IS NULL OR d.payment_id IN (
            SELECT payment_id FROM payments WHERE partner_id = CAST($partner AS VARCHAR)
        ))
    GROUP BY ALL
)
SELECT
    coalesce(p.client_id, d.client_id) AS client_id,
    coalesce(p.network, d.network) AS network,
    coalesce(p.payments, 0) AS payments,
    coalesce(p.pulls, 0) AS pulls,
    coalesce(p.pushes, 0) AS pushes,
    coalesce(d.disputes, 0) AS disputes,
    coalesce(d.pull_disputes, 0) AS pull_disputes,
    coalesce(d.push_disputes, 0) AS push_disputes,
    coalesce(d.fraud_disputes, 0) AS fraud_disputes
FROM pay AS p
FULL OUTER JOIN disp AS d ON d.client_id = p.client_id AND d.network = p.network
ORDER BY client_id, network
