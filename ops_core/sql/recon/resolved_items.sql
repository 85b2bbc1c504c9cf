-- Items whose break a person resolved or wrote off and that still differ: their state is
-- 'resolved' (the difference is accepted), not 'break'. Inputs: rx_judged, recon_breaks.
-- Grain: one row per (side, item).
CREATE OR REPLACE TEMP TABLE rx_resolved AS
SELECT DISTINCT 'ledger' AS side, j.payment_id AS item_id
FROM rx_judged AS j
JOIN recon_breaks AS b ON b.break_key = j.break_key
WHERE b.status IN ('resolved', 'written_off') AND b.resolution_category <> 'auto_cleared'
    AND j.payment_id IS NOT NULL
UNION
SELECT DISTINCT 'external', j.ext_id
FROM rx_judged AS j
JOIN recon_breaks AS b ON b.break_key = j.break_key
WHERE b.status IN ('resolved', 'written_off') AND b.resolution_category <> 'auto_cleared'
    AND j.ext_id IS NOT NULL
