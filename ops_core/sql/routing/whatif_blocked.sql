-- Why candidate routes were ruled out in the what-if: candidate (payment, route) pairs per
-- route and constraint, the evidence that constraints were respected.
-- Inputs: temp table routing_candidates. Grain: candidate route x constraint.
SELECT
    cand_rail,
    cand_partner,
    cand_service,
    blocked_by,
    count(*) AS candidates,
    count(DISTINCT original_payment_id) AS payments
FROM routing_candidates
WHERE blocked_by IS NOT NULL
GROUP BY ALL
ORDER BY candidates DESC
