-- Per-client ACH debit return counts for the Nacha return-rate thresholds (domain.md §1.2),
-- by both calculation methods, over the lookback window [$start, $end):
--   method 1: debit returns received in the window / debit entries originated in the window;
--   method 2: returns (received up to $end) of the debit entries originated in the window /
--             those entries (each return matched to its originating period).
-- Only debit entries count; RCK entries are left out of every rate. The unauthorized and
-- administrative sets come from the codes table (category of scheme nacha_return).
-- Inputs: $start, $end (TIMESTAMPTZ). Grain: one row per client with ACH debits.
-- $partner: NULL = every partner; else that partner's payments and the cases on them only
-- (partner screen-share mode, issue 8).
WITH debits AS (
    SELECT
        p.client_id,
        p.created_at >= $start AND p.created_at < $end AS originated_in,
        p.status = 'returned' AND p.returned_at < $end AS returned_by_end,
        p.status = 'returned' AND p.returned_at >= $start AND p.returned_at < $end AS returned_in,
        coalesce(c.category, 'other') AS category
    FROM payments AS p
    LEFT JOIN codes AS c ON c.scheme = 'nacha_return' AND c.code = p.code
    WHERE p.rail_id = 'ACH' AND p.dc = 'debit' AND coalesce(p.txn_type, '') <> 'RCK'
        AND (CAST($partner AS VARCHAR) IS NULL OR p.partner_id = CAST($partner AS VARCHAR))
)
SELECT
    client_id,
    count(*) FILTER (WHERE originated_in) AS debit_entries,
    count(*) FILTER (WHERE returned_in AND category = 'unauthorized') AS m1_unauthorized,
    count(*) FILTER (WHERE returned_in AND category = 'administrative') AS m1_administrative,
    count(*) FILTER (WHERE returned_in) AS m1_overall,
    count(*) FILTER (WHERE originated_in AND returned_by_end AND category = 'unauthorized')
        AS m2_unauthorized,
    count(*) FILTER (WHERE originated_in AND returned_by_end AND category = 'administrative')
        AS m2_administrative,
    count(*) FILTER (WHERE originated_in AND returned_by_end) AS m2_overall
FROM debits
GROUP BY client_id
HAVING count(*) FILTER (WHERE originated_in OR returned_in) > 0
ORDER BY client_id
