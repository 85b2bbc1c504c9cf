-- References whose exact pairs fan out: a payment or an external item paired more than once
-- (the same reference twice on one side), with the items involved on both sides. Every pair of
-- such a reference touches a payment or an external item that paired more than once, so the
-- items are read from those pairs (small), not looked up by reference text in the 10-million-
-- row inputs. $ext_dups: some payment paired twice (look for those); $ledger_dups: some
-- external item did (engine._fanned_out counted both). Inputs: rx_pairs, rx_ledger;
-- $ext_dups, $ledger_dups. Grain: one row per item of such a reference.
CREATE OR REPLACE TEMP TABLE rx_dups AS
WITH
paired AS (
    SELECT payment_id, ext_id FROM rx_pairs
    WHERE payment_id IS NOT NULL AND ext_id IS NOT NULL
),
fanned AS MATERIALIZED (
    SELECT payment_id, ext_id FROM paired
    WHERE payment_id IN (
            SELECT payment_id FROM paired WHERE $ext_dups
            GROUP BY payment_id HAVING count(*) > 1)
        OR ext_id IN (
            SELECT ext_id FROM paired WHERE $ledger_dups
            GROUP BY ext_id HAVING count(*) > 1)
),
named AS MATERIALIZED (
    SELECT f.payment_id, f.ext_id, l.ref
    FROM fanned AS f
    JOIN rx_ledger AS l ON l.payment_id = f.payment_id
)
SELECT DISTINCT ref, payment_id, NULL::BIGINT AS ext_id FROM named
UNION ALL
SELECT DISTINCT ref, NULL::BIGINT, ext_id FROM named
