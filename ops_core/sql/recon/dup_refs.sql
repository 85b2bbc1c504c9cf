-- References whose exact pairs fan out: a payment or an external item paired more than once
-- (the same reference twice on one side), with the items involved on both sides. Every pair of
-- such a reference touches a payment or an external item that paired more than once, so the
-- items are read from those pairs (small), not looked up by reference text in the 10-million-
-- row inputs. $ext_dups: some payment paired twice (look for those); $ledger_dups: some
-- external item did (engine._fanned_out counted both). The items paired twice are found in
-- this run's pairs (rx_pairs_x: the duplicate step has re-paired nothing yet) in two steps.
-- First by blocks of 64 consecutive ids: a block whose ids, each set as one bit of a 64-bit
-- mask, set fewer bits than it has rows holds an id paired twice. The ids are dense, so that
-- groups 10 million pairs into about 160 thousand blocks; grouping them by id made a
-- 10-million-entry hash table (0.8 to 1.3 s at 10M; DuckDB's perfect hash table for dense
-- keys 0.45 s; the blocks 0.16 to 0.19 s, measured on a copy of the pairs with 4,931
-- fan-outs). Then by id within the flagged blocks, and their pairs by semi joins whose few
-- ids DuckDB pushes into the scan.
-- Inputs: rx_pairs_x, rx_ledger; $ext_dups, $ledger_dups.
-- Grain: one row per item of such a reference.
CREATE OR REPLACE TEMP TABLE rx_dups AS
WITH
twice_l AS (
    -- payments paired more than once: a reference repeated at the bank (the blocks: see above)
    SELECT payment_id FROM rx_pairs_x
    WHERE $ext_dups AND payment_id IS NOT NULL AND ext_id IS NOT NULL
        AND payment_id >> 6 IN (
            SELECT payment_id >> 6 FROM rx_pairs_x
            WHERE $ext_dups AND payment_id IS NOT NULL AND ext_id IS NOT NULL
            GROUP BY payment_id >> 6
            HAVING bit_count(bit_or(1::UBIGINT << (payment_id & 63)::UBIGINT)) < count(*))
    GROUP BY payment_id HAVING count(*) > 1
),
twice_e AS (
    -- external items paired more than once: a reference repeated in the ledger
    SELECT ext_id FROM rx_pairs_x
    WHERE $ledger_dups AND payment_id IS NOT NULL AND ext_id IS NOT NULL
        AND ext_id >> 6 IN (
            SELECT ext_id >> 6 FROM rx_pairs_x
            WHERE $ledger_dups AND payment_id IS NOT NULL AND ext_id IS NOT NULL
            GROUP BY ext_id >> 6
            HAVING bit_count(bit_or(1::UBIGINT << (ext_id & 63)::UBIGINT)) < count(*))
    GROUP BY ext_id HAVING count(*) > 1
),
fanned AS MATERIALIZED (
    SELECT payment_id, ext_id FROM rx_pairs_x
    WHERE ext_id IS NOT NULL AND payment_id IN (SELECT payment_id FROM twice_l)
    UNION
    SELECT payment_id, ext_id FROM rx_pairs_x
    WHERE payment_id IS NOT NULL AND ext_id IN (SELECT ext_id FROM twice_e)
),
named AS MATERIALIZED (
    SELECT f.payment_id, f.ext_id, l.ref
    FROM fanned AS f
    JOIN rx_ledger AS l ON l.payment_id = f.payment_id
)
SELECT DISTINCT ref, payment_id, NULL::BIGINT AS ext_id FROM named
UNION ALL
SELECT DISTINCT ref, NULL::BIGINT, ext_id FROM named
