-- External settlement items the exact pass left unpaired and settled (what the tolerance and
-- batch passes may still match). Inputs: rx_pairs, rx_xe.
-- Grain: one row per unpaired external item.
CREATE OR REPLACE TEMP TABLE rx_left_e AS
SELECT e.*
FROM rx_pairs AS x
JOIN rx_xe AS e ON e.ext_id = x.ext_id
WHERE x.payment_id IS NULL AND x.outcome = 'unknown_bank_item'
