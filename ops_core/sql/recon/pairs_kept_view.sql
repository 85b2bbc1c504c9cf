-- Every kept pair as the later steps read it (the rx_pairs view, until now this run's new
-- pairs only: pairs_view): recon_pairs with the outcome and rule_id as strings.
-- Inputs: recon_pairs, rx_rule_no, rx_names. Grain: as recon_pairs.
CREATE OR REPLACE TEMP VIEW rx_pairs AS
SELECT
    payment_id,
    ext_id,
    (SELECT list(rule_id ORDER BY rule_no) FROM rx_rule_no)[rule_no] AS rule_id,
    rx_names('outcome')[outcome + 1] AS outcome,
    other_id
FROM recon_pairs
