-- The kept pairs that are not clean (rx_pairs without the outcomes ok and ok_tolerance): what
-- the item states' exceptions are made of (ledger_states, ext_states) and whose rows the
-- exc_rows_* steps fetch. Filtered on the outcome code, which DuckDB pushes into the scan of
-- recon_pairs; a filter on the string outcome turns 10 million codes into strings to keep a
-- few hundred thousand rows (0.15 s a side at 10M). Inputs: rx_pairs (pairs_kept_view).
-- Grain: one row per kept pair, unpaired item or left-over duplicate that is not clean.
CREATE OR REPLACE TEMP VIEW rx_pairs_exc AS
SELECT * EXCLUDE (outcome_code)
FROM rx_pairs
WHERE outcome_code NOT IN (rx_code('outcome', 'ok'), rx_code('outcome', 'ok_tolerance'))
