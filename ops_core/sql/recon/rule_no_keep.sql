-- Keep this run's rule numbers with the pairs (recon_rule_no: the recon_matched view names a
-- pair's rule by them). A change of numbering changes the pairs' basis, so every pair is made
-- again with the new numbers. Inputs: rx_rule_no. Grain: one row per rule.
INSERT INTO recon_rule_no SELECT rule_no, rule_id FROM rx_rule_no
