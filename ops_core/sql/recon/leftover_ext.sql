-- External settlement items the exact pass left unpaired and settled (what the tolerance and
-- batch passes may still match). Inputs: rx_pairs, recon_ext_items.
-- Grain: one row per unpaired external item.
CREATE OR REPLACE TEMP TABLE rx_left_e AS
SELECT e.*
FROM rx_pairs AS x
JOIN recon_ext_items AS e ON e.ext_id = x.ext_id
WHERE x.payment_id IS NULL AND x.outcome = 'unknown_bank_item'
