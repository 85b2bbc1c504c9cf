-- Every rule's number for this run (1, 2, ... in rule_id order): the exact pass writes a
-- pair's rule as this two-byte number instead of the rule_id string (10 million strings
-- written cost more than the join that makes them), and the rx_pairs view reads it back.
-- Inputs: recon_rules. Grain: one row per rule.
CREATE OR REPLACE TEMP TABLE rx_rule_no AS
SELECT CAST(row_number() OVER (ORDER BY rule_id) AS USMALLINT) AS rule_no, rule_id
FROM recon_rules
