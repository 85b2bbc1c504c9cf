-- Every (rail, partner) of the ledger with its exact rule (NULL: none), the rule's keys and the
-- days its source has reported (the pair's own range, else the source's range for items that
-- name no rail). Inputs: recon_ledger_combos, rx_rule, recon_rules, rx_rule_no, rx_cov.
-- Grain: one row per (rail, partner) pair.
CREATE OR REPLACE TEMP TABLE rx_scope AS
SELECT
    p.combo_no,
    p.rail_id,
    p.partner_id,
    x.rule_id,
    n.rule_no,
    r.ext_source,
    -- the source's code inside ext_id (stage_external): a one-byte join key, not a string
    CAST(CASE r.ext_source
        WHEN 'bank_statement_lines' THEN 1 WHEN 'card_settlements' THEN 2
        WHEN 'chain_transfers' THEN 3 WHEN 'iso_status_reports' THEN 4
        WHEN 'iso_payment_messages' THEN 5 WHEN 'ach_returns' THEN 6
        WHEN r.ext_source THEN 7 END AS TINYINT) AS src,
    r.ledger_key,
    coalesce(c.first_day, g.first_day) AS first_day,
    coalesce(c.last_day, g.last_day) AS last_day
FROM recon_ledger_combos AS p
LEFT JOIN rx_rule AS x
    ON x.rail_id = p.rail_id AND x.partner_id = p.partner_id AND x.pass = 'exact'
LEFT JOIN recon_rules AS r ON r.rule_id = x.rule_id
LEFT JOIN rx_rule_no AS n ON n.rule_id = x.rule_id
LEFT JOIN rx_cov AS c
    ON c.source_table = r.ext_source AND c.rail_id = p.rail_id AND c.partner_id = p.partner_id
LEFT JOIN rx_cov AS g ON g.source_table = r.ext_source AND g.rail_id IS NULL
