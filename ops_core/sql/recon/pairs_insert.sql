-- Keep this run's pairs: the exact pass's rows (rx_pairs_x) and the duplicate step's
-- (rx_pairs_fix), as codes. Inputs: rx_pairs_x, rx_pairs_fix, rx_rule_no; $run_id.
-- Grain: inserts one row per pair, unpaired item or left-over duplicate.
INSERT INTO recon_pairs
SELECT payment_id, ext_id, rule_no, outcome, NULL, $run_id FROM rx_pairs_x
UNION ALL
SELECT f.payment_id, f.ext_id, n.rule_no, rx_code('outcome', f.outcome), f.other_id, $run_id
FROM rx_pairs_fix AS f
LEFT JOIN rx_rule_no AS n ON n.rule_id = f.rule_id
