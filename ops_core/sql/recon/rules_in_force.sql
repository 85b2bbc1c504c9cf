-- The rule of each pass for every (rail, partner) pair of the ledger: the most specific rule in
-- force wins (a named partner over '*', a named rail over '*', then the lowest priority).
-- Exact and tolerance: one rule per pair. Batch and return: one per (source, group), so a rail
-- can have several. Inputs: recon_ledger_combos, recon_rules; $as_of_day. Grain: pair x pass x source x group.
CREATE OR REPLACE TEMP TABLE rx_rule AS
SELECT p.rail_id, p.partner_id, r.rule_id, r.pass, r.ext_source, r.group_by, r.priority
FROM recon_ledger_combos AS p
JOIN recon_rules AS r
    ON r.rail_id IN (p.rail_id, '*') AND r.partner_id IN (p.partner_id, '*')
WHERE r.effective_from <= $as_of_day
QUALIFY row_number() OVER (
    PARTITION BY p.rail_id, p.partner_id, r.pass,
        CASE WHEN r.pass IN ('batch', 'return') THEN r.ext_source || ':' || coalesce(r.group_by, '') END
    ORDER BY r.partner_id = '*', r.rail_id = '*', r.priority, r.rule_id
) = 1
