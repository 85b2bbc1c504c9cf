-- Put the unpaired ledger items back with their verdict (verdicts).
-- Inputs: rx_verdicts. Grain: inserts one row per unpaired ledger item.
INSERT INTO rx_pairs_x SELECT * FROM rx_verdicts
