-- The state of every external item after this run's passes that is not a clean exact pair
-- (those are matched: recon_matched): a kept or new match (the bank line of a batch; the card
-- rows behind a card batch keep their own pair), else the exact pass's outcome (in flight
-- while pending at the bank, linked when superseded by a later status, or a break), or for
-- returns and NOCs the return pass's outcome. At most one row per external item, exactly one
-- with the clean pairs. Inputs: rx_pairs_exc, rx_returns, recon_matches.
-- Grain: one row per external item.
CREATE OR REPLACE TEMP VIEW rx_estate AS
WITH m AS (
    SELECT match_id, rule_id, category, reason, ledger_ids[1] AS payment_id,
        unnest(CASE WHEN pass = 'batch' THEN [ext_ids[1]] ELSE ext_ids END) AS ext_id
    FROM recon_matches
)
SELECT
    x.ext_id,
    CASE x.outcome
        WHEN 'ok' THEN 'matched'
        WHEN 'ok_tolerance' THEN 'matched'
        WHEN 'pending' THEN 'in_flight'
        WHEN 'ext_pending' THEN 'in_flight'
        WHEN 'superseded' THEN 'linked'
        ELSE 'break'
    END AS state,
    x.rule_id,
    coalesce(x.payment_id, CASE WHEN x.outcome = 'superseded' THEN NULL END) AS payment_id,
    NULL::BIGINT AS match_id,
    CASE WHEN x.outcome NOT IN ('ok', 'ok_tolerance', 'pending', 'ext_pending', 'superseded')
        THEN x.outcome END AS category,
    NULL AS reason  -- implied by state and category (views.STATE_REASONS)
FROM rx_pairs_exc AS x
WHERE x.ext_id IS NOT NULL AND x.ext_id NOT IN (SELECT ext_id FROM m)
UNION ALL
SELECT r.ext_id, CASE WHEN r.outcome = 'linked' THEN 'linked' ELSE 'break' END, r.rule_id,
    r.payment_id, NULL, CASE WHEN r.outcome <> 'linked' THEN r.outcome END, NULL
FROM rx_returns AS r
UNION ALL
SELECT m.ext_id, CASE WHEN m.category IS NULL THEN 'matched' ELSE 'break' END, m.rule_id,
    m.payment_id, m.match_id, m.category, m.reason
FROM m
