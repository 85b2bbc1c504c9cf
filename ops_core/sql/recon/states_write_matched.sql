-- Write this run's clean exact pairs (same reference; amount, currency, status and date agree
-- or the amount is within tolerance): one row serves both items.
-- Inputs: rx_pairs; $run_id. Grain: one row per clean pair.
INSERT INTO recon_matched
SELECT payment_id, ext_id, rule_id, $run_id
FROM rx_pairs
WHERE outcome IN ('ok', 'ok_tolerance') AND payment_id IS NOT NULL AND ext_id IS NOT NULL
    AND payment_id NOT IN (SELECT payment_id FROM rx_lexc)
