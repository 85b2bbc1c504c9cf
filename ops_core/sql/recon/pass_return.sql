-- Pass 4, returns and NOCs linked to their original entry: each return item takes the return
-- rule of its source (and bank transaction code), and is linked to the ledger payment whose
-- reference (the rail's exact-rule key) it names. Linked when the ledger shows the payment
-- returned (a NOC moves no money: linked whenever the original is found); an unmatched return
-- when no payment has that reference or the ledger does not show it returned; an amount
-- mismatch when the return's amount differs from the original's.
-- Inputs: recon_ext_items, recon_rules, rx_ledger; $as_of_day. Grain: one row per return item.
CREATE OR REPLACE TEMP TABLE rx_returns AS
WITH
items AS MATERIALIZED (
    SELECT e.ext_id, e.ref, e.role, e.amount_minor, e.rail_id, r.rule_id, r.rail_id AS rule_rail
    FROM recon_ext_items AS e
    LEFT JOIN recon_rules AS r
        ON r.pass = 'return'
        AND r.ext_source = e.source_table
        AND (r.type_codes IS NULL
            OR list_contains(string_split(r.type_codes, '|'), e.type_code)
            OR e.source_table <> 'bank_statement_lines')
        AND (r.rail_id = '*' OR e.rail_id IS NULL OR r.rail_id = e.rail_id)
        AND r.effective_from <= $as_of_day
    WHERE e.role IN ('return', 'noc')
    QUALIFY row_number() OVER (PARTITION BY e.ext_id ORDER BY r.rail_id = '*', r.priority) = 1
),
linked AS (
    SELECT i.*, l.payment_id, l.status AS l_status, l.amount_minor AS l_amount
    FROM items AS i
    LEFT JOIN rx_ledger AS l
        ON i.rule_id IS NOT NULL
        AND l.ref = i.ref
        AND (i.rule_rail = '*' OR l.rail_id = i.rule_rail)
    QUALIFY row_number() OVER (
        PARTITION BY i.ext_id ORDER BY l.status = 'returned' DESC, l.payment_id) = 1
)
SELECT
    ext_id,
    payment_id,
    rule_id,
    CASE
        WHEN payment_id IS NULL THEN 'unmatched_return'
        WHEN role = 'noc' THEN 'linked'
        WHEN l_status <> 'returned' THEN 'unmatched_return'
        WHEN amount_minor IS NOT NULL AND amount_minor <> l_amount THEN 'amount_mismatch'
        ELSE 'linked'
    END AS outcome
FROM linked
