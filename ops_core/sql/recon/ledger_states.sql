-- The state of every ledger payment after this run's passes that is not a clean exact pair
-- (those are matched: recon_matched): a kept or new match (matched, or a break when the match
-- carries a difference), else the exact pass's outcome (in flight, no movement, not covered,
-- or a break of the named category), else not covered (no exact rule for its rail and
-- partner). At most one row per payment, exactly one with the clean pairs. A view: its
-- exceptions are materialised in rx_lexc (exceptions_ledger) for the later steps.
-- Inputs: rx_pairs_exc, rx_ledger, recon_matches. Grain: one row per payment attempt.
CREATE OR REPLACE TEMP VIEW rx_lstate AS
WITH m AS (
    SELECT unnest(ledger_ids) AS payment_id, match_id, rule_id, category, ext_ids[1] AS ext_id,
        reason
    FROM recon_matches
)
SELECT
    x.payment_id,
    CASE x.outcome
        WHEN 'ok' THEN 'matched'
        WHEN 'ok_tolerance' THEN 'matched'
        WHEN 'pending' THEN 'in_flight'
        WHEN 'in_flight' THEN 'in_flight'
        WHEN 'no_movement' THEN 'no_movement'
        WHEN 'not_covered' THEN 'not_covered'
        ELSE 'break'
    END AS state,
    x.rule_id,
    x.ext_id,
    NULL::BIGINT AS match_id,
    CASE WHEN x.outcome NOT IN ('ok', 'ok_tolerance', 'pending', 'in_flight', 'no_movement',
        'not_covered') THEN x.outcome END AS category,
    NULL AS reason  -- implied by state and category (views.STATE_REASONS)
FROM rx_pairs_exc AS x
WHERE x.payment_id IS NOT NULL AND x.payment_id NOT IN (SELECT payment_id FROM m)
UNION ALL
SELECT l.payment_id, 'not_covered', NULL, NULL, NULL, NULL,
    'no reconciliation rule for ' || l.rail_id || ' / ' || l.partner_id
FROM rx_ledger AS l
WHERE l.rule_id IS NULL AND l.payment_id NOT IN (SELECT payment_id FROM m)
UNION ALL
SELECT m.payment_id, CASE WHEN m.category IS NULL THEN 'matched' ELSE 'break' END, m.rule_id,
    m.ext_id, m.match_id, m.category, m.reason
FROM m
WHERE m.payment_id IN (SELECT payment_id FROM payments)
