-- The ledger items that are not plainly matched (breaks, in flight, no movement, not covered,
-- group members): the only ones findings, the tie-out and close reasons need to look at.
-- Inputs: rx_lstate. Grain: one row per such payment.
CREATE OR REPLACE TEMP TABLE rx_lexc AS
SELECT * FROM rx_lstate WHERE state <> 'matched' OR match_id IS NOT NULL
