-- Resolve fanned-out references into disjoint pairs: ledger items and external items of the
-- reference are ranked (cleanest outcome first; for sources whose rule says 'supersede', a
-- final status before a pending one and the latest first) and paired rank by rank. Left-over
-- ledger items are duplicates on the ledger side; left-over external items are duplicates at
-- the bank (or superseded status reports). other_id names the item of the same side that the
-- duplicate repeats (the one that kept the pair).
-- Inputs: rx_pairs, rx_dups, recon_ext_items, recon_rules. Grain: pair or left-over item.
CREATE OR REPLACE TEMP TABLE rx_dupfix AS
WITH
g AS (
    SELECT
        x.*,
        CASE x.outcome WHEN 'ok' THEN 0 WHEN 'ok_tolerance' THEN 1 WHEN 'pending' THEN 3 ELSE 2 END
            AS outcome_rank,
        e.ext_status,
        e.value_date
    FROM (
        -- inner joins with the few duplicated items: DuckDB filters the 10-million-row scan
        -- of the pairs by their ids (a left join would probe every pair); a pair of two
        -- duplicated items comes from both and is kept once (the same reference)
        SELECT x.*, d.ref
        FROM rx_pairs AS x
        JOIN rx_dups AS d ON d.payment_id = x.payment_id
        WHERE x.ext_id IS NOT NULL
        UNION
        SELECT x.*, d.ref
        FROM rx_pairs AS x
        JOIN rx_dups AS d ON d.ext_id = x.ext_id
        WHERE x.payment_id IS NOT NULL
    ) AS x
    JOIN recon_ext_items AS e ON e.ext_id = x.ext_id
),
rule AS (
    SELECT g.ref, any_value(coalesce(r.on_duplicate, 'break')) AS on_duplicate
    FROM g LEFT JOIN recon_rules AS r ON r.rule_id = g.rule_id
    GROUP BY g.ref
),
lr AS (
    SELECT ref, payment_id,
        row_number() OVER (PARTITION BY ref ORDER BY min(outcome_rank), payment_id) AS li
    FROM g GROUP BY ref, payment_id
),
er AS (
    SELECT g.ref, g.ext_id,
        row_number() OVER (
            PARTITION BY g.ref
            ORDER BY
                CASE WHEN any_value(u.on_duplicate) = 'supersede' THEN any_value(g.ext_status) = 'pending' END,
                CASE WHEN any_value(u.on_duplicate) = 'supersede' THEN any_value(g.value_date) END DESC,
                min(g.outcome_rank), g.ext_id
        ) AS ei
    FROM g JOIN rule AS u ON u.ref = g.ref
    GROUP BY g.ref, g.ext_id
),
n AS (
    SELECT ref, count(DISTINCT payment_id) AS nl, count(DISTINCT ext_id) AS ne FROM g GROUP BY ref
)
SELECT g.payment_id, g.ext_id, g.rule_id, g.outcome, NULL::BIGINT
FROM g
JOIN lr ON lr.ref = g.ref AND lr.payment_id = g.payment_id
JOIN er ON er.ref = g.ref AND er.ext_id = g.ext_id
WHERE lr.li = er.ei
UNION ALL
SELECT lr.payment_id, NULL, any_value(g.rule_id), 'duplicate', any_value(first.payment_id)
FROM lr
JOIN n ON n.ref = lr.ref
JOIN g ON g.ref = lr.ref AND g.payment_id = lr.payment_id
LEFT JOIN lr AS first ON first.ref = lr.ref AND first.li = 1
WHERE lr.li > n.ne
GROUP BY lr.ref, lr.payment_id
UNION ALL
SELECT NULL, er.ext_id, NULL,
    CASE WHEN u.on_duplicate = 'supersede' THEN 'superseded' ELSE 'duplicate' END,
    first.ext_id
FROM er
JOIN n ON n.ref = er.ref
JOIN rule AS u ON u.ref = er.ref
LEFT JOIN er AS first ON first.ref = er.ref AND first.ei = 1
WHERE er.ei > n.nl
