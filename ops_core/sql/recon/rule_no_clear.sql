-- Forget the rule numbers kept with the pairs (rule_no_keep writes this run's).
-- Inputs: recon_rule_no. Grain: deletes every row.
DELETE FROM recon_rule_no
