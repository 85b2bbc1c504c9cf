-- Put the unpaired ledger items back with their verdict (verdicts).
-- Inputs: rx_verdicts. Grain: inserts one row per unpaired ledger item.
INSERT INTO recon_pairs SELECT * FROM rx_verdicts
