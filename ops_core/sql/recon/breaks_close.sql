-- Open breaks no longer found are closed by the engine with the reason: what the items are
-- now (matched by which rule and why, linked, back in flight, gone from the ledger or the
-- files) or that the account's tie-out now balances.
-- Whether a break's items still exist is asked of the candidates' items only (a semi join
-- built on the few candidates, not a hash table of every ledger and external item).
-- Inputs: recon_breaks, rx_judged, rx_lexc, rx_eexc, rx_pairs, rx_ledger, recon_ext_items.
-- Grain: one row per break to close.
CREATE OR REPLACE TEMP TABLE rx_close AS
WITH
cand AS MATERIALIZED (
    SELECT * FROM recon_breaks
    WHERE status IN ('open', 'investigating', 'escalated')
        AND break_key NOT IN (SELECT break_key FROM rx_judged)
),
present_l AS MATERIALIZED (
    SELECT payment_id FROM rx_ledger WHERE payment_id IN (SELECT payment_id FROM cand)
),
present_e AS MATERIALIZED (
    SELECT ext_id FROM recon_ext_items WHERE ext_id IN (SELECT ext_id FROM cand)
),
-- the items' states now: an exception (rx_lexc, rx_eexc) or, failing that, a clean exact pair
lp AS MATERIALIZED (
    SELECT payment_id, ext_id, rule_id FROM rx_pairs
    WHERE payment_id IN (SELECT payment_id FROM cand) AND ext_id IS NOT NULL
),
ep AS MATERIALIZED (
    SELECT ext_id, payment_id, rule_id FROM rx_pairs
    WHERE ext_id IN (SELECT ext_id FROM cand) AND payment_id IS NOT NULL
),
ls AS (
    SELECT c.payment_id,
        coalesce(lx.state, CASE WHEN lp.payment_id IS NOT NULL THEN 'matched' END) AS state,
        coalesce(lx.rule_id, lp.rule_id) AS rule_id, coalesce(lx.ext_id, lp.ext_id) AS ext_id,
        lx.match_id, lx.category, lx.reason
    FROM (SELECT DISTINCT payment_id FROM cand WHERE payment_id IS NOT NULL) AS c
    LEFT JOIN rx_lexc AS lx ON lx.payment_id = c.payment_id
    LEFT JOIN lp ON lp.payment_id = c.payment_id
),
es AS (
    SELECT c.ext_id,
        coalesce(ex.state, CASE WHEN ep.ext_id IS NOT NULL THEN 'matched' END) AS state,
        coalesce(ex.rule_id, ep.rule_id) AS rule_id,
        coalesce(ex.payment_id, ep.payment_id) AS payment_id,
        ex.category, ex.reason
    FROM (SELECT DISTINCT ext_id FROM cand WHERE ext_id IS NOT NULL) AS c
    LEFT JOIN rx_eexc AS ex ON ex.ext_id = c.ext_id
    LEFT JOIN ep ON ep.ext_id = c.ext_id
)
SELECT
    b.break_id,
    b.status AS old_status,
    CASE
        WHEN b.side = 'account' THEN 'the tie-out of account ' || b.account || ' on '
            || b.item_date || ' now balances'
        WHEN b.payment_id IS NOT NULL AND b.side <> 'external'
            AND b.payment_id NOT IN (SELECT payment_id FROM present_l)
            THEN 'payment ' || b.payment_id || ' is no longer in the ledger'
        WHEN b.ext_id IS NOT NULL AND b.side = 'external'
            AND b.ext_id NOT IN (SELECT ext_id FROM present_e)
            THEN 'external item ' || b.ext_id || ' is gone (its file was removed)'
        WHEN ls.state = 'matched' THEN 'now matched by ' || coalesce(ls.rule_id, '?')
            || coalesce(' (match ' || ls.match_id || ')', '')
            || coalesce(' with external item ' || ls.ext_id, '') || ': '
            || coalesce(ls.reason, 'same reference, amount, currency and status, on time')
        WHEN es.state IN ('matched', 'linked') THEN 'now ' || es.state || ' by '
            || coalesce(es.rule_id, '?') || coalesce(' to payment ' || es.payment_id, '')
            || coalesce(': ' || es.reason, '')
        WHEN coalesce(ls.state, es.state) = 'break' THEN 'now a different break: '
            || coalesce(ls.category, es.category)
        ELSE 'no longer a difference: the item is '
            || replace(coalesce(ls.state, es.state, 'gone'), '_', ' ')
    END AS reason
FROM cand AS b
LEFT JOIN ls ON ls.payment_id = b.payment_id
LEFT JOIN es ON es.ext_id = b.ext_id
