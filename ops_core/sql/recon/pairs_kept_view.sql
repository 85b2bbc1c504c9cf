-- Every kept pair as the later steps read it (the rx_pairs view, until now this run's new
-- pairs only: pairs_view): recon_pairs with the outcome and rule_id as strings, and the
-- outcome's one-byte code as well (outcome_code: a filter on it reaches the scan of
-- recon_pairs, one on the string turns every code into a string first; pairs_exc_view).
-- Inputs: recon_pairs, rx_rule_no, rx_names. Grain: as recon_pairs.
CREATE OR REPLACE TEMP VIEW rx_pairs AS
SELECT
    payment_id,
    ext_id,
    (SELECT list(rule_id ORDER BY rule_no) FROM rx_rule_no)[rule_no] AS rule_id,
    rx_names('outcome')[outcome + 1] AS outcome,
    other_id,
    outcome AS outcome_code
FROM recon_pairs
