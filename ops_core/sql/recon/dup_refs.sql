-- References whose exact pairs fan out: a payment or an external item paired more than once
-- (the same reference twice on one side), with the items involved on both sides.
-- Inputs: rx_pairs, rx_ledger, recon_ext_items. Grain: one row per item of such a reference.
CREATE OR REPLACE TEMP TABLE rx_dups AS
WITH
fanned AS (
    SELECT DISTINCT l.ref
    FROM (
        SELECT payment_id FROM rx_pairs
        WHERE payment_id IS NOT NULL AND ext_id IS NOT NULL
        GROUP BY payment_id HAVING count(*) > 1
    ) AS d
    JOIN rx_ledger AS l ON l.payment_id = d.payment_id
    UNION
    SELECT DISTINCT e.ref
    FROM (
        SELECT ext_id FROM rx_pairs
        WHERE payment_id IS NOT NULL AND ext_id IS NOT NULL
        GROUP BY ext_id HAVING count(*) > 1
    ) AS d
    JOIN recon_ext_items AS e ON e.ext_id = d.ext_id
)
-- only items that did pair (a payment of another rail may share the text of a reference)
SELECT f.ref, l.payment_id, NULL::BIGINT AS ext_id
FROM fanned AS f JOIN rx_ledger AS l ON l.ref = f.ref
WHERE l.payment_id IN (SELECT payment_id FROM rx_pairs WHERE ext_id IS NOT NULL)
UNION ALL
SELECT f.ref, NULL, e.ext_id
FROM fanned AS f JOIN recon_ext_items AS e ON e.ref = f.ref AND e.role = 'settlement'
WHERE e.ext_id IN (SELECT ext_id FROM rx_pairs WHERE payment_id IS NOT NULL)
